// Registers every `odps` subcommand on the program. A command is two files: `<name>-command.ts` declares
// its options and help and is imported here; `<name>.ts` holds its code and is imported only when the
// command runs (keep value imports of the client, Arrow and the tunnel code out of `*-command.ts`).
import type { Command } from 'commander';
import type { CliIo } from '../context.js';
import { registerCompletion } from './completion.js';
import { registerDesc } from './desc-command.js';
import { registerDownload } from './download-command.js';
import { registerEmulator } from './emulator.js';
import { registerInstance } from './instance-command.js';
import { registerInstances } from './instances-command.js';
import { registerSql } from './sql-command.js';
import { registerTables } from './tables-command.js';
import { registerUpload } from './upload-command.js';
import { registerUpsert } from './upsert-command.js';
import { registerWhoami } from './whoami-command.js';

export function registerCommands(program: Command, io: CliIo): void {
  registerWhoami(program, io);
  registerTables(program, io);
  registerDesc(program, io);
  registerSql(program, io);
  registerDownload(program, io);
  registerUpload(program, io);
  registerUpsert(program, io);
  registerInstances(program, io);
  registerInstance(program, io);
  registerEmulator(program, io);
  registerCompletion(program, io);
}
