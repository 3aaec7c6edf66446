// Which account signs requests: flags, then the environment's credential signals, then the ini file,
// then @alicloud/credentials' default chain. Secrets never leave this file except inside the account.
import { existsSync } from 'node:fs';
import { AliyunAccount, CredentialProviderAccount, DEFAULT_CREDENTIALS_FILE, type Account } from '@odps-ts/auth';
import { UsageError } from '../errors.js';
import type { GlobalFlags } from './global-flags.js';
import type { IniValues } from './ini.js';

export interface CredentialChoice {
  account: Account;
  /** Where the credentials come from, never the secret itself. */
  source: string;
}

type Env = NodeJS.ProcessEnv;

export function chooseCredentials(flags: GlobalFlags, env: Env, ini: IniValues | undefined, iniPath: string | undefined, region: string | undefined): CredentialChoice {
  const signOpts = region ? { region } : {};
  if (flags.accessId || flags.accessKey) {
    if (!flags.accessId || !flags.accessKey) throw new UsageError('--access-id and --access-key must be given together');
    return { account: new AliyunAccount(flags.accessId, flags.accessKey, signOpts), source: 'flags --access-id/--access-key' };
  }
  // Explicit environment signals: the auth package's chain reads them in the same order, and the
  // library's slow probes (ECS metadata) are left out so a configured ini file is not shadowed by them.
  const envSignal = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_CREDENTIALS_URI', 'ALIBABA_CLOUD_CREDENTIALS_FILE'].find((k) => env[k]);
  if (envSignal) {
    // A half-set pair is a setup mistake; caught here it is a usage error, not a failed credentials fetch.
    const [id, secret] = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'] as const;
    if (env[id] && !env[secret]) throw new UsageError(`${id} is set but ${secret} is not`);
    if (env[secret] && !env[id]) throw new UsageError(`${secret} is set but ${id} is not`);
    return { account: new CredentialProviderAccount(undefined, { env, libraryChain: false, ...signOpts }), source: `env ${envSignal}` };
  }
  const id = ini?.['access_id'];
  const secret = ini?.['access_key'];
  if (id || secret) {
    if (!id || !secret) throw new UsageError(`config ${iniPath}: access_id and access_key must both be set`);
    return { account: new AliyunAccount(id, secret, signOpts), source: `config ${iniPath} (access_id/access_key)` };
  }
  if (existsSync(DEFAULT_CREDENTIALS_FILE)) {
    return { account: new CredentialProviderAccount(undefined, { env, libraryChain: false, ...signOpts }), source: `credentials file ${DEFAULT_CREDENTIALS_FILE}` };
  }
  return { account: new CredentialProviderAccount(undefined, { env, ...signOpts }), source: '@alicloud/credentials default chain' };
}
