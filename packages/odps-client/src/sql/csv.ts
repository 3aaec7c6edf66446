// CSV reader for `?result` task output: RFC 4180 quoting, `\N` as NULL (as PyODPS reads it).

/** Parse CSV text into rows of fields; `\N` fields become null. Handles quotes, "" escapes, CRLF. */
export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const n = text.length;
  const endField = (): void => {
    // Only a bare \N is NULL: a quoted "\N" is the two-character string (how the emulator writes it).
    row.push(field === '\\N' && !wasQuoted ? null : field);
    field = '';
    wasQuoted = false;
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      i++;
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (c === '\n') {
      endRow();
      i++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0 || wasQuoted) endRow();
  return rows;
}
