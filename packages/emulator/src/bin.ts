#!/usr/bin/env node
// Executable entry of `odps-emulator`: runs the CLI and exits with its code.
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2));
// Let stdout/stderr drain; a leftover handle must not keep a stopped emulator alive.
setTimeout(() => process.exit(), 2000).unref();
