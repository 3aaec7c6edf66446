#!/usr/bin/env node
// Entry point of the `odps` executable.
import { EXIT_OK, EXIT_USAGE, fileErrorReason } from './errors.js';
import { main } from './main.js';

// `odps sql ... | head` closes our stdout early: that is the reader's choice, not a failure. Any other
// stdout failure (`> /dev/full`, a full disk) is a local file problem: one line, exit 2, no stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT_OK);
  process.stderr.write(`odps: error: cannot write stdout: ${fileErrorReason(err)}\n`);
  process.exit(EXIT_USAGE);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`odps: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
