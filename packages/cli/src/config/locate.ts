// Where odps_config.ini is looked for: --config, then ./odps_config.ini, then ~/.odpscmd/odps_config.ini.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export const CONFIG_FILE_NAME = 'odps_config.ini';

export function candidateConfigPaths(cwd: string, home: string | undefined): string[] {
  const out = [path.join(cwd, CONFIG_FILE_NAME)];
  if (home) out.push(path.join(home, '.odpscmd', CONFIG_FILE_NAME));
  return out;
}

/** The config file to read, or undefined when none exists. An explicit --config must exist. */
export function locateConfig(explicit: string | undefined, cwd: string, home: string | undefined): string | undefined {
  if (explicit) {
    const p = path.resolve(cwd, explicit);
    if (!existsSync(p)) throw new UsageError(`config file not found: ${p}`);
    return p;
  }
  return candidateConfigPaths(cwd, home).find((p) => existsSync(p));
}
