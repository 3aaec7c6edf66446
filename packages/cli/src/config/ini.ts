// odpscmd's odps_config.ini: `key=value` lines, `#`/`;` comments, no sections (sections are tolerated).
import { readFileSync } from 'node:fs';
import { fileErrorReason, UsageError } from '../errors.js';

export type IniValues = Record<string, string>;

export function parseIni(text: string): IniValues {
  const out: IniValues = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || (line.startsWith('[') && line.endsWith(']'))) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) value = value.slice(1, -1);
    // odpscmd writes unset keys as `key=`: treat them as absent so a lower source can still fill them.
    if (value !== '') out[key] = value;
  }
  return out;
}

export function readIni(path: string): IniValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${fileErrorReason(err)}`, { cause: err });
  }
  return parseIni(text);
}
