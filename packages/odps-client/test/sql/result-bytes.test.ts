// `?result` CSV carried as raw bytes (Transform="Base64"): BINARY and STRING values come back byte-exact.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/http/xml.js';
import { parseTaskResults } from '../../src/resources/instance-xml.js';
import { parseCsv } from '../../src/sql/csv.js';
import { sqlResultFromTask } from '../../src/sql/result.js';

function resultXml(csv: Buffer, descriptor: { Name: string; Type: string }[]): string {
  const desc = JSON.stringify({ IsSelect: true, SelectResultStatus: 'YES', Schema: { Columns: descriptor } });
  return `<?xml version="1.0" encoding="UTF-8"?><Instance><Tasks><Task Type="SQL"><Name>t</Name><Status>Success</Status>`
    + `<Result Format="text" Transform="Base64">${csv.toString('base64')}</Result><ResultDescriptor><![CDATA[${desc}]]></ResultDescriptor></Task></Tasks></Instance>`;
}

const cols = [{ Name: 'b', Type: 'binary' }, { Name: 's', Type: 'string' }, { Name: 'n', Type: 'bigint' }];

describe('?result CSV as bytes', () => {
  const binaries = [
    [0x00, 0x7f, 0x80, 0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0x22, 0x2c, 0x0a, 0x0d], [0x5c, 0x4e], [],
    Array.from({ length: 256 }, (_, i) => i),
  ].map((a) => Buffer.from(a));

  it('decodes BINARY fields to the exact bytes the server sent (quoted or not)', () => {
    const lines = [Buffer.from('b,s,n\n')];
    binaries.forEach((bin, i) => {
      const needsQuote = [0x22, 0x2c, 0x0a, 0x0d].some((c) => bin.includes(c)) || (bin.length === 2 && bin[0] === 0x5c && bin[1] === 0x4e);
      const field = needsQuote ? Buffer.concat([Buffer.from('"'), Buffer.from(bin.toString('latin1').replace(/"/g, '""'), 'latin1'), Buffer.from('"')]) : bin;
      lines.push(field, Buffer.from(`,é${i},${i}\n`));
    });
    const [task] = parseTaskResults(parseXml(resultXml(Buffer.concat(lines), cols)));
    const result = sqlResultFromTask(task!);
    expect(result.rows.map((r) => [...(r[0] as Uint8Array)])).toEqual(binaries.map((b) => [...b]));
    expect(result.rows.map((r) => r[1])).toEqual(binaries.map((_, i) => `é${i}`));
    expect(result.rows.map((r) => r[2])).toEqual(binaries.map((_, i) => BigInt(i)));
  });

  it('STRING with non-UTF-8 bytes: exact bytes with binaryStrings', () => {
    const csv = Buffer.concat([Buffer.from('b,s,n\n\\N,'), Buffer.from([0x61, 0xff, 0x62]), Buffer.from(',1\n')]);
    const [task] = parseTaskResults(parseXml(resultXml(csv, cols)));
    const raw = sqlResultFromTask(task!, { binaryStrings: true });
    expect([...(raw.rows[0]![1] as Uint8Array)]).toEqual([0x61, 0xff, 0x62]);
    expect(raw.rows[0]![0]).toBeNull();
  });

  it('a quoted \\N is the two-character string, an unquoted one is NULL', () => {
    expect(parseCsv('a,b\n"\\N",\\N\n')).toEqual([['a', 'b'], ['\\N', null]]);
  });
});
