// The default credential chain: env keys, credentials URI, mounted file, then the library's chain.

import { CredentialsError, describeFailure, type CredentialSourceAttempt } from '../errors.js';
import { isNotConfigured, type ChainSource, type Env } from './chain-source.js';
import { envSource } from './env-source.js';
import { fileSource } from './file-source.js';
import { libraryChainSource } from './library-chain-source.js';
import type { CredentialLoader } from './provided-credentials.js';
import { uriSource } from './uri-source.js';

export interface DefaultChainOptions {
  /** JSON credentials file; default env ALIBABA_CLOUD_CREDENTIALS_FILE, else /mnt/.alibabacloud/credentials. */
  credentialsFile?: string;
  /** Credentials URI; default env ALIBABA_CLOUD_CREDENTIALS_URI. */
  credentialsUri?: string;
  /** Environment to read (default process.env, read at every attempt). */
  env?: Env;
  /** Fall back to @alicloud/credentials' default chain (default true). */
  libraryChain?: boolean;
  /** Timeout of one credentials-URI request (default 5 s). */
  fetchTimeoutMs?: number;
}

function summary(attempts: readonly CredentialSourceAttempt[]): string {
  return attempts.map((a) => `${a.source} (${a.outcome})`).join('; ');
}

/** The sources in order: explicit signals first so a dev environment gets credentials without probes. */
export function defaultChainSources(opts: DefaultChainOptions = {}): ChainSource[] {
  const env = (): Env => opts.env ?? process.env;
  const sources = [envSource(env), uriSource(opts.credentialsUri, env, opts.fetchTimeoutMs), fileSource(opts.credentialsFile, env)];
  if (opts.libraryChain !== false) sources.push(libraryChainSource());
  return sources;
}

/**
 * Walks the sources on every call (the memoizer calls it once per refresh). Unconfigured sources are
 * skipped; a configured explicit source that fails ends the walk with its error.
 */
export function chainLoader(sources: readonly ChainSource[]): CredentialLoader {
  return async () => {
    const attempts: CredentialSourceAttempt[] = [];
    for (const source of sources) {
      let result;
      try {
        result = await source.load();
      } catch (err) {
        const reason = describeFailure(err);
        if (source.explicit) {
          // The reason leads the message once; the summary only marks where it happened.
          const tried = summary([...attempts, { source: source.name, outcome: 'failed' }]);
          attempts.push({ source: source.name, outcome: `failed: ${reason}` });
          const code = err instanceof CredentialsError ? err.code : 'CredentialsFetchFailed';
          throw new CredentialsError(code, `${reason} [sources tried: ${tried}]`, attempts);
        }
        attempts.push({ source: source.name, outcome: `failed: ${reason}` });
        continue;
      }
      if (isNotConfigured(result)) {
        attempts.push({ source: source.name, outcome: result.notConfigured });
        continue;
      }
      return result;
    }
    throw new CredentialsError('CredentialsNotFound', `no credentials found; tried: ${summary(attempts)}`, attempts);
  };
}

export function defaultChain(opts: DefaultChainOptions = {}): CredentialLoader {
  return chainLoader(defaultChainSources(opts));
}
