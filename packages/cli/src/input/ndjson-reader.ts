// Streaming NDJSON reader: one JSON object per line, blank lines skipped.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export class NdjsonSyntaxError extends Error {
  override name = 'NdjsonSyntaxError';
}

export async function* readNdjson(input: Readable): AsyncGenerator<{ object: Record<string, unknown>; line: number }> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new NdjsonSyntaxError(`line ${n}: not JSON (${(err as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new NdjsonSyntaxError(`line ${n}: expected a JSON object per line`);
    yield { object: v as Record<string, unknown>, line: n };
  }
}
