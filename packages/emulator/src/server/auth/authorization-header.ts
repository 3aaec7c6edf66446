// Parser for the `Authorization: ODPS ...` header (v2 and v4 forms, rest.md §1.4-1.5).

export type ParsedAuthorization =
  | { version: 'v2'; accessKeyId: string; signature: string }
  | {
      version: 'v4';
      accessKeyId: string;
      signature: string;
      /** Scope date as sent (`yyyymmdd`) and as a UTC midnight Date for key derivation. */
      scopeDate: string;
      date: Date;
      region: string;
      /** `aliyun` for the default `aliyun_v4_request` terminator. */
      signaturePrefix: string;
    };

/** Returns undefined when the value is not a well-formed ODPS authorization. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = /^ODPS ([^:]+):(\S+)$/.exec(value.trim());
  if (!m) return undefined;
  const credential = m[1] as string;
  const signature = m[2] as string;
  if (!credential.includes('/')) return { version: 'v2', accessKeyId: credential, signature };
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  const dm = /^(\d{4})(\d{2})(\d{2})$/.exec(scopeDate);
  const tm = /^(.+)_v4_request$/.exec(terminator);
  if (!accessKeyId || !dm || !region || service !== 'odps' || !tm) return undefined;
  const date = new Date(Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3])));
  if (Number.isNaN(date.getTime())) return undefined;
  return { version: 'v4', accessKeyId, signature, scopeDate, date, region, signaturePrefix: tm[1] as string };
}
