// Default-chain link: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN).

import { CredentialsError } from '../errors.js';
import type { ChainSource, Env } from './chain-source.js';
import { snapshot } from './provided-credentials.js';

export function envSource(env: () => Env): ChainSource {
  return {
    name: 'environment',
    explicit: true,
    load: async () => {
      const e = env();
      const id = e['ALIBABA_CLOUD_ACCESS_KEY_ID'];
      const secret = e['ALIBABA_CLOUD_ACCESS_KEY_SECRET'];
      const token = e['ALIBABA_CLOUD_SECURITY_TOKEN'];
      if (!id && !secret) return { notConfigured: 'ALIBABA_CLOUD_ACCESS_KEY_ID not set' };
      if (!id) throw new CredentialsError('InvalidCredentials', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not');
      if (!secret) throw new CredentialsError('InvalidCredentials', 'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not');
      // Read on every refresh, so these are effectively static: no expiration, reused until invalidated.
      return { credentials: snapshot({ accessKeyId: id, accessKeySecret: secret, securityToken: token || undefined }), source: 'environment' };
    },
  };
}
