// Exact decimal text <-> scaled bigint (DuckDB DECIMAL stores value * 10^scale).

const DEC_RE = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** Scaled integer of a decimal given as text/number/bigint, rounding half away from zero; undefined if not a number. */
export function toScaled(input: string | number | bigint, scale: number): bigint | undefined {
  if (typeof input === 'bigint') return input * 10n ** BigInt(scale);
  if (typeof input === 'number' && !Number.isFinite(input)) return undefined;
  const text = typeof input === 'number' ? String(input) : input;
  const m = DEC_RE.exec(text);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  let digits = BigInt((intPart + fracPart) || '0');
  const shift = scale + exp - fracPart.length;
  if (shift >= 0) {
    digits *= 10n ** BigInt(shift);
  } else {
    const div = 10n ** BigInt(-shift);
    const q = digits / div;
    const r = digits % div;
    digits = r * 2n >= div ? q + 1n : q;
  }
  return m[1] === '-' ? -digits : digits;
}

/** Decimal text of a scaled integer, keeping `scale` fractional digits ('12.30', '-0.05'). */
export function formatScaled(value: bigint, scale: number): string {
  const neg = value < 0n;
  let digits = (neg ? -value : value).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= scale) digits = digits.padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
}
