// File formats of download/upload, inferred from the file name when --format is not given.
import { UsageError } from '../errors.js';

export type TransferFormat = 'csv' | 'ndjson' | 'arrow';
export const TRANSFER_FORMATS: readonly TransferFormat[] = ['csv', 'ndjson', 'arrow'];

const BY_EXTENSION: [RegExp, TransferFormat][] = [
  [/\.csv$/i, 'csv'],
  [/\.(ndjson|jsonl)$/i, 'ndjson'],
  [/\.(arrow|arrows|feather|ipc)$/i, 'arrow'],
];

export function transferFormat(explicit: TransferFormat | undefined, file: string | undefined): TransferFormat {
  if (explicit) return explicit;
  if (!file) return 'csv';
  const found = BY_EXTENSION.find(([re]) => re.test(file))?.[1];
  if (found) return found;
  throw new UsageError(`cannot tell the format of ${JSON.stringify(file)} from its extension: give --format ${TRANSFER_FORMATS.join('|')}`);
}
