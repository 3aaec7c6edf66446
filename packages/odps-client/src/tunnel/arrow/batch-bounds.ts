// Structural check of a decoded Arrow batch: offsets and child lengths must stay inside their buffers.
import type { Data, RecordBatch } from 'apache-arrow';
import type { TunnelError } from '../../errors.js';
import { malformedArrow } from './malformed.js';

function bad(column: string, why: string): TunnelError {
  return malformedArrow(`column "${column}" ${why}`);
}

function checkData(d: Data, column: string): void {
  const offsets = d.valueOffsets as ArrayLike<number | bigint> | undefined;
  if (offsets && offsets.length > 0) {
    if (d.offset + d.length + 1 > offsets.length) throw bad(column, 'has fewer offsets than rows');
    // Variable-width values (strings, binary) index `values`; lists and maps index their child.
    const child = d.children[0];
    const limit = child ? child.offset + child.length : d.values ? d.values.length : 0;
    let prev = Number(offsets[d.offset]);
    if (prev < 0) throw bad(column, 'has a negative offset');
    for (let i = d.offset + 1; i <= d.offset + d.length; i++) {
      const o = Number(offsets[i]);
      if (o < prev) throw bad(column, 'has decreasing offsets');
      prev = o;
    }
    if (prev > limit) throw bad(column, `has offsets past its ${limit} values`);
  }
  for (const c of d.children) checkData(c, column);
}

/**
 * apache-arrow trusts IPC offsets: garbage offsets (a payload corrupted under valid CRCs) make lists of
 * tens of millions of phantom elements and hang row conversion. Refuse such batches up front.
 */
export function checkBatchBounds(batch: RecordBatch): void {
  batch.data.children.forEach((d, i) => {
    if (d.length < batch.numRows) throw bad(batch.schema.fields[i]?.name ?? String(i), `has ${d.length} rows, the batch ${batch.numRows}`);
    checkData(d, batch.schema.fields[i]?.name ?? String(i));
  });
}
