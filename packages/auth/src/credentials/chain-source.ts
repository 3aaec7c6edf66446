// One link of the default chain: a source that is either not configured or yields credentials.

import type { ProvidedCredentials } from './provided-credentials.js';

/** Returned by a source whose signal (env var, file) is absent; the chain moves on. */
export interface NotConfigured {
  notConfigured: string;
}

export interface ChainSource {
  readonly name: string;
  /**
   * Configured sources that fail stop the chain: an explicit signal (env keys, a URI, a mounted file)
   * is the user's intent, and silently falling back to another identity would be worse than an error.
   */
  readonly explicit: boolean;
  load(): Promise<ProvidedCredentials | NotConfigured>;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function isNotConfigured(r: ProvidedCredentials | NotConfigured): r is NotConfigured {
  return 'notConfigured' in r;
}
