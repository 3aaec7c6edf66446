// Turns a non-2xx answer (XML, JSON, empty or an HTML gateway page) into the right OdpsError subclass.
import { AuthError, NoSuchObjectError, OdpsError, ThrottledError, type OdpsErrorInit } from '../errors.js';
import { childText, parseXml } from './xml.js';

export interface ErrorResponseInfo {
  status: number;
  headers: Record<string, string>;
  body: string;
  method: string;
  path: string;
}

export interface ParsedErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  hostId?: string;
}

const ODPS_CODE = /^(ODPS-\d{7})\b/;

const AUTH_CODES = new Set([
  'AuthorizationRequired', 'AuthenticationRequestExpired', 'SignatureNotMatch', 'NoPermission', 'AccessDenied',
  'InvalidAccessKeyId', 'InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId.Expired', 'SecurityTokenExpired',
  'InvalidSecurityToken.Expired', 'RequestTimeTooSkewd', 'RequestTimeTooSkewed', 'Unauthorized', 'Forbidden',
]);
const AUTH_ODPS_CODES = new Set(['ODPS-0410001', 'ODPS-0410011', 'ODPS-0410021', 'ODPS-0410031', 'ODPS-0410042', 'ODPS-0410051', 'ODPS-0420095', 'ODPS-0130013']);
const THROTTLE_CODES = new Set(['RequestQuotaExceeded', 'SlotExceeded', 'QPSExceeded', 'FlowExceeded', 'TooManyRequests', 'Throttling']);

/** Read `Code`, `Message`, `RequestId`, `HostId` from an XML `Error` document or the JSON equivalent. */
export function parseErrorBody(body: string): ParsedErrorBody | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  if (text.startsWith('{')) {
    try {
      const j = JSON.parse(text) as Record<string, unknown>;
      const pick = (...keys: string[]): string | undefined => {
        for (const k of keys) if (typeof j[k] === 'string' && j[k] !== '') return j[k];
        return undefined;
      };
      return clean({
        code: pick('Code', 'code', 'ErrorCode', 'errorCode'),
        message: pick('Message', 'message', 'ErrorMessage', 'errorMessage'),
        requestId: pick('RequestId', 'requestId'),
        hostId: pick('HostId', 'hostId'),
      });
    } catch {
      return undefined;
    }
  }
  if (text.startsWith('<') && /<Error[\s>]/.test(text)) {
    try {
      const doc = parseXml(text);
      const e = doc['Error'];
      return clean({
        code: childText(e, 'Code'),
        message: childText(e, 'Message'),
        requestId: childText(e, 'RequestId'),
        hostId: childText(e, 'HostId'),
      });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function clean(p: ParsedErrorBody): ParsedErrorBody {
  const out: ParsedErrorBody = {};
  for (const [k, v] of Object.entries(p) as [keyof ParsedErrorBody, string | undefined][]) if (v) out[k] = v.trim();
  return out;
}

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  const t = body.trimStart().slice(0, 200).toLowerCase();
  return (contentType ?? '').includes('text/html') || t.startsWith('<!doctype html') || t.startsWith('<html');
}

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NoSuchObject', 405: 'MethodNotAllowed',
  409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway',
  503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

/** Parse `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Build the typed error for an HTTP answer that was not expected. */
export function errorFromResponse(info: ErrorResponseInfo): OdpsError {
  const { status, headers } = info;
  const parsed = parseErrorBody(info.body);
  let code = parsed?.code;
  let message = parsed?.message;
  let odpsCode: string | undefined;
  if (code) {
    const m = ODPS_CODE.exec(code);
    if (m) {
      // Composite codes like 'ODPS-0420411: Invalid argument - ': the ODPS code is the part before ':'.
      odpsCode = m[1];
      const rest = code.slice(code.indexOf(':') + 1).trim();
      message = message ? message : rest;
      code = odpsCode;
    }
  }
  if (!odpsCode && message) odpsCode = ODPS_CODE.exec(message)?.[1];
  if (!parsed) {
    code = STATUS_CODES[status] ?? (status >= 500 ? 'ServerError' : 'HttpError');
    if (looksLikeHtml(info.body, headers['content-type'])) {
      message = `HTTP ${status} answered with an HTML page (gateway or proxy trouble)`;
    } else if (info.body.trim() === '') {
      message = status === 404 ? 'object not found (empty 404 body)' : `HTTP ${status} with an empty body`;
    } else {
      message = `HTTP ${status}: ${info.body.trim().slice(0, 200)}`;
    }
  }
  const init: OdpsErrorInit = { code: code ?? STATUS_CODES[status] ?? 'HttpError', status, method: info.method, path: info.path };
  if (odpsCode) init.odpsCode = odpsCode;
  const requestId = headers['x-odps-request-id'] ?? parsed?.requestId;
  if (requestId) init.requestId = requestId;
  if (parsed?.hostId) init.hostId = parsed.hostId;
  const msg = message ?? init.code ?? 'error';
  const finalCode = init.code ?? '';

  if (status === 404 || finalCode.startsWith('NoSuch') || odpsCode === 'ODPS-0130131') return new NoSuchObjectError(msg, init);
  if (status === 429 || THROTTLE_CODES.has(finalCode)) {
    const ra = retryAfterMs(headers);
    return new ThrottledError(msg, ra === undefined ? init : { ...init, retryAfterMs: ra });
  }
  if (status === 401 || AUTH_CODES.has(finalCode) || (odpsCode !== undefined && AUTH_ODPS_CODES.has(odpsCode))) {
    return new AuthError(msg, init);
  }
  return new OdpsError(msg, init);
}
