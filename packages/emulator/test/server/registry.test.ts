import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, xmlText } from './helpers.js';

const R = '/projects/demo/resources';
const F = '/projects/demo/registration/functions';

function fileHeaders(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'Content-Type': 'application/octet-stream', 'x-odps-resource-type': 'file', 'x-odps-resource-name': name, ...extra };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('emulator resource and function routes', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine() });
  });
  afterAll(async () => {
    await emu.close();
  });

  async function part(name: string, body: string): Promise<void> {
    const res = await call(emu, 'POST', `${R}?rIsPart=true`, { body, headers: fileHeaders(name, { 'x-odps-resource-istemp': 'true' }) });
    expect(res.status).toBe(201);
  }

  it('answers meta in headers and content by rOffset/rSize with x-odps-resource-has-remaining', async () => {
    expect((await call(emu, 'POST', R, { body: 'abcdef', headers: fileHeaders('a.txt', { 'x-odps-comment': 'hi' }) })).status).toBe(201);
    const meta = await call(emu, 'GET', `${R}/a.txt?meta`);
    expect(meta.status).toBe(200);
    expect(meta.text).toBe('');
    expect(meta.headers).toMatchObject({ 'x-odps-resource-type': 'file', 'x-odps-resource-size': '6', 'x-odps-comment': 'hi', 'x-odps-resource-istemp': 'false', 'content-md5': md5('abcdef') });
    expect(meta.headers['x-odps-creation-time']).toMatch(/GMT$/);
    const w = await call(emu, 'GET', `${R}/a.txt?rOffset=2&rSize=3`);
    expect([w.text, w.headers['x-odps-resource-has-remaining']]).toEqual(['cde', 'true']);
    const last = await call(emu, 'GET', `${R}/a.txt?rOffset=5&rSize=3`);
    expect([last.text, last.headers['x-odps-resource-has-remaining']]).toEqual(['f', 'false']);
    const past = await call(emu, 'GET', `${R}/a.txt?rOffset=99`);
    expect([past.status, past.text, past.headers['x-odps-resource-has-remaining']]).toEqual([200, '', 'false']);
    const list = await call(emu, 'GET', `${R}?expectmarker=true`);
    expect(xmlText(list.text, 'ResourceType')).toBe('FILE');
  });

  it('merges parts in the listed order and removes them', async () => {
    await part('m.bin.part.tmp.000001.000000', 'hello ');
    await part('m.bin.part.tmp.000001.000001', 'world');
    await part('m.bin.part.tmp.000001.000001', 'world'); // a part may be re-sent (retry)
    const body = `${md5('hello world')}|m.bin.part.tmp.000001.000000,m.bin.part.tmp.000001.000001`;
    const res = await call(emu, 'POST', `${R}?rOpMerge=true`, { body, headers: fileHeaders('m.bin', { 'x-odps-resource-merge-total-bytes': '11' }) });
    expect(res.status).toBe(201);
    expect((await call(emu, 'GET', `${R}/m.bin`)).text).toBe('hello world');
    expect((await call(emu, 'GET', `${R}/m.bin.part.tmp.000001.000000?meta`)).status).toBe(404);
  });

  it('refuses hostile or inconsistent uploads with 4xx and changes nothing', async () => {
    await part('h.part.0', 'abc');
    const good = `${md5('abc')}|h.part.0`;
    const cases: [string, string, string, Record<string, string>, number][] = [
      ['bad md5', `${R}?rOpMerge=true`, `${md5('zzz')}|h.part.0`, fileHeaders('h.bin'), 400],
      ['md5 not hex', `${R}?rOpMerge=true`, 'xyz|h.part.0', fileHeaders('h.bin'), 400],
      ['no parts', `${R}?rOpMerge=true`, `${md5('')}|`, fileHeaders('h.bin'), 400],
      ['missing part', `${R}?rOpMerge=true`, `${md5('abc')}|h.part.9`, fileHeaders('h.bin'), 404],
      ['total bytes mismatch', `${R}?rOpMerge=true`, good, fileHeaders('h.bin', { 'x-odps-resource-merge-total-bytes': '4' }), 400],
      ['merge into a table', `${R}?rOpMerge=true`, good, { ...fileHeaders('h.bin'), 'x-odps-resource-type': 'table', 'x-odps-copy-table-source': 'demo.t' }, 400],
      ['non-temp part', `${R}?rIsPart=true`, 'x', fileHeaders('h.part.1'), 400],
      ['unknown type', R, 'x', { ...fileHeaders('h.bin'), 'x-odps-resource-type': 'exe' }, 400],
      ['no name', R, 'x', { 'x-odps-resource-type': 'file' }, 400],
      ['path traversal name', R, 'x', fileHeaders('../etc'), 400],
      ['table without source', R, '', { ...fileHeaders('t'), 'x-odps-resource-type': 'table' }, 400],
      ['header/path name differ', `${R}/a.txt`, 'x', fileHeaders('b.txt'), 400],
    ];
    for (const [what, path, body, headers, status] of cases) {
      const method = path.startsWith(`${R}/`) ? 'PUT' : 'POST';
      const res = await call(emu, method, path, { body, headers });
      expect(res.status, what).toBe(status);
      expect(xmlText(res.text, 'Code'), what).toBeTruthy();
    }
    expect((await call(emu, 'GET', `${R}/h.bin?meta`)).status).toBe(404);
    expect((await call(emu, 'GET', `${R}/h.part.0`)).text).toBe('abc');
    for (const q of ['rOffset=-1', 'rSize=abc', 'rOffset=1e3']) expect((await call(emu, 'GET', `${R}/a.txt?${q}`)).status, q).toBe(400);
  });

  it('validates function bodies and answers Function XML', async () => {
    await call(emu, 'POST', R, { body: 'PK', headers: { ...fileHeaders('u.jar'), 'x-odps-resource-type': 'jar' } });
    const body = '<?xml version="1.0"?><Function><Alias>up</Alias><ClassType>com.x.Up</ClassType><Resources><ResourceName>u.jar</ResourceName></Resources></Function>';
    expect((await call(emu, 'POST', F, { body })).status).toBe(201);
    const got = await call(emu, 'GET', `${F}/UP`);
    expect(got.status).toBe(200);
    expect(got.text).toContain('<Alias>up</Alias>');
    expect(got.text).toContain('<Resources><ResourceName>u.jar</ResourceName></Resources>');
    expect(xmlText(got.text, 'IsSqlFunction')).toBe('false');
    const bad: [string, string, number][] = [
      ['no Function', '<Other/>', 400],
      ['not xml', '<Function><Alias>', 400],
      ['doctype', '<!DOCTYPE x [<!ENTITY e "x">]><Function><Alias>&e;</Alias></Function>', 400],
      ['no alias', '<Function><ClassType>a.B</ClassType></Function>', 400],
      ['bad alias', '<Function><Alias>a-b</Alias><ClassType>a.B</ClassType></Function>', 400],
      ['no class', '<Function><Alias>nc</Alias></Function>', 400],
      ['sql flag without text', '<Function><Alias>s</Alias><IsSqlFunction>true</IsSqlFunction></Function>', 400],
      ['missing resource', '<Function><Alias>mr</Alias><ClassType>a.B</ClassType><Resources><ResourceName>no.jar</ResourceName></Resources></Function>', 404],
      ['duplicate', body, 409],
    ];
    for (const [what, b, status] of bad) expect((await call(emu, 'POST', F, { body: b })).status, what).toBe(status);
    expect((await call(emu, 'PUT', `${F}/other`, { body })).status).toBe(400);
    expect((await call(emu, 'DELETE', `${F}/nope`)).status).toBe(404);
    expect((await call(emu, 'DELETE', `${F}/up`)).status).toBe(204);
  });
});

describe('registry persistence', () => {
  it('refuses to start on an unreadable registry index instead of starting empty', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'odps-reg-bad-'));
    try {
      mkdirSync(join(dir, 'registry'), { recursive: true });
      writeFileSync(join(dir, 'registry', 'registry.json'), '{"resources": [');
      await expect(startEmulator({ engine: fakeEngine(), dataDir: dir })).rejects.toThrow(/registry .* is unreadable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
