// Registers every `odps` subcommand on the program.
import type { Command } from 'commander';
import type { CliIo } from '../context.js';
import { registerDesc } from './desc.js';
import { registerDownload } from './download.js';
import { registerEmulator } from './emulator.js';
import { registerInstance } from './instance.js';
import { registerInstances } from './instances.js';
import { registerSql } from './sql.js';
import { registerTables } from './tables.js';
import { registerUpload } from './upload.js';
import { registerUpsert } from './upsert.js';
import { registerWhoami } from './whoami.js';

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
}
