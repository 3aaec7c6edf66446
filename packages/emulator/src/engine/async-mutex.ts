// A FIFO async mutex: the engine runs every DuckDB operation on one connection, one at a time.

export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // The chain must survive failures of earlier holders.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
