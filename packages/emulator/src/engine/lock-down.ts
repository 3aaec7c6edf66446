// Locks a DuckDB instance's configuration so SQL cannot reach host files, the network or extensions.
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The settings applied, in order. `lock_configuration` comes last: after it no SET (of any client
 * text, on any connection of the instance) can change a setting back. They are global settings, so
 * connections opened later (download snapshots) inherit them.
 */
export const SANDBOX_SETTINGS: readonly (readonly [string, string])[] = [
  ['enable_external_access', 'false'],
  ['autoinstall_known_extensions', 'false'],
  ['autoload_known_extensions', 'false'],
  ['lock_configuration', 'true'],
];

/**
 * Apply SANDBOX_SETTINGS on the instance of `conn`. Call it after the emulator's own privileged setup
 * (opening the data file, ATTACH of the results database, the global time zone): those need file
 * access or a SET that the lock refuses afterwards.
 */
export async function lockDown(conn: DuckDBConnection): Promise<void> {
  for (const [name, value] of SANDBOX_SETTINGS) await conn.run(`SET GLOBAL ${name} = ${value}`);
}
