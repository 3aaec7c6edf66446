// The `partition=` tunnel parameter: `ds=2025,hh=08`, quotes removed, no spaces (tunnel.md §2.1).
import { PartitionSpec, type PartitionSpecInput } from '../../resources/partition-spec.js';

export function partitionParam(input: PartitionSpecInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  return PartitionSpec.from(input).entries.map(([k, v]) => `${k}=${v}`).join(',');
}
