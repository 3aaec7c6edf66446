// A single-producer single-consumer queue with back-pressure, used to merge parallel range readers in order.

/** `push` waits while the queue holds `capacity` units or more; `shift` waits for data or the end. */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private held = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private closed = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity: number, private readonly sizeOf: (item: T) => number) {}

  /** Resolves once the item is queued (false if the consumer went away). */
  async push(item: T): Promise<boolean> {
    while (!this.closed && this.held >= this.capacity) {
      await new Promise<void>((r) => { this.wakeProducer = r; });
    }
    if (this.closed) return false;
    this.items.push(item);
    this.held += this.sizeOf(item);
    this.wake('consumer');
    return true;
  }

  end(): void {
    this.ended = true;
    this.wake('consumer');
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.wake('consumer');
  }

  /** The consumer is gone: release the producer and drop what is held. */
  close(): void {
    this.closed = true;
    this.items.length = 0;
    this.held = 0;
    this.wake('producer');
  }

  /** Next item, or undefined at the end; rethrows the producer's error after the items before it. */
  async shift(): Promise<T | undefined> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift() as T;
        this.held -= this.sizeOf(item);
        this.wake('producer');
        return item;
      }
      if (this.failure) throw this.failure.error;
      if (this.ended || this.closed) return undefined;
      await new Promise<void>((r) => { this.wakeConsumer = r; });
    }
  }

  private wake(who: 'consumer' | 'producer'): void {
    const f = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    f?.();
  }
}
