// Merges an account's signing defaults under the per-call options (the options win).

import type { AccountSignDefaults, SignOptions } from '../types.js';

export function withDefaults(options: SignOptions, defaults: AccountSignDefaults): SignOptions {
  return {
    ...options,
    signatureVersion: options.signatureVersion ?? defaults.signatureVersion,
    region: options.region ?? defaults.region,
    signaturePrefix: options.signaturePrefix ?? defaults.signaturePrefix,
  };
}

/** Enough of an access key id to tell keys apart in logs; the id is not secret, but keep logs terse. */
export function maskKeyId(id: string): string {
  return id.length <= 4 ? '****' : `${id.slice(0, 4)}****`;
}
