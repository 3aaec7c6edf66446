// Shapes of injectable faults (design §7): per-path latency, error responses, resets, STS expiry, clock skew.

/**
 * One fault rule. It applies to requests whose path matches (`path`: substring of the raw URL path,
 * e.g. '/tables'; `pathRegex`: regular expression on it) and method (if given). A rule with `count`
 * fires on that many matching requests and then vanishes (deterministic); `rate` (0..1, default 1)
 * fires at random. Effects combine: latency is added, then an error status or a mid-body reset.
 */
export interface FaultRule {
  path?: string;
  pathRegex?: string | RegExp;
  method?: string;
  count?: number;
  rate?: number;
  /** Delay before the request is handled. */
  latencyMs?: number;
  /** Answer this status with an XML Error body instead of handling the request (e.g. 500, 503, 409). */
  status?: number;
  /** Error `Code`; default derived from the status. */
  code?: string;
  message?: string;
  /** Seconds for a `Retry-After` header on the error. */
  retryAfter?: number;
  /** Handle the request but destroy the connection after this many response-body bytes. */
  resetAfterBytes?: number;
}

/** Emulator-wide fault settings (the body of `POST /_emulator/faults`). */
export interface FaultSettings {
  /** Replace the rule list (or append to it with `append: true`). */
  rules?: FaultRule[];
  append?: boolean;
  /** The server pretends its clock is off by this many ms (affects Date checks and response Date). */
  clockSkewMs?: number;
  /** Expire every issued STS credential now. */
  expireSts?: boolean;
}

/** What the active rules decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  error?: { status: number; code: string; message: string; headers: Record<string, string> };
  resetAfterBytes?: number;
}

/** Ready-made rules for the common scenarios. */
export const faultPresets = {
  /** `409 + Retry-After` on the next `count` instance submissions (rest.md §4.1). */
  busyOnCreateInstance(count = 1, retryAfterSeconds = 1): FaultRule {
    return {
      method: 'POST',
      pathRegex: '^/api/projects/[^/]+/instances/?$',
      count,
      status: 409,
      code: 'SlotExceeded',
      message: 'ODPS-0130071:Too many running instances in the quota; retry later.',
      retryAfter: retryAfterSeconds,
    };
  },
  /** 503 on the next `count` requests whose path contains `path`. */
  unavailable(count = 1, path?: string): FaultRule {
    return { count, status: 503, ...(path ? { path } : {}) };
  },
};
