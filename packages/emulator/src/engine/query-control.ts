// Cancellation of the DuckDB work of one execute(): instance stop and the maximum query time interrupt it.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlError } from './sql-error.js';

/** How often a cancelled query is interrupted again until DuckDB gives up the connection. */
const REINTERRUPT_MS = 50;

/**
 * Every DuckDB call of a script runs through run(). After cancel() a call in flight is interrupted
 * and fails with the cancel reason, and no later call starts. interrupt() only reaches a query DuckDB
 * has already begun (it is forgotten at the next query's start), so it is repeated while a call is
 * in flight: one still queued in the native worker would otherwise miss it.
 */
export class QueryControl {
  private reason: SqlError | undefined;
  private inFlight = 0;
  private repeat: NodeJS.Timeout | undefined;

  constructor(private readonly conn: DuckDBConnection) {}

  get cancelled(): SqlError | undefined {
    return this.reason;
  }

  cancel(reason: SqlError): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.inFlight === 0) return;
    this.conn.interrupt();
    this.repeat = setInterval(() => this.conn.interrupt(), REINTERRUPT_MS);
    this.repeat.unref();
  }

  throwIfCancelled(): void {
    if (this.reason) throw this.reason;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.throwIfCancelled();
    this.inFlight++;
    try {
      return await fn();
    } catch (err) {
      throw this.reason ?? err;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.repeat) {
        clearInterval(this.repeat);
        this.repeat = undefined;
      }
    }
  }
}
