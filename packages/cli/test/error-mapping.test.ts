// The one error → exit code mapping and the secret masking of printed URLs, in-process.
import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CredentialsError } from '@odps-ts/auth';
import {
  AuthError, ChecksumError, InvalidIdentifierError, InvalidPartitionSpecError, NetworkError, NoSuchObjectError, OdpsArgumentError,
  OdpsError, OdpsTypeError, SqlError, ThrottledError, TunnelError, ValueTypeError, WaitTimeoutError,
} from '@odps-ts/odps-client';
import { InterruptedError, LocalFileError, UsageError } from '../src/errors.js';
import { exitCodeFor } from '../src/exit-code.js';
import { reportError } from '../src/report-error.js';
import { redactSecrets, redactUrl } from '../src/redact.js';
import type { CliIo } from '../src/context.js';

const CODES: [string, unknown, number][] = [
  ['help', new CommanderError(0, 'commander.helpDisplayed', ''), 0],
  ['version', new CommanderError(0, 'commander.version', ''), 0],
  ['unknown option', new CommanderError(1, 'commander.unknownOption', 'x'), 2],
  ['usage', new UsageError('x'), 2],
  ['local file', new LocalFileError('write', '/x', 'permission denied'), 2],
  ['client argument', new OdpsArgumentError('x'), 2],
  ['identifier', new InvalidIdentifierError('x'), 2],
  ['partition spec', new InvalidPartitionSpecError('x'), 2],
  ['value type', new ValueTypeError('c', 'bigint', 'string'), 2],
  ['no credentials', new CredentialsError('CredentialsNotFound', 'x'), 2],
  ['malformed credentials file', new CredentialsError('MalformedCredentialsFile', 'x'), 2],
  ['bearer token missing', new CredentialsError('BearerTokenMissing', 'x'), 2],
  ['credentials service failed', new CredentialsError('CredentialsFetchFailed', 'x'), 1],
  ['credentials service sent garbage', new CredentialsError('InvalidCredentials', 'x'), 1],
  ['credentials expired', new CredentialsError('CredentialsExpired', 'x'), 1],
  ['interrupted', new InterruptedError('x'), 130],
  ['server error', new OdpsError('x', { code: 'InternalServerError', status: 500 }), 1],
  ['malformed XML', new OdpsError('x', { code: 'InvalidXml' }), 1],
  ['no such object', new NoSuchObjectError('x'), 1],
  ['auth', new AuthError('x'), 1],
  ['throttled', new ThrottledError('x'), 1],
  ['network', new NetworkError('x'), 1],
  ['sql', new SqlError('x', { instanceId: 'i' }), 1],
  ['tunnel', new TunnelError('x'), 1],
  ['checksum', new ChecksumError('x'), 1],
  ['wait timeout', new WaitTimeoutError('i', 5), 1],
  ['unparsable type from the server', new OdpsTypeError('x<', 'bad'), 1],
  ['decoding', new RangeError('x'), 1],
  ['anything else', new Error('x'), 1],
  ['a thrown string', 'x', 1],
];

describe('exitCodeFor', () => {
  it.each(CODES)('%s → %i', (_name, err, code) => {
    expect(exitCodeFor(err)).toBe(code);
  });
});

function capture(): { io: CliIo; err: () => string } {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (b: Buffer) => chunks.push(b));
  const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: '/', home: undefined } as CliIo;
  return { io, err: () => Buffer.concat(chunks).toString('utf8') };
}

