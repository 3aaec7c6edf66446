// Merges flags, environment and odps_config.ini into client options, remembering each value's source.
import type { OdpsOptions } from '@odps-ts/odps-client';
import { UsageError } from '../errors.js';
import { redactUrl } from '../redact.js';
import { chooseCredentials, type CredentialChoice } from './credentials.js';
import type { GlobalFlags } from './global-flags.js';
import { readIni, type IniValues } from './ini.js';
import { candidateConfigPaths, locateConfig } from './locate.js';
import { firstOf, type Sourced } from './sources.js';

export interface ResolveInput {
  flags: GlobalFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string | undefined;
}

export interface ResolvedConfig {
  endpoint: Sourced<string>;
  project: Sourced<string>;
  tunnelEndpoint?: Sourced<string>;
  logviewHost?: Sourced<string>;
  schema?: Sourced<string>;
  region?: Sourced<string>;
  credentials: CredentialChoice;
  /** The ini file read, if any. */
  configFile?: string;
  /** Where we looked when no --config was given. */
  searched: string[];
}

type Key = 'endpoint' | 'project' | 'tunnelEndpoint' | 'logviewHost' | 'schema' | 'region';

const SPEC: Record<Key, { flag: string; env?: string; ini?: string }> = {
  endpoint: { flag: '--endpoint', env: 'ODPS_ENDPOINT', ini: 'end_point' },
  project: { flag: '--project', env: 'ODPS_PROJECT_NAME', ini: 'project_name' },
  tunnelEndpoint: { flag: '--tunnel-endpoint', env: 'ODPS_TUNNEL_ENDPOINT', ini: 'tunnel_endpoint' },
  logviewHost: { flag: '--logview-host', ini: 'log_view_host' },
  schema: { flag: '--schema', env: 'ODPS_SCHEMA' },
  region: { flag: '--region', env: 'ODPS_REGION_NAME' },
};

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const { flags, env } = input;
  const configFile = locateConfig(flags.config, input.cwd, input.home);
  const ini: IniValues | undefined = configFile ? readIni(configFile) : undefined;
  const pick = (key: Key): Sourced<string> | undefined => {
    const s = SPEC[key];
    return firstOf([
      { value: flags[key], source: `flag ${s.flag}` },
      s.env ? { value: env[s.env], source: `env ${s.env}` } : undefined,
      s.ini && ini ? { value: ini[s.ini], source: `config ${configFile} (${s.ini})` } : undefined,
    ]);
  };
  const endpoint = pick('endpoint');
  const project = pick('project');
  const missing = [!endpoint && 'endpoint (--endpoint, ODPS_ENDPOINT or end_point)', !project && 'project (--project, ODPS_PROJECT_NAME or project_name)'].filter(Boolean);
  if (!endpoint || !project) {
    const where = configFile ? `config file ${configFile}` : `no config file found (looked in ${candidateConfigPaths(input.cwd, input.home).join(', ')})`;
    throw new UsageError(`missing ${missing.join(' and ')}; ${where}`);
  }
  checkUrl('endpoint', endpoint);
  const region = pick('region');
  const out: ResolvedConfig = {
    endpoint,
    project,
    credentials: chooseCredentials(flags, env, ini, configFile, region?.value),
    searched: flags.config ? [] : candidateConfigPaths(input.cwd, input.home),
  };
  if (configFile) out.configFile = configFile;
  for (const key of ['tunnelEndpoint', 'logviewHost', 'schema'] as const) {
    const v = pick(key);
    if (!v) continue;
    if (key !== 'schema') checkUrl(key === 'tunnelEndpoint' ? 'tunnel endpoint' : 'logview host', v);
    out[key] = v;
  }
  if (region) out.region = region;
  return out;
}

/** A configured URL must be http(s); the message shows it with any password masked. */
function checkUrl(what: string, v: Sourced<string>): void {
  let url: URL | undefined;
  try {
    url = new URL(v.value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`invalid ${what} ${JSON.stringify(redactUrl(v.value))} (from ${v.source}): expected an http:// or https:// URL`);
  }
}

export function clientOptions(c: ResolvedConfig): OdpsOptions {
  const o: OdpsOptions = { account: c.credentials.account, endpoint: c.endpoint.value, project: c.project.value };
  if (c.tunnelEndpoint) o.tunnelEndpoint = c.tunnelEndpoint.value;
  if (c.logviewHost) o.logviewHost = c.logviewHost.value;
  if (c.schema) o.schema = c.schema.value;
  if (c.region) o.region = c.region.value;
  o.userAgent = 'odps-cli';
  return o;
}
