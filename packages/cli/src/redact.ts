// Masks secrets a URL can carry (a password in its userinfo, secret-named query parameters) in any text
// before it is printed: endpoints in `whoami`, and every message written to stderr.

const MASK = '***';

/** `scheme://user:password@host`: everything between the first `:` of the userinfo and its last `@`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#]*@/gi;
/**
 * A configured value's userinfo, up to the value's last `@`: a password with an unencoded `/` or `@` makes
 * the URL invalid, and then no parser can tell where it ends (masking too much beats leaking).
 */
const VALUE_PASSWORD = /^((?:[a-z][a-z0-9+.-]*:\/\/)?[^\s/?#@:]*:)\S*@/i;
/** `?token=...`, `&AccessKeySecret=...`, `;password=...`: parameters whose name says they hold a secret. */
const SECRET_PARAM = /([?&;][^\s=&#;?]*(?:secret|token|passw(?:or)?d|pwd|signature|credential|access_?key)[^\s=&#;?]*=)[^\s&#;]*/gi;

export function redactSecrets(text: string): string {
  return text.replace(URL_PASSWORD, `$1${MASK}@`).replace(SECRET_PARAM, `$1${MASK}`);
}

/** A configured URL for display: as typed, with its password and secret parameters masked. */
export function redactUrl(value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  // `me:pw@host` parses too, as scheme `me:` with no host: only a URL with a host has a trustworthy userinfo.
  const clean = parsed !== undefined && parsed.host !== '' && parsed.password === '';
  const masked = clean ? value : value.replace(VALUE_PASSWORD, `$1${MASK}@`);
  return redactSecrets(masked);
}
