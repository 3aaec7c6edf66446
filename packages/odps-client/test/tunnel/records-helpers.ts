// Test helpers: hex conversion and hand-built varints for the record format tests.

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Unsigned varint of a non-negative bigint (any size below 2^64). */
export function varint(v: bigint | number): Uint8Array {
  let x = BigInt(v);
  const out: number[] = [];
  while (x > 0x7fn) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return Uint8Array.from(out);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function int32le(v: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v | 0);
  return new Uint8Array(b);
}
