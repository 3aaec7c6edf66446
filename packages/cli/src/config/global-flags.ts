// The connection flags every command accepts (defined once on the root program).
import type { Command } from 'commander';

export interface GlobalFlags {
  config?: string;
  endpoint?: string;
  project?: string;
  tunnelEndpoint?: string;
  logviewHost?: string;
  schema?: string;
  region?: string;
  accessId?: string;
  accessKey?: string;
}

export function addGlobalFlags(program: Command): Command {
  return program
    .option('--config <file>', 'odpscmd-style odps_config.ini (default: ./odps_config.ini, then ~/.odpscmd/odps_config.ini)')
    .option('--endpoint <url>', 'REST endpoint (env ODPS_ENDPOINT, ini end_point)')
    .option('--project <name>', 'project (env ODPS_PROJECT_NAME, ini project_name)')
    .option('--tunnel-endpoint <url>', 'tunnel endpoint (env ODPS_TUNNEL_ENDPOINT, ini tunnel_endpoint; discovered when absent)')
    .option('--logview-host <url>', 'logview host (ini log_view_host; discovered when absent)')
    .option('--schema <name>', 'default schema of a three-tier project (env ODPS_SCHEMA)')
    .option('--region <id>', 'region id, needed for v4 signatures (env ODPS_REGION_NAME)')
    .option('--access-id <id>', 'AccessKey id (prefer the environment or the credentials chain)')
    .option('--access-key <secret>', 'AccessKey secret (visible in the process list: prefer the environment)');
}
