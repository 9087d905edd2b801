// Two kinds of placeholders (docs/smoke.md#templating): `${NAME}` reads the environment once, when the flow is
// loaded, so a missing variable is a configuration error before any request; `{{name}}` reads the flow's scope
// (vars, secrets, inputs, captures) each time a step runs, and `{{uuid}}`, `{{random.email}}`, `{{now}}` generate.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ENV_PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}$/;

/** Names `{{…}}` can use without declaring them. */
export const GENERATORS: Readonly<Record<string, (now: Date) => string | number>> = {
  uuid: () => randomUUID(),
  'random.email': () => `smoke+${randomBytes(6).toString('hex')}@example.com`,
  'random.string': () => randomBytes(8).toString('hex'),
  'random.int': () => randomInt(0, 1_000_000),
  now: (now) => now.toISOString(),
  'now.unix': (now) => Math.floor(now.getTime() / 1000),
  'now.ms': (now) => now.getTime(),
};

/** The values `{{name}}` resolves to while a flow runs. Values keep their JSON type (a captured id stays a number). */
export type Scope = ReadonlyMap<string, unknown>;

/**
 * Replaces `${NAME}` and `${NAME:-default}` from `env`; every unset name without a default is reported.
 *
 * @example interpolateEnv('${APP_URL}/login', { APP_URL: 'https://a.io' }) // { text: 'https://a.io/login', missing: [] }
 */
export function interpolateEnv(text: string, env: Readonly<Record<string, string | undefined>>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(ENV_PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return whole;
  });
  return { text: out, missing };
}

/** The `{{name}}` names a string uses, for the load-time check that each is defined. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function lookup(name: string, scope: Scope, now: Date): unknown {
  if (scope.has(name)) return scope.get(name);
  const generator = GENERATORS[name];
  return generator === undefined ? undefined : generator(now);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/**
 * Renders `{{name}}` in a string. A string that is exactly one placeholder keeps the value's type, so
 * `json: { id: "{{id}}" }` sends the number a capture found, not its text.
 *
 * @example render('Bearer {{token}}', new Map([['token', 'abc']]), new Date()) // 'Bearer abc'
 */
export function render(text: string, scope: Scope, now: Date): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole?.[1] !== undefined) return lookup(whole[1], scope, now);
  return text.replace(PLACEHOLDER, (_, name: string) => asText(lookup(name, scope, now)));
}

/** `render` for places that need text (URLs, headers, form fields). */
export function renderText(text: string, scope: Scope, now: Date): string {
  return asText(render(text, scope, now));
}

/**
 * Renders every string inside a JSON-like value (a request body, an expected value).
 *
 * @example renderDeep({ email: '{{email}}', n: 1 }, scope, now) // { email: 'a@b.io', n: 1 }
 */
export function renderDeep(value: unknown, scope: Scope, now: Date): unknown {
  if (typeof value === 'string') return render(value, scope, now);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, scope, now));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, scope, now)]));
  return value;
}

/**
 * The truth of an `if:`/`skip_if:` condition after rendering: `a == b` and `a != b` compare the trimmed sides as
 * text; otherwise empty, `false`, `0`, `no`, `null` and `undefined` are false and anything else is true.
 *
 * @example isTruthy('{{env}} == production', new Map([['env', 'staging']]), now) // false
 */
export function isTruthy(condition: string, scope: Scope, now: Date): boolean {
  const rendered = renderText(condition, scope, now).trim();
  const comparison = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(rendered);
  if (comparison !== null) {
    const same = (comparison[1] ?? '').trim() === (comparison[3] ?? '').trim();
    return comparison[2] === '==' ? same : !same;
  }
  const negated = rendered.startsWith('!');
  const value = negated ? rendered.slice(1).trim() : rendered;
  const truthy = !['', 'false', '0', 'no', 'null', 'undefined'].includes(value.toLowerCase());
  return negated ? !truthy : truthy;
}
