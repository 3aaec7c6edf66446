// Renders an error the way the service does: XML `Error` for REST (rest.md §4.10), JSON for tunnel (tunnel.md §1.4).
import type { ServerResponse } from 'node:http';
import type { EmulatorHttpError } from './errors.js';
import type { RouteService } from './router.js';
import { formatHttpDate } from './time-format.js';
import { cdataEl, el, xmlDocument } from './xml.js';

export interface ErrorResponseInput {
  error: EmulatorHttpError;
  service: RouteService;
  requestId: string;
  hostId: string;
  now: Date;
  method: string;
}

export function sendErrorResponse(res: ServerResponse, input: ErrorResponseInput): void {
  const { error, service, requestId, hostId } = input;
  if (res.headersSent) {
    // Too late for a status: cut the connection so the client sees a broken body, not a short one.
    res.destroy();
    return;
  }
  let body: string;
  let contentType: string;
  if (service === 'tunnel' || service === 'storage') {
    body = JSON.stringify({ Code: error.code, Message: error.message, RequestId: requestId, HostId: hostId });
    contentType = 'application/json';
  } else {
    body = xmlDocument(
      el('Error', [el('Code', error.code), cdataEl('Message', error.message), el('RequestId', requestId), el('HostId', hostId)]),
    );
    contentType = 'application/xml';
  }
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(error.status, {
    'x-odps-request-id': requestId,
    Date: formatHttpDate(input.now),
    Server: 'odps-ts-emulator',
    'Content-Type': contentType,
    'Content-Length': String(payload.length),
    ...error.headers,
  });
  if (input.method === 'HEAD') res.end();
  else res.end(payload);
}
