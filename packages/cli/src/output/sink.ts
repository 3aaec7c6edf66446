// Where data goes: stdout or an --output file, with back-pressure, a clean close, and an abort that
// leaves no half-written file behind.
import type { Writable } from 'node:stream';
import { LocalFileError } from '../errors.js';
import { openOutputFile } from './output-file.js';

export interface Sink {
  write(text: string | Uint8Array): Promise<void>;
  /** Flush and finish: an output file is put in place, stdout is flushed (never closed). */
  close(): Promise<void>;
  /** The command failed: an output file is removed (stdout keeps what it got). Safe after close. */
  abort(): Promise<void>;
  /** Bytes written so far. */
  readonly bytes: number;
}

interface SinkEnds {
  close(): Promise<void>;
  abort(): Promise<void>;
  /** What a stream error becomes (an output file's errors name the file). */
  wrap(err: Error): Error;
}

function streamSink(stream: Writable, ends: SinkEnds): Sink {
  let bytes = 0;
  let failure: Error | undefined;
  stream.on('error', (err: Error) => {
    failure ??= ends.wrap(err);
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
          reject(ends.wrap(err));
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    close() {
      if (failure) return Promise.reject(failure);
      return ends.close();
    },
    abort() {
      return ends.abort();
    },
  };
}

function stdoutSink(stdout: Writable): Sink {
  return streamSink(stdout, {
    // An empty write's callback fires once everything queued before it is flushed.
    close: () => new Promise<void>((resolve) => stdout.write('', () => resolve())),
    abort: async () => undefined,
    wrap: (err) => err,
  });
}

/** `--output <file>` (checked and created now, in place on close) or the given stdout. */
export async function openSink(path: string | undefined, stdout: Writable): Promise<Sink> {
  if (!path) return stdoutSink(stdout);
  const file = await openOutputFile(path);
  return streamSink(file.stream, {
    close: () => file.commit(),
    abort: () => file.discard(),
    wrap: (err) => LocalFileError.from('write', path, err),
  });
}
