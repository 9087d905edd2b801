// Typed matchers shared by every expectation (docs/smoke.md#matchers): a bare value means equality; an object
// combines comparisons, text and collection tests, all of which must hold.
import { isDeepStrictEqual } from 'node:util';
import type { Matcher, MatcherObject } from './schema.js';
import { toMs } from './schema.js';

/** A short printable form of a value, for "expected … got …" lines. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** `"1500ms"` and `"2s"` compare as milliseconds; numeric strings as numbers. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (/^\s*\d+(?:\.\d+)?\s*(?:ms|s|m)\s*$/.test(value)) return toMs(value);
  const parsed = Number(value);
  return value.trim() !== '' && Number.isFinite(parsed) ? parsed : undefined;
}

/** Loose equality for expectations written in YAML: `200` matches `"200"` from a header, a string matches its number. */
function equals(actual: unknown, expected: unknown): boolean {
  if (isDeepStrictEqual(actual, expected)) return true;
  if ((typeof actual === 'number' && typeof expected === 'string') || (typeof actual === 'string' && typeof expected === 'number')) return String(actual) === String(expected);
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === expected;
  return false;
}

function describeObject(matcher: MatcherObject): string {
  return Object.entries(matcher)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${show(value)}`)
    .join(', ');
}

/** How a matcher reads in a report: `"Lax"`, `gte 200, lt 300`. */
export function describeMatcher(matcher: Matcher): string {
  return matcher !== null && typeof matcher === 'object' ? describeObject(matcher) : show(matcher);
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function compare(actual: unknown, bound: number | string, test: (a: number, b: number) => boolean): boolean {
  const a = toNumber(actual);
  const b = toNumber(bound);
  return a !== undefined && b !== undefined && test(a, b);
}

/** The first clause of an object matcher that fails, or undefined when all hold. */
function failingClause(actual: unknown, matcher: MatcherObject): string | undefined {
  const present = actual !== undefined;
  const text = typeof actual === 'string' ? actual : actual === undefined ? undefined : JSON.stringify(actual);
  const checks: Array<[keyof MatcherObject, () => boolean]> = [
    ['exists', () => matcher.exists === present],
    ['absent', () => matcher.absent === !present],
    ['eq', () => equals(actual, matcher.eq)],
    ['ne', () => !equals(actual, matcher.ne)],
    ['gt', () => matcher.gt !== undefined && compare(actual, matcher.gt, (a, b) => a > b)],
    ['gte', () => matcher.gte !== undefined && compare(actual, matcher.gte, (a, b) => a >= b)],
    ['lt', () => matcher.lt !== undefined && compare(actual, matcher.lt, (a, b) => a < b)],
    ['lte', () => matcher.lte !== undefined && compare(actual, matcher.lte, (a, b) => a <= b)],
    ['in', () => (matcher.in ?? []).some((candidate: unknown) => equals(actual, candidate))],
    ['nin', () => !(matcher.nin ?? []).some((candidate: unknown) => equals(actual, candidate))],
    ['contains', () => text !== undefined && text.includes(matcher.contains ?? '')],
    ['not_contains', () => text === undefined || !text.includes(matcher.not_contains ?? '')],
    ['includes', () => Array.isArray(actual) && actual.some((item) => equals(item, matcher.includes))],
    ['matches', () => text !== undefined && safeRegExp(matcher.matches ?? '')?.test(text) === true],
    ['starts_with', () => text !== undefined && text.startsWith(matcher.starts_with ?? '')],
    ['ends_with', () => text !== undefined && text.endsWith(matcher.ends_with ?? '')],
    ['type', () => (matcher.type === 'integer' ? Number.isInteger(actual) : typeOf(actual) === matcher.type)],
    ['length', () => {
      const length = lengthOf(actual);
      if (length === undefined || matcher.length === undefined) return false;
      return typeof matcher.length === 'number' ? length === matcher.length : failingClause(length, matcher.length) === undefined;
    }],
    ['empty', () => (lengthOf(actual) === 0 || actual === undefined || actual === null || actual === '') === matcher.empty],
  ];
  for (const [key, check] of checks) {
    if (matcher[key] === undefined) continue;
    if (!check()) {
      const bound: unknown = matcher[key];
      return `${String(key)} ${show(bound)}`;
    }
  }
  return undefined;
}

/**
 * Patterns come from the flow author; an invalid one is a configuration problem caught at load time
 * (see load.ts), so here it simply never matches.
 */
export function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

/**
 * Whether `actual` satisfies `matcher`; on failure, the clause that failed (for the report).
 *
 * @example matches(201, { gte: 200, lt: 300 }) // { ok: true }
 * @example matches('Strict', 'Lax') // { ok: false, clause: 'eq "Lax"' }
 */
export function matches(actual: unknown, matcher: Matcher): { ok: true } | { ok: false; clause: string } {
  if (matcher === null || typeof matcher !== 'object') return equals(actual, matcher) ? { ok: true } : { ok: false, clause: `eq ${show(matcher)}` };
  const clause = failingClause(actual, matcher);
  return clause === undefined ? { ok: true } : { ok: false, clause };
}

/** Status expectations: `200`, `"2xx"`, `"200-299"`, a list of those, or a matcher object. */
export function statusMatches(status: number, expected: number | string | Array<number | string> | MatcherObject): boolean {
  if (Array.isArray(expected)) return expected.some((each) => statusMatches(status, each));
  if (typeof expected === 'number') return status === expected;
  if (typeof expected === 'string') {
    const klass = /^([1-5])xx$/i.exec(expected.trim());
    if (klass !== null) return Math.floor(status / 100) === Number(klass[1]);
    const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(expected.trim());
    if (range !== null) return status >= Number(range[1]) && status <= Number(range[2]);
    return String(status) === expected.trim();
  }
  return failingClause(status, expected) === undefined;
}

/** Whether a status expectation is well-formed (checked at load time, so a typo like `"2XX0"` is a config error). */
export function isValidStatusExpectation(expected: unknown): boolean {
  if (Array.isArray(expected)) return expected.every(isValidStatusExpectation);
  if (typeof expected === 'number') return Number.isInteger(expected) && expected >= 100 && expected <= 599;
  if (typeof expected === 'string') return /^(?:[1-5]xx|\d{3}|\d{3}\s*-\s*\d{3})$/i.test(expected.trim());
  return typeof expected === 'object' && expected !== null;
}
