// The smoke flow file format (docs/smoke.md#format), declared with zod so the types the runner reads and the
// validation that names every problem as `path: message` cannot drift apart. Unknown keys are errors: a typo
// such as `follow_redirect` must not silently change what a flow checks.
import { z } from 'zod';

/** `10s`, `1500ms`, `2m`, or a number of milliseconds. */
export const durationSchema = z.union([z.number().nonnegative(), z.string().regex(/^\s*\d+(?:\.\d+)?\s*(?:ms|s|m)\s*$/, 'a duration such as 1500ms, 10s or 2m')]);

const jsonValue: z.ZodType<unknown> = z.unknown();

/**
 * A typed matcher: a bare value means "equals"; an object combines any of these (all must hold).
 * Numbers compare as numbers, `"1500ms"`-style strings too where the actual value is a duration.
 */
/** `length:` takes a count or comparisons, not a full matcher (a recursive schema would lose its inferred type). */
const lengthMatcherSchema = z.union([
  z.number().int().nonnegative(),
  z.strictObject({ eq: z.number().optional(), gt: z.number().optional(), gte: z.number().optional(), lt: z.number().optional(), lte: z.number().optional() }),
]);

export const matcherObjectSchema = z.strictObject({
  eq: jsonValue.optional(),
  ne: jsonValue.optional(),
  gt: z.union([z.number(), z.string()]).optional(),
  gte: z.union([z.number(), z.string()]).optional(),
  lt: z.union([z.number(), z.string()]).optional(),
  lte: z.union([z.number(), z.string()]).optional(),
  in: z.array(jsonValue).optional(),
  nin: z.array(jsonValue).optional(),
  contains: z.string().optional(),
  not_contains: z.string().optional(),
  includes: jsonValue.optional(),
  matches: z.string().optional(),
  starts_with: z.string().optional(),
  ends_with: z.string().optional(),
  exists: z.boolean().optional(),
  absent: z.boolean().optional(),
  type: z.enum(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']).optional(),
  length: lengthMatcherSchema.optional(),
  empty: z.boolean().optional(),
});
export type MatcherObject = z.infer<typeof matcherObjectSchema>;
export const matcherSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), matcherObjectSchema]);
export type Matcher = z.infer<typeof matcherSchema>;

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const httpRequestSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method such as GET or POST').optional(),
  url: z.string().min(1),
  headers: stringMap.optional(),
  query: stringMap.optional(),
  json: jsonValue.optional(),
  form: stringMap.optional(),
  body: z.string().optional(),
  follow_redirects: z.boolean().optional(),
  timeout: durationSchema.optional(),
});
export type HttpRequestSpec = z.infer<typeof httpRequestSchema>;

/** ARIA roles a browser locator can name (the ones a login or dashboard page uses). */
export const ARIA_ROLES = ['alert', 'alertdialog', 'banner', 'button', 'cell', 'checkbox', 'columnheader', 'combobox', 'complementary', 'contentinfo', 'dialog', 'form', 'grid', 'group', 'heading', 'img', 'link', 'list', 'listbox', 'listitem', 'main', 'menu', 'menubar', 'menuitem', 'navigation', 'option', 'paragraph', 'progressbar', 'radio', 'region', 'row', 'rowheader', 'search', 'searchbox', 'slider', 'spinbutton', 'status', 'switch', 'tab', 'table', 'tablist', 'tabpanel', 'textbox', 'toolbar'] as const;

/** How a browser step finds an element: by ARIA role (and accessible name), label, test id, text or placeholder. */
export const locatorSchema = z.strictObject({
  role: z.enum(ARIA_ROLES).optional(),
  name: z.string().optional(),
  level: z.number().int().min(1).max(6).optional(),
  label: z.string().optional(),
  test_id: z.string().optional(),
  text: z.string().optional(),
  placeholder: z.string().optional(),
  css: z.string().optional(),
});
export type LocatorSpec = z.infer<typeof locatorSchema>;

const fillSchema = locatorSchema.extend({ value: z.string() });
const selectSchema = locatorSchema.extend({ option: z.string() });

