// Where data goes: stdout or an --output file, with back-pressure and a clean close.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export interface Sink {
  write(text: string | Uint8Array): Promise<void>;
  /** Flush and close (stdout is flushed, never closed). */
  close(): Promise<void>;
  /** Bytes written so far. */
  readonly bytes: number;
}

export function streamSink(stream: Writable, owned: boolean): Sink {
  let bytes = 0;
  let failure: Error | undefined;
  stream.on('error', (err: Error) => {
    failure = err;
  });
  return {
    get bytes() {
      return bytes;
    },
    write(chunk) {
      if (failure) return Promise.reject(failure);
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (stream.write(chunk)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (err: Error): void => {
          stream.off('drain', onDrain);
          reject(err);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    close() {
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => {
        if (owned) {
          stream.once('error', reject);
          stream.end(() => resolve());
        } else {
          // An empty write's callback fires once everything queued before it is flushed.
          stream.write('', () => resolve());
        }
      });
    },
  };
}

/** `--output <file>` (created/truncated) or the given stdout. */
export function openSink(path: string | undefined, stdout: Writable): Sink {
  return path ? streamSink(createWriteStream(path), true) : streamSink(stdout, false);
}
