// Holds the active fault rules and settings of one emulator and decides which fire for a request.
import type { FaultDecision, FaultRule, FaultSettings } from './fault-rule.js';

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidArgument',
  401: 'Unauthorized',
  403: 'NoPermission',
  404: 'NoSuchObject',
  409: 'SlotExceeded',
  429: 'QPSExceeded',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

interface ActiveRule {
  id: number;
  rule: FaultRule;
  regex?: RegExp;
  remaining?: number;
}

function validate(rule: FaultRule): void {
  if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)) {
    throw new TypeError(`fault status must be an integer 400-599, got ${String(rule.status)}`);
  }
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) {
    throw new TypeError(`fault count must be a positive integer, got ${String(rule.count)}`);
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new TypeError(`fault rate must be within 0..1, got ${String(rule.rate)}`);
  }
  for (const key of ['latencyMs', 'resetAfterBytes', 'retryAfter'] as const) {
    const v = rule[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new TypeError(`fault ${key} must be a non-negative number, got ${String(v)}`);
    }
  }
  if (rule.status === undefined && rule.latencyMs === undefined && rule.resetAfterBytes === undefined) {
    throw new TypeError('a fault rule needs at least one of status, latencyMs, resetAfterBytes');
  }
}

const SETTINGS_KEYS = ['rules', 'append', 'clockSkewMs', 'expireSts'];

function toSettings(input: FaultSettings | FaultRule | FaultRule[]): FaultSettings {
  if (Array.isArray(input)) return { rules: input };
  if (Object.keys(input).some((k) => SETTINGS_KEYS.includes(k))) return input as FaultSettings;
  return { rules: [input as FaultRule] };
}

export class FaultController {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private skewMs = 0;

  constructor(private readonly onExpireSts: () => void) {}

  /** Offset (ms) the server adds to its real clock. */
  get clockSkewMs(): number {
    return this.skewMs;
  }

  /**
   * Apply settings: replace (or append) rules, set the clock skew, expire STS credentials. A rule or
   * an array of rules replaces the rule list (the clock skew stays); use `add` to append one rule.
   */
  set(input: FaultSettings | FaultRule | FaultRule[]): void {
    const settings = toSettings(input);
    if (settings.rules) {
      settings.rules.forEach(validate);
      const fresh = settings.rules.map((r) => this.activate(r));
      this.rules = settings.append ? [...this.rules, ...fresh] : fresh;
    }
    if (settings.clockSkewMs !== undefined) {
      if (!Number.isFinite(settings.clockSkewMs)) throw new TypeError('clockSkewMs must be a finite number');
      this.skewMs = settings.clockSkewMs;
    }
    if (settings.expireSts) this.expireSts();
  }

  /** Append one rule. */
  add(rule: FaultRule): void {
    validate(rule);
    this.rules.push(this.activate(rule));
  }

  expireSts(): void {
    this.onExpireSts();
  }

  /** Remove every rule and the clock skew. */
  clear(): void {
    this.rules = [];
    this.skewMs = 0;
  }

  /** Active rules with their remaining counts (for `GET /_emulator/faults`). */
  list(): (FaultRule & { remaining?: number })[] {
    return this.rules.map((a) => ({
      ...a.rule,
      ...(a.rule.pathRegex instanceof RegExp ? { pathRegex: a.rule.pathRegex.source } : {}),
      ...(a.remaining !== undefined ? { remaining: a.remaining } : {}),
    }));
  }

  /** Decide the faults for one request; counted rules that fire are used up. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const active of [...this.rules]) {
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !path.includes(rule.path)) continue;
      if (active.regex && !active.regex.test(path)) continue;
      if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
      if (rule.status !== undefined && decision.error) continue;
      if (rule.resetAfterBytes !== undefined && decision.resetAfterBytes !== undefined) continue;
      decision.latencyMs += rule.latencyMs ?? 0;
      if (rule.status !== undefined) {
        const headers: Record<string, string> = {};
        if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
        decision.error = {
          status: rule.status,
          code: rule.code ?? DEFAULT_CODES[rule.status] ?? 'InternalServerError',
          message: rule.message ?? `Injected fault: HTTP ${rule.status}`,
          headers,
        };
      }
      if (rule.resetAfterBytes !== undefined) decision.resetAfterBytes = rule.resetAfterBytes;
      if (active.remaining !== undefined) {
        active.remaining -= 1;
        if (active.remaining <= 0) this.rules = this.rules.filter((r) => r !== active);
      }
    }
    return decision;
  }

  private activate(rule: FaultRule): ActiveRule {
    const active: ActiveRule = { id: this.nextId++, rule: { ...rule } };
    if (rule.pathRegex !== undefined) active.regex = rule.pathRegex instanceof RegExp ? rule.pathRegex : new RegExp(rule.pathRegex);
    if (rule.count !== undefined) active.remaining = rule.count;
    return active;
  }
}
