// Decimal text normalization: plain notation (no exponent) and digit counts for precision checks.

export interface DecimalText {
  negative: boolean;
  /** integer digits without leading zeros ('' for zero) */
  int: string;
  /** fraction digits as given (trailing zeros kept) */
  frac: string;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;
const MAX_EXPONENT = 400;

/** Splits decimal text, expanding any exponent; undefined if it is not a finite decimal. */
export function parseDecimalText(text: string): DecimalText | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return undefined;
  let int = m[2] ?? '';
  let frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  if (m[4] !== undefined) {
    const exp = Number(m[4]);
    if (Math.abs(exp) > MAX_EXPONENT) return undefined;
    const digits = int + frac;
    let point = int.length + exp;
    let all = digits;
    if (point < 0) { all = '0'.repeat(-point) + all; point = 0; }
    if (point > all.length) all = all + '0'.repeat(point - all.length);
    int = all.slice(0, point);
    frac = all.slice(point);
  }
  int = int.replace(/^0+/, '');
  const isZero = int === '' && /^0*$/.test(frac);
  return { negative: m[1] === '-' && !isZero, int, frac };
}

export function formatDecimalText(d: DecimalText): string {
  return (d.negative ? '-' : '') + (d.int === '' ? '0' : d.int) + (d.frac === '' ? '' : '.' + d.frac);
}
