// Decodes one uploaded block in the record format, verifying every CRC (tunnel.md §3.4, §3.5).
import { RecordStreamDecoder, type Column } from '@odps-ts/odps-client';
import { tunnelErrors } from './tunnel-errors.js';

function decodeStep(step: () => unknown[][], rows: unknown[][]): void {
  let decoded: unknown[][];
  try {
    decoded = step();
  } catch (err) {
    // Anything the decoder rejects (checksum, truncation, bad tag, bad value) is the client's data.
    throw tunnelErrors.malformed(err instanceof Error ? err.message : String(err));
  }
  for (const row of decoded) rows.push(row);
}

export async function decodeRecordBlock(chunks: AsyncIterable<Uint8Array>, columns: readonly Column[]): Promise<unknown[][]> {
  // STRING as raw bytes: the engine refuses non-UTF-8 text instead of storing U+FFFD in its place.
  const decoder = new RecordStreamDecoder(columns, { binaryStrings: true });
  const rows: unknown[][] = [];
  for await (const chunk of chunks) decodeStep(() => decoder.push(chunk), rows);
  decodeStep(() => decoder.end(), rows);
  return rows;
}
