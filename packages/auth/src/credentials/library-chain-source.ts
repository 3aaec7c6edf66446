// Default-chain fallback: @alicloud/credentials' own default chain (profile, CLI, OIDC, ECS metadata, URI).

import { CredentialsError, describeFailure } from '../errors.js';
import type { ChainSource } from './chain-source.js';
import { normalizeCredentials } from './normalize.js';
import { snapshot } from './provided-credentials.js';

interface CredentialClient {
  getCredential(): Promise<unknown>;
}
type CredentialClass = new () => CredentialClient;

/**
 * The package is CommonJS with `exports.default = Credential`; an ESM default import yields
 * module.exports, so the class is one `.default` further (aliyun/nodejs-credentials#140). Loaded lazily:
 * most processes never reach this link, and loading it pulls in the library's dependency tree.
 */
async function loadCredentialClass(): Promise<CredentialClass> {
  const mod = (await import('@alicloud/credentials')) as unknown as { default?: unknown };
  let candidate: unknown = mod.default;
  if (candidate !== null && typeof candidate === 'object' && 'default' in candidate) {
    candidate = (candidate as { default: unknown }).default;
  }
  if (typeof candidate !== 'function') throw new Error('@alicloud/credentials has no Credential class export');
  return candidate as CredentialClass;
}

export function libraryChainSource(): ChainSource {
  let client: CredentialClient | undefined;
  const name = 'alibabacloud-default-chain';
  return {
    name,
    explicit: false,
    load: async () => {
      try {
        client ??= new (await loadCredentialClass())();
        const raw = await client.getCredential();
        const credentials = await normalizeCredentials(raw, name);
        // The library caches and refreshes internally and hides the expiration: ask it on every use.
        return { credentials: snapshot(credentials), source: name, reuseForMs: 0 };
      } catch (err) {
        // After one full failure the library's chain only retries its last provider, so a later
        // attempt (say, after the env or a file appeared) gets a brand-new chain.
        client = undefined;
        throw new CredentialsError('CredentialsFetchFailed', `${name}: ${describeFailure(err)}`);
      }
    },
  };
}
