import { afterEach, describe, expect, it } from 'vitest';
import { InvalidIdentifierError, NoSuchObjectError } from '../../src/errors.js';
import { harness } from '../odps/harness.js';

describe('schemas.create / delete on the wire', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('POSTs a Schema document as Go and Java do, and DELETEs by path', async () => {
    h = harness();
    h.on('POST', '/projects/p1/schemas', { status: 201 });
    await h.odps.schemas.create('ana', { comment: 'a <b> & "c"', ifNotExists: true });
    const post = h.seen[0]!;
    expect(post.headers['content-type'] ?? post.headers['Content-Type']).toBe('application/xml');
    expect(post.body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Schema><Project>p1</Project><Name>ana</Name><Comment>a &lt;b&gt; &amp; &quot;c&quot;</Comment><IfNotExists>true</IfNotExists></Schema>');
    h.on('POST', '/projects/p2/schemas', { status: 201 });
    await h.odps.schemas.create('b', { project: 'p2' });
    expect(h.seen[1]!.body).toContain('<Schema><Project>p2</Project><Name>b</Name><IfNotExists>false</IfNotExists></Schema>');
    h.on('DELETE', '/projects/p1/schemas/ana', { status: 200 });
    await h.odps.schemas.delete('ana');
    h.on('DELETE', '/projects/p1/schemas/gone', { status: 404, body: '<Error><Code>NoSuchSchema</Code><Message>ODPS-0110061:Failed to get schema</Message></Error>' });
    await expect(h.odps.schemas.delete('gone')).rejects.toBeInstanceOf(NoSuchObjectError);
  });

  it('refuses names that are not simple identifiers before sending anything', async () => {
    h = harness();
    for (const bad of ['', 'a/b', 'a b', 'x;y', '..']) {
      await expect(h.odps.schemas.create(bad)).rejects.toBeInstanceOf(InvalidIdentifierError);
      await expect(h.odps.schemas.delete(bad)).rejects.toBeInstanceOf(InvalidIdentifierError);
    }
    expect(h.seen).toHaveLength(0);
  });
});
