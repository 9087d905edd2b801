/**
 * Keeps the probe polite: a hard cap on requests, a concurrency limit, a steady rate, and back-off when
 * the server says 429 or 503. A probe against production must never look like an attack.
 */

import type { RequestKind } from './transport.js';

export interface BudgetOptions {
  /** Hard cap on requests for one target. */
  readonly maxRequests?: number;
  readonly concurrency?: number;
  /** Average requests per second; a burst of the same size is allowed first. `Infinity` disables pacing. */
  readonly ratePerSecond?: number;
  /** After this many 429/503 answers in a row, path probes stop. */
  readonly maxConsecutiveThrottles?: number;
  /** Longest wait honoured from Retry-After; a longer one stops path probes instead of waiting. */
  readonly maxRetryAfterMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BUDGET = {
  maxRequests: 100,
  concurrency: 4,
  ratePerSecond: 10,
  maxConsecutiveThrottles: 3,
  maxRetryAfterMs: 10_000,
} as const;

export type Denial = 'BUDGET_EXHAUSTED' | 'THROTTLED';

export interface BudgetStats {
  readonly used: number;
  readonly denied: number;
  readonly throttled: number;
  readonly pathProbesStopped: boolean;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const budget = new RequestBudget({ maxRequests: 10 });
 * const slot = await budget.acquire('page');
 * if (slot.ok) { try { await send(); budget.observe(status, retryAfter); } finally { slot.release(); } }
 */
export class RequestBudget {
  readonly maxRequests: number;
  private readonly concurrency: number;
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly maxThrottles: number;
  private readonly maxRetryAfterMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private used = 0;
  private denied = 0;
  private throttled = 0;
  private consecutiveThrottles = 0;
  private stopped = false;
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;

  constructor(options: BudgetOptions = {}) {
    this.maxRequests = options.maxRequests ?? DEFAULT_BUDGET.maxRequests;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_BUDGET.concurrency);
    const rate = options.ratePerSecond ?? DEFAULT_BUDGET.ratePerSecond;
    this.intervalMs = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
    this.burst = Number.isFinite(rate) && rate > 0 ? Math.max(1, Math.round(rate)) : Number.POSITIVE_INFINITY;
    this.tokens = this.burst;
    this.maxThrottles = options.maxConsecutiveThrottles ?? DEFAULT_BUDGET.maxConsecutiveThrottles;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_BUDGET.maxRetryAfterMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.lastRefill = this.now();
  }

  /** Waits for a slot; denies when the cap is reached or path probes were stopped by throttling. */
  async acquire(kind: RequestKind): Promise<{ ok: true; release: () => void } | { ok: false; reason: Denial }> {
    const denial = this.denial(kind);
    if (denial !== undefined) return this.deny(denial);
    // Counted before waiting so concurrent callers can never overshoot the cap.
    this.used += 1;
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active += 1;
    const release = (): void => {
      this.active -= 1;
      this.waiters.shift()?.();
    };
    await this.pace();
    if (kind === 'path' && this.stopped) {
      release();
      return this.deny('THROTTLED');
    }
    return { ok: true, release };
  }

  /** Feeds back a response status so 429/503 pause the probe and repeated ones stop path probes. */
  observe(status: number, retryAfter: string | undefined): void {
    if (status !== 429 && status !== 503) {
      this.consecutiveThrottles = 0;
      return;
    }
    this.throttled += 1;
    this.consecutiveThrottles += 1;
    const waitMs = parseRetryAfter(retryAfter, this.now()) ?? 500 * 2 ** (this.consecutiveThrottles - 1);
    if (this.consecutiveThrottles >= this.maxThrottles || waitMs > this.maxRetryAfterMs) this.stopped = true;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(waitMs, this.maxRetryAfterMs));
  }

  stats(): BudgetStats {
    return { used: this.used, denied: this.denied, throttled: this.throttled, pathProbesStopped: this.stopped };
  }

  private denial(kind: RequestKind): Denial | undefined {
    if (this.used >= this.maxRequests) return 'BUDGET_EXHAUSTED';
    if (kind === 'path' && this.stopped) return 'THROTTLED';
    return undefined;
  }

  private deny(reason: Denial): { ok: false; reason: Denial } {
    this.denied += 1;
    return { ok: false, reason };
  }

  private async pace(): Promise<void> {
    const pause = this.pausedUntil - this.now();
    if (pause > 0) await this.sleep(pause);
    if (this.intervalMs === 0) return;
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + (now - this.lastRefill) / this.intervalMs);
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil((1 - this.tokens) * this.intervalMs));
    }
  }
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 *
 * @example parseRetryAfter('2', 0) // 2000
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
