// `-o <file>`: data goes to a temporary file next to it that is renamed into place only on success, so
// a failed or interrupted command leaves no half-written file and an existing file keeps its contents.
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync, type Stats } from 'node:fs';
import { access, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { LocalFileError } from '../errors.js';

export interface OutputFile {
  readonly stream: Writable;
  /** Flush, close and put the file in place. */
  commit(): Promise<void>;
  /** Close and remove what was written (a no-op after commit, and when writing in place). */
  discard(): Promise<void>;
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw LocalFileError.from('write', file, err);
  }
}

/** A device, FIFO or a file whose directory we may not write is written where it is: nothing to rename or clean. */
async function inPlace(file: string): Promise<OutputFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'w');
  } catch (err) {
    throw LocalFileError.from('write', file, err);
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    async commit() {
      stream.end();
      await finished(stream).catch((err: unknown) => {
        throw LocalFileError.from('write', file, err);
      });
    },
    async discard() {
      stream.destroy();
    },
  };
}

export async function openOutputFile(file: string): Promise<OutputFile> {
  const existing = await statOrUndefined(file);
  if (existing?.isDirectory()) throw new LocalFileError('write', file, 'it is a directory');
  if (existing && !existing.isFile()) return inPlace(file);
  // Through a symlink: replace the file it points to, not the link.
  const target = existing ? await realpath(file) : file;
  if (existing) {
    try {
      await access(target, constants.W_OK);
    } catch (err) {
      throw LocalFileError.from('write', file, err);
    }
  }
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // No new file may be made next to an existing one (a read-only directory, /proc): write it in place,
    // which fails with the real reason if the file itself cannot be written either.
    if (existing && ['EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes(code)) return inPlace(file);
    if (code === 'ENOENT' && !(await statOrUndefined(dir))) throw new LocalFileError('write', file, `directory ${dir} does not exist`, { cause: err });
    throw LocalFileError.from('write', file, err);
  }
  // `open`'s mode passes through the umask: give a replaced file its old permissions back.
  if (existing) await handle.chmod(existing.mode & 0o7777).catch(() => undefined);
  // A second Ctrl-C exits at once, without unwinding: the temporary file must still go.
  const onExit = (): void => {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or removed
    }
  };
  process.on('exit', onExit);
  const stream = handle.createWriteStream();
  let settled = false;
  const remove = async (): Promise<void> => {
    settled = true;
    process.off('exit', onExit);
    await unlink(temp).catch(() => undefined);
  };
  return {
    stream,
    async commit() {
      if (settled) return;
      try {
        stream.end();
        await finished(stream);
        await rename(temp, target);
      } catch (err) {
        await remove();
        throw LocalFileError.from('write', file, err);
      }
      settled = true;
      process.off('exit', onExit);
    },
    async discard() {
      if (settled) return;
      stream.destroy();
      await finished(stream).catch(() => undefined);
      await remove();
    },
  };
}
