/** Ordered from most to least serious; the order is the contract `--fail-on` relies on. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['reliability', 'data', 'security', 'performance', 'operations', 'team'] as const;
export type Category = (typeof CATEGORIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** @example severityRank('high') > severityRank('low') // true */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when `severity` is at or above `threshold`; `none` as a threshold never matches. */
export function isAtLeast(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[severity] >= RANK[threshold];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
