// Host header check: the emulator answers only requests addressed to a name it serves (no DNS rebinding).

/** Names every emulator answers to, whatever it is bound to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** Host names a request may carry, or 'any' when the check is off. */
export type AllowedHosts = readonly string[] | 'any';

function bare(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export class HostPolicy {
  private readonly names: ReadonlySet<string> | 'any';

  /** `bound`: the address listened on (a wildcard adds nothing); `extra`: further names, or 'any'. */
  constructor(
    bound: string,
    extra: AllowedHosts | undefined,
    private readonly port: () => number,
  ) {
    if (extra === 'any') {
      this.names = 'any';
      return;
    }
    const names = new Set(LOOPBACK_NAMES);
    const b = bare(bound);
    if (b !== '0.0.0.0' && b !== '::' && b !== '') names.add(b);
    for (const n of extra ?? []) names.add(bare(n));
    this.names = names;
  }

  /**
   * Whether a Host header names this emulator: an allowed name, optionally with the listening port
   * (`[::1]:port` for IPv6). A missing, empty or malformed header is refused.
   */
  allows(header: string | undefined): boolean {
    if (this.names === 'any') return true;
    if (header === undefined) return false;
    const text = header.trim().toLowerCase();
    let name: string;
    let port: string | undefined;
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      if (close < 0) return false;
      name = text.slice(1, close);
      const rest = text.slice(close + 1);
      if (rest !== '' && !rest.startsWith(':')) return false;
      port = rest === '' ? undefined : rest.slice(1);
    } else {
      const parts = text.split(':');
      if (parts.length > 2) return false;
      name = parts[0]!;
      port = parts[1];
    }
    if (name === '' || !this.names.has(name)) return false;
    return port === undefined || (/^\d{1,5}$/.test(port) && Number(port) === this.port());
  }
}
