// Parsing the session documents the tunnel answers with (tunnel.md §2.1, §6.1, §7).
import { TunnelError } from '../../errors.js';
import type { Column } from '../../types/column.js';

export interface SessionSchema {
  /** Data columns in table (or result) order. */
  columns: Column[];
  partitionColumns: Column[];
}

type Json = Record<string, unknown>;

function asColumns(v: unknown): Column[] {
  if (!Array.isArray(v)) return [];
  return v.map((c: unknown, i) => {
    const o = (c ?? {}) as Json;
    const name = typeof o['name'] === 'string' ? o['name'] : typeof o['Name'] === 'string' ? o['Name'] : undefined;
    const type = typeof o['type'] === 'string' ? o['type'] : typeof o['Type'] === 'string' ? o['Type'] : undefined;
    if (name === undefined || type === undefined) throw new TunnelError(`session schema column ${i} has no name or type`, { code: 'InvalidSessionSchema' });
    const col: Column = { name, type: type.toLowerCase() };
    if (typeof o['comment'] === 'string' && o['comment'] !== '') col.comment = o['comment'];
    if (typeof o['nullable'] === 'boolean') col.nullable = o['nullable'];
    return col;
  });
}

export function parseSessionSchema(v: unknown): SessionSchema {
  const o = (v ?? {}) as Json;
  return { columns: asColumns(o['columns']), partitionColumns: asColumns(o['partitionKeys']) };
}

export function str(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(o: Json, key: string): number | undefined {
  const v = o[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function requireString(o: Json, key: string, what: string): string {
  const v = str(o, key);
  if (!v) throw new TunnelError(`${what} answer has no ${key}`, { code: 'InvalidSessionResponse' });
  return v;
}
