import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RequestBudget } from './budget.js';

function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let time = 0;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    slept,
  };
}

describe('RequestBudget', () => {
  it('denies requests beyond the cap, even when asked concurrently', async () => {
    const budget = new RequestBudget({ maxRequests: 3, ratePerSecond: Number.POSITIVE_INFINITY });
    const slots = await Promise.all(Array.from({ length: 5 }, () => budget.acquire('page')));
    expect(slots.filter((slot) => slot.ok)).toHaveLength(3);
    expect(slots.filter((slot) => !slot.ok).map((slot) => (slot.ok ? '' : slot.reason))).toEqual(['BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    expect(budget.stats()).toMatchObject({ used: 3, denied: 2 });
  });

  it('never runs more than `concurrency` requests at once', async () => {
    const budget = new RequestBudget({ maxRequests: 20, concurrency: 2, ratePerSecond: Number.POSITIVE_INFINITY });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const slot = await budget.acquire('page');
        if (!slot.ok) return;
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        slot.release();
      }),
    );
    expect(peak).toBe(2);
  });

  it('paces requests after the initial burst', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ maxRequests: 100, ratePerSecond: 10, now: clock.now, sleep: clock.sleep });
    for (let index = 0; index < 15; index++) {
      const slot = await budget.acquire('page');
      if (slot.ok) slot.release();
    }
    // 10 burst tokens, then 5 more at 100 ms each.
    expect(clock.now()).toBe(500);
  });

  it('waits for Retry-After and stops path probes after repeated 429s', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ maxRequests: 100, ratePerSecond: Number.POSITIVE_INFINITY, now: clock.now, sleep: clock.sleep });
    budget.observe(429, '2');
    const slot = await budget.acquire('path');
    expect(slot.ok).toBe(true);
    expect(clock.slept).toContain(2000);
    budget.observe(429, undefined);
    budget.observe(503, undefined);
    const denied = await budget.acquire('path');
    expect(denied).toEqual({ ok: false, reason: 'THROTTLED' });
    // Page requests (home page, redirects) still run so the report can say what happened.
    expect((await budget.acquire('page')).ok).toBe(true);
    expect(budget.stats().pathProbesStopped).toBe(true);
  });

  it('stops path probes at once when Retry-After exceeds the longest wait', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ratePerSecond: Number.POSITIVE_INFINITY, maxRetryAfterMs: 5000, now: clock.now, sleep: clock.sleep });
    budget.observe(429, '3600');
    expect(await budget.acquire('path')).toEqual({ ok: false, reason: 'THROTTLED' });
  });

  it('resets the throttle streak on a normal answer', async () => {
    const budget = new RequestBudget({ ratePerSecond: Number.POSITIVE_INFINITY, sleep: async () => {} });
    budget.observe(429, '0');
    budget.observe(429, '0');
    budget.observe(200, undefined);
    budget.observe(429, '0');
    expect(budget.stats().pathProbesStopped).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 0)).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
