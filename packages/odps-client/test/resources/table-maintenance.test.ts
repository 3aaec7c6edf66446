// Table maintenance: the exact SQL each method submits (hostile names and comments quoted) and typed errors before any request.
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidIdentifierError, InvalidPartitionSpecError, OdpsArgumentError, OdpsTypeError, SqlError } from '../../src/index.js';
import { harness } from '../odps/harness.js';

const schema = (keys: { name: string; type: string }[]) => JSON.stringify({
  comment: 'c', lifecycle: 7,
  columns: [{ name: 'id', type: 'bigint', comment: "it's", isNullable: false }, { name: 'v', type: 'string' }],
  partitionKeys: keys,
});
const tableXml = (name: string, keys: { name: string; type: string }[] = [{ name: 'ds', type: 'string' }]) =>
  `<Table><Name>${name}</Name><Schema format="Json"><![CDATA[${schema(keys)}]]></Schema></Table>`;

describe('table maintenance SQL', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  /** A table named `name` plus a SQL instance that succeeds for every submit; returns the submitted queries. */
  async function setup(name = 't', keys?: { name: string; type: string }[]) {
    h = harness();
    h.on('GET', `/projects/p1/tables/${name}`, { body: tableXml(name, keys) }, { persist: true });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i-m' } }, { persist: true });
    h.on('GET', '/projects/p1/instances/i-m', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus'), persist: true });
    h.on('GET', '/projects/p1/instances/i-m', { body: '<Instance><Tasks><Task><Name>AnonymousSQLTask</Name><Status>Success</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus'), persist: true });
    const t = await h.odps.tables.get(name);
    const parser = new XMLParser({ parseTagValue: false });
    const queries = () => h.seen.filter((s) => s.method === 'POST').map((s) => String(parser.parse(s.body).Instance.Job.Tasks.SQL.Query));
    return { t, queries };
  }

  it('submits one statement per method, in the documented MaxCompute forms', async () => {
    const { t, queries } = await setup();
    await t.truncate();
    await t.truncate({ partitions: [{ ds: '2025' }, 'ds=2026'] });
    await t.setLifecycle(30);
    await t.setComment('new comment');
    await t.addColumns([{ name: 'x', type: 'decimal(10,2)', comment: 'money' }, { name: 'y', type: 'array<string>' }], { ifNotExists: true });
    await t.dropColumns(['v', 'x']);
    await t.changeColumn('v', { newName: 'w' });
    await t.changeColumn('v', { comment: 'just the comment' });
    await t.changeColumn('id', { type: 'bigint', comment: 'typed' });
    await t.touch();
    await t.touch({ partition: { ds: '2025' } });
    expect(queries()).toEqual([
      'TRUNCATE TABLE `p1`.`t`;',
      "TRUNCATE TABLE `p1`.`t` PARTITION (`ds`='2025'), PARTITION (`ds`='2026');",
      'ALTER TABLE `p1`.`t` SET LIFECYCLE 30;',
      "ALTER TABLE `p1`.`t` SET COMMENT 'new comment';",
      "ALTER TABLE `p1`.`t` ADD COLUMNS IF NOT EXISTS (`x` DECIMAL(10,2) COMMENT 'money', `y` ARRAY<STRING>);",
      'ALTER TABLE `p1`.`t` DROP COLUMNS `v`, `x`;',
      'ALTER TABLE `p1`.`t` CHANGE COLUMN `v` RENAME TO `w`;',
      "ALTER TABLE `p1`.`t` CHANGE COLUMN `v` COMMENT 'just the comment';",
      "ALTER TABLE `p1`.`t` CHANGE COLUMN `id` `id` BIGINT COMMENT 'typed';",
      'ALTER TABLE `p1`.`t` TOUCH;',
      "ALTER TABLE `p1`.`t` TOUCH PARTITION (`ds`='2025');",
    ]);
  });

  it('quotes hostile names, comments and partition values so they stay data', async () => {
    const name = 'a`b; DROP TABLE x; --';
    const { t, queries } = await setup(name);
    await t.setComment("x'; DROP TABLE t; --\n\\");
    await t.addColumns([{ name: 'c`); DROP TABLE t; --', type: 'string', comment: "'); --" }]);
    await t.dropColumns(['q`q']);
    await t.changeColumn('v', { newName: 'n`ew' });
    await t.touch({ partition: { ds: "x'); DROP TABLE t; --" } });
    await t.truncate({ partitions: [{ ds: "'" }] });
    const renamed = 'r`x';
    h.on('GET', `/projects/p1/tables/${renamed}`, { body: tableXml(renamed) });
    const r = await t.rename(renamed);
    expect(r.name).toBe(renamed);
    const q = '`p1`.`a``b; DROP TABLE x; --`';
    expect(queries()).toEqual([
      `ALTER TABLE ${q} SET COMMENT 'x\\'; DROP TABLE t; --\\n\\\\';`,
      `ALTER TABLE ${q} ADD COLUMNS (\`c\`\`); DROP TABLE t; --\` STRING COMMENT '\\'); --');`,
      `ALTER TABLE ${q} DROP COLUMNS \`q\`\`q\`;`,
      `ALTER TABLE ${q} CHANGE COLUMN \`v\` RENAME TO \`n\`\`ew\`;`,
      `ALTER TABLE ${q} TOUCH PARTITION (\`ds\`='x\\'); DROP TABLE t; --');`,
      `TRUNCATE TABLE ${q} PARTITION (\`ds\`='\\'');`,
      `ALTER TABLE ${q} RENAME TO \`r\`\`x\`;`,
    ]);
  });

  it('rejects bad arguments with typed errors before submitting anything', async () => {
    const { t, queries } = await setup();
    const bad: [() => Promise<unknown>, new (...a: never[]) => Error][] = [
      [() => t.setLifecycle(0), OdpsArgumentError],
      [() => t.setLifecycle(1.5), OdpsArgumentError],
      [() => t.setLifecycle(Number.NaN), OdpsArgumentError],
      [() => t.setComment(42 as unknown as string), OdpsArgumentError],
      [() => t.addColumns([]), OdpsArgumentError],
      [() => t.addColumns([{ name: 'x', type: 'string', nullable: false }]), OdpsArgumentError],
      [() => t.addColumns([{ name: 'x', type: 'string' }, { name: 'X', type: 'int' }]), OdpsArgumentError],
      [() => t.addColumns([{ name: 'x', type: 'no_such_type' }]), OdpsTypeError],
      [() => t.addColumns([{ name: '', type: 'string' }]), InvalidIdentifierError],
      [() => t.dropColumns([]), OdpsArgumentError],
      [() => t.dropColumns(['ds']), OdpsArgumentError],
      [() => t.dropColumns(['a\u0000b']), InvalidIdentifierError],
      [() => t.changeColumn('v', {}), OdpsArgumentError],
      [() => t.changeColumn('v', { type: 'map<string' }), OdpsTypeError],
      [() => t.changeColumn('x'.repeat(129), { newName: 'y' }), InvalidIdentifierError],
      [() => t.rename(''), InvalidIdentifierError],
      [() => t.rename('a\nb'), InvalidIdentifierError],
      [() => t.touch({ partition: { dt: '1' } }), InvalidPartitionSpecError],
      [() => t.touch({ partition: { ds: '1', hh: '2' } }), InvalidPartitionSpecError],
      [() => t.truncate({ partitions: ["ds='x"] }), InvalidPartitionSpecError],
      [() => t.truncate({ partitions: [{ ds: 'a\u0001' }] }), InvalidPartitionSpecError],
    ];
    for (const [call, type] of bad) await expect(call()).rejects.toBeInstanceOf(type);
    expect(queries()).toEqual([]);
  });

  it('a partition on an unpartitioned table is a typed error', async () => {
    const { t, queries } = await setup('u', []);
    await expect(t.touch({ partition: { ds: '1' } })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(t.truncate({ partitions: ['ds=1'] })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    expect(queries()).toEqual([]);
  });

  it('a statement the service refuses rejects with SqlError', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/u', { body: tableXml('u', []) });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i-f' } });
    h.on('GET', '/projects/p1/instances/i-f', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus') });
    h.on('GET', '/projects/p1/instances/i-f', { body: '<Instance><Tasks><Task><Name>AnonymousSQLTask</Name><Status>Failed</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus') });
    h.on('GET', '/projects/p1/instances/i-f', { body: '<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Format="text">ODPS-0130071:[1,1] Semantic analysis exception - boom</Result></Task></Tasks></Instance>' }, { when: (q) => q.has('result') });
    const u = await h.odps.tables.get('u');
    await expect(u.setLifecycle(3)).rejects.toBeInstanceOf(SqlError);
  });

  it('getDdl renders the loaded metadata locally (no request) and schema-qualifies in three-tier scope', async () => {
    const { t } = await setup();
    const before = h.seen.length;
    expect(t.getDdl()).toBe("CREATE TABLE `p1`.`t` (\n  `id` BIGINT NOT NULL COMMENT 'it\\'s',\n  `v` STRING\n)\nCOMMENT 'c'\nPARTITIONED BY (`ds` STRING)\nLIFECYCLE 7;");
    expect(h.seen.length).toBe(before);
  });
});
