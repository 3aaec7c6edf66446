// Streaming RFC 4180 CSV reader that remembers which fields were quoted (unquoted empty = NULL).
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** One record: `null` for an unquoted empty field, the text otherwise. */
export type CsvRecord = (string | null)[];

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

/** Parse CSV chunks; yields records, with the 1-based line where each record started. */
/** `delimiter`: one character between fields (`,` by default; `\t` for TSV). */
export async function* readCsv(input: AsyncIterable<Buffer | string> | Readable, delimiter = ','): AsyncGenerator<{ record: CsvRecord; line: number }> {
  const decoder = new StringDecoder('utf8');
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let afterQuote = false;
  let record: CsvRecord = [];
  let line = 1;
  let recordLine = 1;
  let pendingQuote = false; // saw a quote inside quotes; next char decides: "" escape or closing
  let started = false;

  const endField = (): void => {
    record.push(!quoted && field === '' ? null : field);
    field = '';
    quoted = false;
    afterQuote = false;
  };

  const out: { record: CsvRecord; line: number }[] = [];
  const endRecord = (): void => {
    endField();
    // A blank line is no record.
    if (!(record.length === 1 && record[0] === null)) out.push({ record, line: recordLine });
    record = [];
    started = false;
  };

  let first = true;
  const feed = (input: string): void => {
    let text = input;
    if (first && text.length > 0) {
      first = false;
      // Spreadsheet exports often start with a byte-order mark.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (!started) {
        started = true;
        recordLine = line;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (c === '"') {
          field += '"';
          continue;
        }
        inQuotes = false;
        afterQuote = true;
      }
      if (inQuotes) {
        if (c === '"') pendingQuote = true;
        else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (c === delimiter) endField();
      else if (c === '\n') {
        endRecord();
        line++;
      } else if (c === '\r') {
        // CR of CRLF: the LF ends the record.
      } else if (c === '"' && field === '' && !quoted) {
        inQuotes = true;
        quoted = true;
      } else if (afterQuote) {
        throw new CsvSyntaxError(`line ${line}: unexpected ${JSON.stringify(c)} after a closing quote`);
      } else field += c;
    }
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    yield* out.splice(0);
  }
  feed(decoder.end());
  if (pendingQuote) {
    pendingQuote = false;
    inQuotes = false;
  }
  if (inQuotes) throw new CsvSyntaxError(`line ${recordLine}: unterminated quoted field`);
  if (started) endRecord();
  yield* out.splice(0);
}
