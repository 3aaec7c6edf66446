// A configured value together with the place it came from (for `odps whoami`).

export interface Sourced<T> {
  value: T;
  /** e.g. "flag --endpoint", "env ODPS_ENDPOINT", "config /home/u/.odpscmd/odps_config.ini (end_point)". */
  source: string;
}

/** First defined, non-empty candidate wins: the list is in precedence order. */
export function firstOf(candidates: readonly (Sourced<string | undefined> | undefined)[]): Sourced<string> | undefined {
  for (const c of candidates) if (c && c.value !== undefined && c.value !== '') return c as Sourced<string>;
  return undefined;
}
