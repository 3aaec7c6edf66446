// XML reading and writing for REST bodies (fast-xml-parser), with the guards metadata bodies need.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { OdpsError } from '../errors.js';

/** Elements that may repeat; always parsed as arrays so a one-item list looks like a many-item one. */
const REPEATED = new Set([
  'Table', 'Partition', 'Column', 'Instance', 'Task', 'Stage', 'Property', 'Schema', 'Project',
  'History', 'Function', 'Resource', 'ResourceName', 'Cluster', 'Item',
]);

/** Largest XML body we agree to parse (metadata answers are small; anything bigger is suspicious). */
export const MAX_XML_BYTES = 16 * 1024 * 1024;

const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  ignoreDeclaration: true,
  trimValues: true,
  isArray: (tagName) => REPEATED.has(tagName),
  // Standard entities (&amp; ...) only; documents with a DOCTYPE are refused before parsing.
  processEntities: { enabled: true, maxEntityCount: 0, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  cdataPropName: '__cdata',
  format: false,
  suppressEmptyNode: false,
});

export type XmlNode = Record<string, unknown>;

/** Parse an XML document; refuses DOCTYPE/ENTITY declarations and oversized input. */
export function parseXml(text: string): XmlNode {
  if (text.length > MAX_XML_BYTES) {
    throw new OdpsError(`XML body of ${text.length} characters exceeds the ${MAX_XML_BYTES} limit`, { code: 'BodyTooLarge' });
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new OdpsError('XML body with a DOCTYPE/ENTITY declaration refused', { code: 'InvalidXml' });
  }
  // The parser alone accepts unclosed or mismatched tags, so a body cut short at a tag boundary would
  // read as a smaller, valid-looking document (e.g. a table with fewer columns): validate first.
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new OdpsError(`response body is not well-formed XML (${valid.err.msg} at line ${valid.err.line})`, { code: 'InvalidXml' });
  }
  try {
    return parser.parse(text) as XmlNode;
  } catch (err) {
    throw new OdpsError('response body is not valid XML', { code: 'InvalidXml', cause: err });
  }
}

/** Serialize to a UTF-8 XML document with the prolog. Put `{ __cdata: [...] }` for CDATA sections. */
export function buildXml(doc: XmlNode): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + String(builder.build(doc));
}

/** The text content of an element that may be a string, `{ '#text': ... }`, or an array of those. */
export function xmlText(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (Array.isArray(node)) return xmlText(node[0]);
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    if (t !== undefined) return xmlText(t);
    const cdata = (node as XmlNode)['__cdata'];
    if (cdata !== undefined) return xmlText(cdata);
    return '';
  }
  return undefined;
}

/** An attribute of an element (`@_Name`). */
export function xmlAttr(node: unknown, name: string): string | undefined {
  if (Array.isArray(node)) return xmlAttr(node[0], name);
  if (node && typeof node === 'object') {
    const v = (node as XmlNode)[`@_${name}`];
    return v === undefined ? undefined : String(v);
  }
  return undefined;
}

/** A child element as an object (first one when repeated). */
export function xmlChild(node: unknown, name: string): XmlNode | undefined {
  if (Array.isArray(node)) return xmlChild(node[0], name);
  if (!node || typeof node !== 'object') return undefined;
  const c = (node as XmlNode)[name];
  const one = Array.isArray(c) ? c[0] : c;
  return one && typeof one === 'object' ? (one as XmlNode) : one === '' ? {} : undefined;
}

/** All children with this name as objects. */
export function xmlChildren(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  const c = (node as XmlNode)[name];
  if (c === undefined || c === null) return [];
  const list = Array.isArray(c) ? c : [c];
  return list.map((x) => (x && typeof x === 'object' ? (x as XmlNode) : { '#text': x === null ? '' : String(x) }));
}

/** Text of a direct child element. */
export function childText(node: unknown, name: string): string | undefined {
  if (Array.isArray(node)) return childText(node[0], name);
  if (!node || typeof node !== 'object') return undefined;
  return xmlText((node as XmlNode)[name]);
}
