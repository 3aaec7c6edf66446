// Lenient once-only percent-decoding to UTF-8 text, as the SDKs' URL decoders do.

const utf8 = new TextDecoder('utf-8', { fatal: false });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes `%XX` escapes exactly once. A `%` not followed by two hex digits stays literal and invalid
 * UTF-8 becomes U+FFFD (what Python's unquote does) instead of throwing like decodeURIComponent:
 * a signer must not fail on a URL the transport is able to send.
 * With `plusAsSpace` (query strings, form semantics) `+` means a space.
 */
export function percentDecode(text: string, plusAsSpace: boolean): string {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return text;
  const bytes: number[] = [];
  let out = '';
  const flush = (): void => {
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes));
      bytes.length = 0;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25 /* % */ && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    flush();
    out += plusAsSpace && ch === 0x2b /* + */ ? ' ' : text[i];
  }
  flush();
  return out;
}