describe('reportError', () => {
  it('words usage errors as errors and server failures with their name and request id', () => {
    const a = capture();
    expect(reportError(new UsageError('bad flag'), a.io)).toBe(2);
    expect(a.err()).toBe('odps: error: bad flag\n');
    const b = capture();
    expect(reportError(new OdpsError('broken', { code: 'InvalidXml', requestId: 'r1' }), b.io)).toBe(1);
    expect(b.err()).toBe('odps: OdpsError: InvalidXml: broken\nrequest id: r1\n');
    const c = capture();
    expect(reportError(new CredentialsError('CredentialsNotFound', 'no credentials found'), c.io)).toBe(2);
    expect(c.err()).toBe('odps: error: credentials: no credentials found\n');
  });

  it('prints the request id exactly once, also when the message does not carry it', () => {
    const a = capture();
    reportError(new OdpsError('broken', { code: 'InternalServerError', status: 500, requestId: 'req-77' }), a.io);
    expect(a.err().split('req-77').length - 1).toBe(1);
    expect(a.err()).toBe('odps: OdpsError: InternalServerError: broken (HTTP 500)\nrequest id: req-77\n');
    const b = capture();
    const bare = Object.assign(new OdpsError('broken'), { requestId: 'req-88' });
    reportError(bare, b.io);
    expect(b.err()).toBe('odps: OdpsError: broken\nrequest id: req-88\n');
  });

  it.each([
    ['SignatureNotMatch', 'ODPS-0410051: Invalid credentials - accessKeySecret is not matched', 403, /does not match the AccessKey id/],
    ['InvalidSecurityToken', 'The security token has expired', 401, /expired/],
    ['Unauthorized', 'Security token expired', 401, /expired/],
    ['InvalidAccessKeyId', 'Access key id not found', 403, /AccessKey id is unknown/],
  ])('adds a hint for %s', (code, message, status, hint) => {
    const a = capture();
    expect(reportError(new AuthError(message, { code, status, requestId: 'r9' }), a.io)).toBe(1);
    const lines = a.err().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('request id: r9');
    expect(lines[2]).toMatch(/^hint: /);
    expect(lines[2]).toMatch(hint);
    expect(lines[2]).toContain('odps whoami');
  });

  it('gives no credential hint for other failures', () => {
    for (const e of [new AuthError('no permission', { code: 'NoPermission', status: 403 }), new OdpsError('table not found', { code: 'NoSuchObject', status: 404 })]) {
      const a = capture();
      reportError(e, a.io);
      expect(a.err()).not.toContain('hint:');
    }
  });

  it('masks URL passwords and secret parameters in any message', () => {
    const a = capture();
    reportError(new OdpsArgumentError('endpoint must be http(s): ftp://me:hunter2@h/api?AccessKeySecret=s3cr3t&x=1'), a.io);
    expect(a.err()).not.toMatch(/hunter2|s3cr3t/);
    expect(a.err()).toContain('ftp://me:***@h/api?AccessKeySecret=***&x=1');
  });
});

describe('redaction', () => {
  const cases: [string, string][] = [
    ['https://user:pass@host/api', 'https://user:***@host/api'],
    ['https://user:p@ss@host/api', 'https://user:***@host/api'],
    ['https://user@host/api', 'https://user@host/api'],
    ['http://host/api?token=abc&x=1', 'http://host/api?token=***&x=1'],
    ['http://host/api?x=1&password=abc#f', 'http://host/api?x=1&password=***#f'],
    ['http://host/api?Signature=abc;sts_token=def', 'http://host/api?Signature=***;sts_token=***'],
    ['http://host:9000/api', 'http://host:9000/api'],
    ['see http://a:b@h1/x and https://c:d@h2/y', 'see http://a:***@h1/x and https://c:***@h2/y'],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('redactUrl also masks a scheme-less user:password@', () => {
    expect(redactUrl('me:pw@nowhere/api')).toBe('me:***@nowhere/api');
    expect(redactUrl('http://h/api')).toBe('http://h/api');
    expect(redactUrl('http://h:8080/a@b?token=t')).toBe('http://h:8080/a@b?token=***');
    // An unencoded / in the password makes the URL invalid: everything up to the last @ goes.
    expect(redactUrl('https://user:p@ss:w/rd@host/api')).toBe('https://user:***@host/api');
    expect(redactUrl('ftp://u:pw@h/api')).toBe('ftp://u:***@h/api');
  });
});
