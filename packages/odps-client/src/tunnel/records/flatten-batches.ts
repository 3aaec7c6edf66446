// Row-at-a-time async iteration over batches of rows, without an async generator's per-row cost.

/**
 * Same results as `async function* () { for await (const b of batches()) yield* b; }`, but a row already
 * decoded is handed out as a resolved promise (an async generator costs several microtasks per row).
 * `batches()` runs on the first next(); next() calls made while a batch is being fetched are queued in
 * order; after an error or return() the iterator is done; return() closes the batch source.
 */
export function flattenBatches<R>(batches: () => AsyncIterable<R[]>): AsyncGenerator<R, void, undefined> {
  let source: AsyncIterator<R[]> | undefined;
  let batch: R[] = [];
  let i = 0;
  let finished = false;
  let tail: Promise<IteratorResult<R, void>> | null = null;

  const step = async (): Promise<IteratorResult<R, void>> => {
    for (;;) {
      if (i < batch.length) return { value: batch[i++]!, done: false };
      if (finished) return { value: undefined, done: true };
      try {
        source ??= batches()[Symbol.asyncIterator]();
        const r = await source.next();
        if (r.done === true) {
          finished = true;
          batch = [];
        } else {
          batch = r.value;
        }
        i = 0;
      } catch (err) {
        finished = true;
        batch = [];
        throw err;
      }
    }
  };

  const close = async (): Promise<void> => {
    const wasOpen = !finished && source !== undefined;
    finished = true;
    batch = [];
    i = 0;
    if (wasOpen) await source!.return?.();
  };

  /** Runs `op` after every earlier call has settled (an async generator's request queue). */
  const enqueue = (op: () => Promise<IteratorResult<R, void>>): Promise<IteratorResult<R, void>> => {
    const p = tail === null ? op() : tail.then(op, op);
    tail = p;
    const clear = (): void => {
      if (tail === p) tail = null;
    };
    p.then(clear, clear);
    return p;
  };

  const it: AsyncGenerator<R, void, undefined> = {
    next(): Promise<IteratorResult<R, void>> {
      if (tail === null && i < batch.length) return Promise.resolve({ value: batch[i++]!, done: false });
      return enqueue(step);
    },
    return(): Promise<IteratorResult<R, void>> {
      return enqueue(async () => {
        await close();
        return { value: undefined, done: true };
      });
    },
    // As a generator suspended at a yield: the error ends the iteration (closing the source) and is rethrown.
    throw(err: unknown): Promise<IteratorResult<R, void>> {
      return enqueue(async () => {
        await close();
        throw err;
      });
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