export const browserActionSchema = z.union([
  z.strictObject({ fill: fillSchema }),
  z.strictObject({ click: locatorSchema }),
  z.strictObject({ select: selectSchema }),
  z.strictObject({ check: locatorSchema }),
  z.strictObject({ press: locatorSchema.extend({ key: z.string() }) }),
  z.strictObject({ wait_for_url: z.string() }),
  z.strictObject({ wait_for: locatorSchema }),
  z.strictObject({ goto: z.string() }),
]);
export type BrowserAction = z.infer<typeof browserActionSchema>;

export const browserStepSchema = z.strictObject({
  goto: z.string().min(1),
  actions: z.array(browserActionSchema).optional(),
  timeout: durationSchema.optional(),
});
export type BrowserSpec = z.infer<typeof browserStepSchema>;

const cookieExpectSchema = z.strictObject({
  exists: z.boolean().optional(),
  value: matcherSchema.optional(),
  secure: z.boolean().optional(),
  http_only: z.boolean().optional(),
  same_site: z.enum(['Strict', 'Lax', 'None', 'strict', 'lax', 'none']).optional(),
  domain: matcherSchema.optional(),
  path: matcherSchema.optional(),
});
export type CookieExpect = z.infer<typeof cookieExpectSchema>;

const cssExpectSchema = z.strictObject({
  exists: z.boolean().optional(),
  count: matcherSchema.optional(),
  text: matcherSchema.optional(),
  attr: z.record(z.string(), matcherSchema).optional(),
});
export type CssExpect = z.infer<typeof cssExpectSchema>;

const listOrString = z.union([z.string(), z.array(z.string())]);

const corsExpectSchema = z.strictObject({
  origin: z.string().min(1),
  method: z.string().optional(),
  headers: z.array(z.string()).optional(),
  credentials: z.boolean().optional(),
});
export type CorsExpect = z.infer<typeof corsExpectSchema>;

const timingKeys = z.strictObject({ total: matcherSchema.optional(), dns: matcherSchema.optional(), tcp: matcherSchema.optional(), tls: matcherSchema.optional(), ttfb: matcherSchema.optional() });

export const httpExpectSchema = z.strictObject({
  status: z.union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()])), matcherObjectSchema]).optional(),
  url: matcherSchema.optional(),
  headers: z.record(z.string(), matcherSchema).optional(),
  cookies: z.record(z.string(), cookieExpectSchema).optional(),
  json: z.record(z.string(), matcherSchema).optional(),
  schema: z.union([z.string(), z.record(z.string(), jsonValue)]).optional(),
  css: z.record(z.string(), cssExpectSchema).optional(),
  body: z.strictObject({ contains: listOrString.optional(), not_contains: listOrString.optional(), matches: z.string().optional() }).optional(),
  cors: corsExpectSchema.optional(),
  timing: timingKeys.optional(),
  tls: z.strictObject({ days_left: matcherSchema.optional() }).optional(),
});
export type HttpExpect = z.infer<typeof httpExpectSchema>;

export const browserExpectSchema = z.strictObject({
  url: matcherSchema.optional(),
  title: matcherSchema.optional(),
  visible: z.union([locatorSchema.extend({ text: z.union([z.string(), matcherObjectSchema]).optional() }), z.array(locatorSchema)]).optional(),
  text: z.record(z.string(), matcherSchema).optional(),
  console_errors: z.strictObject({ max: z.number().int().nonnegative().optional(), ignore: z.array(z.string()).optional() }).optional(),
  failed_requests: z.strictObject({ max: z.number().int().nonnegative().optional(), ignore: z.array(z.string()).optional() }).optional(),
  responses: z.record(z.string(), z.strictObject({ status: z.union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()])), matcherObjectSchema]) })).optional(),
  cookies: z.record(z.string(), cookieExpectSchema).optional(),
});
export type BrowserExpect = z.infer<typeof browserExpectSchema>;

