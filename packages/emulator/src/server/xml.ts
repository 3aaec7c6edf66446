// XML text builders for responses and the hardened parser for request bodies.
import { XMLParser } from 'fast-xml-parser';
import { EmulatorHttpError } from './errors.js';

export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

// XML 1.0 forbids most C0 controls even when escaped; such text must travel base64 (Transform="Base64").
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function hasInvalidXmlChars(text: string): boolean {
  return INVALID_XML_CHARS.test(text);
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** CDATA section; a `]]>` inside the text is split across two sections so it survives. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A pre-rendered XML fragment (not escaped again). */
export class Raw {
  constructor(readonly xml: string) {}
}

export type XmlChild = string | number | boolean | Raw | null | undefined;

/**
 * One element. Text children are escaped, `Raw` children are inserted as they are, null/undefined
 * children are skipped (so optional elements can be written inline).
 */
export function el(name: string, children?: XmlChild | XmlChild[], attrs?: Record<string, string | number>): Raw {
  const attrText = attrs
    ? Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('')
    : '';
  const list = Array.isArray(children) ? children : [children];
  const inner = list
    .filter((c): c is string | number | boolean | Raw => c !== null && c !== undefined)
    .map((c) => (c instanceof Raw ? c.xml : escapeXml(String(c))))
    .join('');
  if (inner === '' && children === undefined) return new Raw(`<${name}${attrText}/>`);
  return new Raw(`<${name}${attrText}>${inner}</${name}>`);
}

/** Element whose text is wrapped in CDATA. */
export function cdataEl(name: string, text: string, attrs?: Record<string, string | number>): Raw {
  return el(name, new Raw(cdata(text)), attrs);
}

export function xmlDocument(root: Raw): string {
  return XML_PROLOG + root.xml;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Standard entities (&lt; …) are needed for Go-style escaped SQL; custom DOCTYPE entities are
  // refused before parsing (see parseXmlBody), and these limits bound anything that slips through.
  processEntities: { enabled: true, maxEntityCount: 0, maxEntitySize: 0 },
  htmlEntities: false,
  isArray: (name) => ['Property', 'SQL', 'SQLCost', 'Task', 'Statement', 'ResourceName'].includes(name),
});

/** Parse a request body as XML; a DOCTYPE (entity definitions) or malformed XML is a 400. */
export function parseXmlBody(body: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(body)) {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - DOCTYPE is not accepted in request XML.');
  }
  try {
    return parser.parse(body, true) as Record<string, unknown>;
  } catch (err) {
    throw new EmulatorHttpError(400, 'ParseError', `Malformed XML request body: ${(err as Error).message}`);
  }
}

/** Text of a parsed element that may be a plain string or an object with `#text` (attributes/CDATA). */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && '#text' in node) return textOf((node as Record<string, unknown>)['#text']);
  if (typeof node === 'object') return '';
  return undefined;
}
