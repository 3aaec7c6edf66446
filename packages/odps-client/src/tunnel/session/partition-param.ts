// The `partition=` tunnel parameter: `ds=2025,hh=08`, unquoted and without spaces as the SDKs send it (tunnel.md §2.1).
import { needsQuoting } from '../../core/partition-rules.js';
import { PartitionSpec, type PartitionSpecInput } from '../../core/partition-spec.js';
import { quoteString } from '../../sql/quote.js';

/**
 * Values are validated first (no `,` `/` `=`, no padding or control characters), so plain values go
 * out bare like PyODPS/Java. The SDKs strip quotes here, which would turn `it's` into `its`; a value
 * holding a quote or backslash is instead single-quoted with backslash escapes, as in the REST form.
 */
export function partitionParam(input: PartitionSpecInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  return PartitionSpec.from(input).entries.map(([k, v]) => `${k}=${needsQuoting(v) ? quoteString(v) : v}`).join(',');
}
