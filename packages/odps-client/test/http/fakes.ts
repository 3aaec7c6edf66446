// Test doubles: a recording fake account and a MockAgent with the network disabled.
import { MockAgent } from 'undici';
import type { Account, SignableRequest, SignOptions } from '../../src/http/account.js';

export const ENDPOINT = 'http://odps.test/api';
export const ORIGIN = 'http://odps.test';

export class FakeAccount implements Account {
  calls: { request: SignableRequest; options: SignOptions }[] = [];
  invalidations = 0;
  constructor(private readonly withInvalidate = true) {
    if (!withInvalidate) this.invalidate = undefined;
  }
  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    this.calls.push({ request: { ...request, headers: { ...request.headers } }, options });
    return { Authorization: `ODPS fake:${this.calls.length}`, 'authorization-sts-token': 'secret-token' };
  }
  invalidate?: () => void = () => {
    this.invalidations++;
  };
  describe(): string {
    return 'FakeAccount';
  }
}

export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export const XML = { headers: { 'content-type': 'application/xml', 'x-odps-request-id': 'req-1' } };

export function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message><![CDATA[${message}]]></Message><RequestId>rid-${code}</RequestId><HostId>host-1</HostId></Error>`;
}