export const captureSchema = z
  .strictObject({
    json: z.string().optional(),
    header: z.string().optional(),
    cookie: z.string().optional(),
    css: z.string().optional(),
    attr: z.string().optional(),
    regex: z.string().optional(),
    url: z.literal(true).optional(),
    status: z.literal(true).optional(),
    /** Treat the captured value as a secret: masked in every report like `secrets`. */
    redact: z.boolean().optional(),
  })
  .refine((capture) => [capture.json, capture.header, capture.cookie, capture.css, capture.regex, capture.url, capture.status].filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of json, header, cookie, css, regex, url, status',
  });
export type CaptureSpec = z.infer<typeof captureSchema>;

export const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(100),
  interval: durationSchema.optional(),
  backoff: z.number().min(1).max(10).optional(),
  /** `expect` (default): retry until the expectations hold; `connect`: only while no answer comes. */
  until: z.enum(['expect', 'connect']).optional(),
});
export type RetrySpec = z.infer<typeof retrySchema>;

export const stepSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, ".", "_" and "-"').optional(),
    name: z.string().optional(),
    http: httpRequestSchema.optional(),
    browser: browserStepSchema.optional(),
    include: z.string().optional(),
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    expect: z.record(z.string(), jsonValue).optional(),
    capture: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), captureSchema).optional(),
    retry: retrySchema.optional(),
    if: z.string().optional(),
    skip_if: z.string().optional(),
    timeout: durationSchema.optional(),
    artifacts: z.strictObject({ on_failure: z.array(z.enum(['screenshot'])) }).optional(),
  })
  .superRefine((step, ctx) => {
    const kinds = [step.http, step.browser, step.include].filter((value) => value !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'a step has exactly one of http, browser or include' });
    if (step.with !== undefined && step.include === undefined) ctx.addIssue({ code: 'custom', path: ['with'], message: '`with` only goes with `include`' });
    if (step.include !== undefined && (step.expect !== undefined || step.capture !== undefined)) ctx.addIssue({ code: 'custom', message: 'an include step has no expect or capture of its own (the included flow has them)' });
  });
export type StepSpec = z.infer<typeof stepSchema>;

export const waitForSchema = z.strictObject({
  http: httpRequestSchema,
  expect: z.record(z.string(), jsonValue).optional(),
  within: durationSchema.optional(),
  interval: durationSchema.optional(),
});
export type WaitForSpec = z.infer<typeof waitForSchema>;

/** `${NAME}` (the environment), `{ env: NAME }` or `{ file: path }`; never a literal. */
export const secretSourceSchema = z.union([z.string(), z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })]);

export const flowSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  base_url: z.string().min(1).optional(),
  vars: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), z.union([z.string(), z.number(), z.boolean()])).optional(),
  secrets: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), secretSourceSchema).optional(),
  /** Names an included flow expects from its caller's `with:`. */
  inputs: z.array(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name')).optional(),
  /** Values an included flow hands back to its caller, templated after its last step. */
  outputs: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), z.string()).optional(),
  defaults: z
    .strictObject({
      timeout: durationSchema.optional(),
      headers: stringMap.optional(),
      follow_redirects: z.boolean().optional(),
    })
    .optional(),
  wait_for: z.array(waitForSchema).optional(),
  steps: z.array(stepSchema).min(1),
});
export type FlowSpec = z.infer<typeof flowSchema>;

/**
 * `path: message` lines for every problem zod found, in document order.
 *
 * @example describeIssues(error, 'smoke/login.yaml') // ['smoke/login.yaml: steps.1.http.url: Invalid input: expected string, received undefined']
 */
export function describeIssues(error: z.ZodError, file: string): string[] {
  return error.issues.map((issue) => `${file}: ${issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.')}: ${issue.message}`);
}

/** Milliseconds of a duration value: `10s` → 10000; a bare number is already milliseconds. */
export function toMs(value: z.infer<typeof durationSchema>): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value);
  const amount = Number(match?.[1] ?? Number.NaN);
  return Math.round(match?.[2] === 'ms' ? amount : match?.[2] === 'm' ? amount * 60_000 : amount * 1000);
}
