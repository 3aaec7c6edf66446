// Secret hygiene: redact(), scrubbing of foreign messages, and secret-free account descriptions.

import { describe, expect, it } from 'vitest';
import { AliyunAccount, AppAccount, BearerTokenAccount, CredentialsError, StsAccount, redact } from '../src/index.js';
import { scrubForeignMessage } from '../src/errors.js';

describe('redact', () => {
  it('replaces every occurrence of every non-empty secret', () => {
    expect(redact('a=SEC b=SEC c=TOK', ['SEC', 'TOK', '', undefined])).toBe('a=<redacted> b=<redacted> c=<redacted>');
  });
});

describe('scrubForeignMessage', () => {
  it('masks JSON fields and key=value pairs that name secrets or tokens, keeps the rest', () => {
    const text =
      'error retrieving credentials from credentialsURI result: {"AccessKeyId":"STS.abc","AccessKeySecret":"s3cr3t","SecurityToken":"t0k\\"en"} ' +
      'security_token=abc123&x=1 password: hunter2 signature=XYZ=';
    const out = scrubForeignMessage(text);
    expect(out).toContain('"AccessKeyId":"STS.abc"');
    for (const leaked of ['s3cr3t', 't0k', 'abc123', 'hunter2', 'XYZ']) expect(out).not.toContain(leaked);
  });

  it('truncates long messages', () => {
    expect(scrubForeignMessage('x'.repeat(1000)).length).toBeLessThanOrEqual(301);
  });
});

describe('account descriptions and constructor errors carry no secrets', () => {
  it('describe()', () => {
    const d = [
      new AliyunAccount('LTAIabcdef', 'secret-1').describe(),
      new StsAccount('STS.abcdef', 'secret-2', 'token-2').describe(),
      new BearerTokenAccount('token-3').describe(),
      new AppAccount(new AliyunAccount('LTAIabcdef', 'secret-4'), 'app-id', 'secret-5').describe(),
    ].join(' ');
    expect(d).toContain('LTAI****');
    for (const s of ['secret-1', 'secret-2', 'token-2', 'token-3', 'secret-4', 'secret-5', 'abcdef']) expect(d).not.toContain(s);
  });

  it('constructors refuse empty values with TypeErrors that name the argument', () => {
    expect(() => new AliyunAccount('', 'secret-x')).toThrow(/accessKeyId is empty/);
    expect(() => new AliyunAccount('ak', '')).toThrow(/accessKeySecret is empty/);
    expect(() => new StsAccount('ak', 'secret-y', '')).toThrow(/securityToken is empty/);
    expect(() => new BearerTokenAccount('')).toThrow(TypeError);
  });

  it('CredentialsError keeps code and attempts', () => {
    const e = new CredentialsError('CredentialsNotFound', 'none', [{ source: 'environment', outcome: 'not set' }]);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CredentialsError');
    expect(e.code).toBe('CredentialsNotFound');
    expect(e.attempts).toHaveLength(1);
  });
});
