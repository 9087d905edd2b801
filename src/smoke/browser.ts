// Browser steps through playwright-core driving the system's Chromium (Debian's `chromium`): imported only when a
// flow has a browser step. The browser context shares the flow's session: the jar's cookies go in before the step
// and come back after it. Requests to hosts the flow does not name are aborted, as HTTP steps never send them.
// docs/smoke.md#browser-steps
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { cookieAttributeChecks } from './expect-http.js';
import { describeMatcher, matches, show, statusMatches } from './matchers.js';
import type { BrowserAction, LocatorSpec } from './schema.js';
import { toMs } from './schema.js';
import { renderText } from './template.js';
import type { BrowserDriver, FlowSession, StepAttempt } from './run.js';
import { resolveUrl } from './run.js';
import type { FailedCheck, LoadedStep } from './types.js';

/** Console errors every page logs and no user sees (the browser's own favicon request). */
const DEFAULT_CONSOLE_IGNORE = ['favicon.ico'];
const DEFAULT_BROWSER_TIMEOUT_MS = 15_000;

export interface ChromiumOptions {
  readonly executablePath: string;
  readonly artifactsDir?: string;
}

function locate(page: Page, spec: LocatorSpec): Locator {
  if (spec.test_id !== undefined) return page.getByTestId(spec.test_id);
  if (spec.label !== undefined) return page.getByLabel(spec.label);
  if (spec.placeholder !== undefined) return page.getByPlaceholder(spec.placeholder);
  if (spec.css !== undefined) return page.locator(spec.css);
  if (spec.role !== undefined) {
    return page.getByRole(spec.role, { ...(spec.name === undefined ? {} : { name: spec.name }), ...(spec.level === undefined ? {} : { level: spec.level }) });
  }
  return page.getByText(spec.text ?? '');
}

function describeLocator(spec: LocatorSpec): string {
  return Object.entries(spec)
    .filter(([key, value]) => value !== undefined && key !== 'value' && key !== 'option')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

async function act(page: Page, action: BrowserAction, session: FlowSession, timeout: number): Promise<void> {
  const now = session.options.now();
  const text = (value: string): string => renderText(value, session.scope, now);
  if ('fill' in action) await locate(page, action.fill).fill(text(action.fill.value), { timeout });
  else if ('click' in action) await locate(page, action.click).click({ timeout });
  else if ('select' in action) await locate(page, action.select).selectOption(text(action.select.option), { timeout });
  else if ('check' in action) await locate(page, action.check).check({ timeout });
  else if ('press' in action) await locate(page, action.press).press(action.press.key, { timeout });
  else if ('wait_for' in action) await locate(page, action.wait_for).waitFor({ timeout });
  else if ('wait_for_url' in action) {
    const wanted = text(action.wait_for_url);
    await page.waitForURL((url) => url.href === wanted || url.pathname === wanted || url.href.endsWith(wanted), { timeout });
  } else {
    const resolved = resolveUrl(text(action.goto), session);
    if (!resolved.ok) throw new Error(resolved.message);
    await page.goto(resolved.url.href, { timeout });
  }
}

function actionName(action: BrowserAction): string {
  const [verb, spec] = Object.entries(action)[0] ?? ['action', ''];
  return typeof spec === 'string' ? `${verb} ${spec}` : `${verb} ${spec !== null && typeof spec === 'object' ? describeLocator(spec) : ''}`;
}

async function checkPage(page: Page, context: BrowserContext, step: LoadedStep, observed: { consoleErrors: string[]; failedRequests: string[]; responses: Array<{ url: string; status: number }> }, timeout: number): Promise<FailedCheck[]> {
  const expect = step.browserExpect;
  const failures: FailedCheck[] = [];
  if (expect === undefined) return failures;
  if (expect.url !== undefined) {
    const url = page.url();
    const pathname = new URL(url).pathname;
    // `/dashboard` matches the path; a full URL or matcher object is checked against the whole URL.
    const ok = typeof expect.url === 'string' && expect.url.startsWith('/') ? pathname === expect.url : matches(url, expect.url).ok;
    if (!ok) failures.push({ what: 'url', expected: describeMatcher(expect.url), actual: show(url) });
  }
  if (expect.title !== undefined) {
    const title = await page.title();
    if (!matches(title, expect.title).ok) failures.push({ what: 'title', expected: describeMatcher(expect.title), actual: show(title) });
  }
  const visible = expect.visible === undefined ? [] : Array.isArray(expect.visible) ? expect.visible : [expect.visible];
  for (const spec of visible) {
    const { text, ...where } = spec;
    const locator = locate(page, typeof text === 'string' && where.role === undefined && where.label === undefined && where.test_id === undefined ? spec : where).first();
    try {
      await locator.waitFor({ state: 'visible', timeout });
    } catch {
      failures.push({ what: `visible ${describeLocator(where)}`, expected: 'visible', actual: 'not visible' });
      continue;
    }
    if (text !== undefined && text !== null && typeof text === 'object') {
      const content = (await locator.innerText({ timeout })).trim();
      if (!matches(content, text).ok) failures.push({ what: `text of ${describeLocator(where)}`, expected: describeMatcher(text), actual: show(content) });
    }
  }
  for (const [selector, matcher] of Object.entries(expect.text ?? {})) {
    const content = await page.locator(selector).first().innerText({ timeout }).catch(() => undefined);
    if (!matches(content?.trim(), matcher).ok) failures.push({ what: `text ${selector}`, expected: describeMatcher(matcher), actual: show(content) });
  }
  const ignoredConsole = [...DEFAULT_CONSOLE_IGNORE, ...(expect.console_errors?.ignore ?? [])];
  const consoleErrors = observed.consoleErrors.filter((message) => !ignoredConsole.some((ignore) => message.includes(ignore)));
  const maxConsole = expect.console_errors?.max ?? (expect.console_errors === undefined ? undefined : 0);
  if (maxConsole !== undefined && consoleErrors.length > maxConsole) failures.push({ what: 'console_errors', expected: `at most ${maxConsole}`, actual: `${consoleErrors.length}: ${consoleErrors.slice(0, 3).join(' | ')}` });
  const failedRequests = observed.failedRequests.filter((entry) => !(expect.failed_requests?.ignore ?? []).some((ignore) => entry.includes(ignore)));
  const maxFailed = expect.failed_requests?.max ?? (expect.failed_requests === undefined ? undefined : 0);
  if (maxFailed !== undefined && failedRequests.length > maxFailed) failures.push({ what: 'failed_requests', expected: `at most ${maxFailed}`, actual: `${failedRequests.length}: ${failedRequests.slice(0, 3).join(' | ')}` });
  for (const [pattern, expected] of Object.entries(expect.responses ?? {})) {
    const seen = observed.responses.filter((response) => response.url.includes(pattern));
    const last = seen[seen.length - 1];
    if (last === undefined) failures.push({ what: `response ${pattern}`, expected: 'a response', actual: 'no request made' });
    else if (!statusMatches(last.status, expected.status)) failures.push({ what: `response ${pattern} status`, expected: Array.isArray(expected.status) ? expected.status.join(' or ') : typeof expected.status === 'object' ? describeMatcher(expected.status) : String(expected.status), actual: String(last.status) });
  }
  if (expect.cookies !== undefined) {
    const cookies = await context.cookies();
    for (const [name, wanted] of Object.entries(expect.cookies)) {
      const cookie = cookies.find((candidate) => candidate.name === name);
      if ((wanted.exists ?? true) !== (cookie !== undefined)) {
        failures.push({ what: `cookie ${name}`, expected: wanted.exists === false ? 'absent' : 'set', actual: cookie === undefined ? 'absent' : 'present' });
        continue;
      }
      if (cookie !== undefined) cookieAttributeChecks(failures, name, wanted, { name, value: cookie.value, domain: cookie.domain, path: cookie.path, secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, expires: cookie.expires });
    }
  }
  return failures;
}

async function screenshot(page: Page, step: LoadedStep, session: FlowSession, dir: string | undefined): Promise<string[]> {
  if (dir === undefined) return [];
  const name = `${session.flow.name}-${step.id}`.replace(/[^\w.-]+/g, '_');
  const file = path.join(dir, `${name}.png`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: file, timeout: 5_000 });
    return [file];
  } catch {
    return [];
  }
}

class ChromiumDriver implements BrowserDriver {
  private readonly contexts = new Map<FlowSession['jar'], BrowserContext>();

  constructor(
    private readonly browser: Browser,
    readonly version: string,
    private readonly artifactsDir: string | undefined,
  ) {}

  private async contextFor(session: FlowSession): Promise<BrowserContext> {
    const known = this.contexts.get(session.jar);
    if (known !== undefined) return known;
    const context = await this.browser.newContext();
    // Only the hosts the flow names: a page's third-party scripts and beacons are aborted, never sent.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || session.allowed.has(url.host)) await route.continue();
      else await route.abort('blockedbyclient');
    });
    this.contexts.set(session.jar, context);
    return context;
  }

  async runStep(step: LoadedStep, session: FlowSession): Promise<StepAttempt> {
    const spec = step.spec.browser;
    if (spec === undefined) return { failure: { kind: 'error', message: 'not a browser step', checks: [] } };
    const timeout = spec.timeout === undefined ? (step.spec.timeout === undefined ? DEFAULT_BROWSER_TIMEOUT_MS : toMs(step.spec.timeout)) : toMs(spec.timeout);
    const context = await this.contextFor(session);
    // The session's cookies, as HTTP steps left them, go into the browser for this step.
    await context.clearCookies();
    const cookies = await session.jar.all();
    if (cookies.length > 0) await context.addCookies(cookies.map((cookie) => ({ name: cookie.name, value: cookie.value, domain: cookie.domain, path: cookie.path, secure: cookie.secure, httpOnly: cookie.httpOnly, ...(cookie.sameSite === undefined ? {} : { sameSite: cookie.sameSite }), expires: cookie.expires })));
    const page = await context.newPage();
    const observed: { consoleErrors: string[]; failedRequests: string[]; responses: Array<{ url: string; status: number }> } = { consoleErrors: [], failedRequests: [], responses: [] };
    page.on('console', (message) => {
      if (message.type() === 'error') observed.consoleErrors.push(`${message.text()} ${message.location().url}`.trim());
    });
    page.on('pageerror', (error) => observed.consoleErrors.push(error.message));
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_BLOCKED_BY_CLIENT') observed.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
    });
    page.on('response', (response) => observed.responses.push({ url: response.url(), status: response.status() }));
    let failure: StepAttempt['failure'];
    const goto = resolveUrl(renderText(spec.goto, session.scope, session.options.now()), session);
    try {
      if (!goto.ok) throw new Error(goto.message);
      await page.goto(goto.url.href, { timeout });
      for (const action of spec.actions ?? []) {
        try {
          await act(page, action, session, timeout);
        } catch (error) {
          const timedOut = error instanceof Error && error.name === 'TimeoutError';
          failure = { kind: timedOut ? 'assert' : 'error', message: `${actionName(action)}: ${error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error)}`, checks: [{ what: actionName(action), expected: 'the action succeeds', actual: timedOut ? `no such element or state within ${timeout} ms` : 'failed' }] };
          break;
        }
      }
      if (failure === undefined) {
        const checks = await checkPage(page, context, step, observed, Math.min(timeout, 5_000));
        if (checks.length > 0) failure = { kind: 'assert', message: `${checks[0]?.what ?? 'expectation'}: expected ${checks[0]?.expected ?? ''}, got ${checks[0]?.actual ?? ''}${checks.length > 1 ? ` (and ${checks.length - 1} more)` : ''}`, checks };
      }
    } catch (error) {
      const text = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      failure = { kind: /ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_RESET/.test(text) ? 'connect' : error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'error', message: text, checks: [] };
    }
    const artifacts = failure === undefined || step.spec.artifacts?.on_failure?.includes('screenshot') === false ? [] : await screenshot(page, step, session, this.artifactsDir);
    const finalUrl = page.url();
    await session.jar.replaceFrom((await context.cookies()).map((cookie) => ({ name: cookie.name, value: cookie.value, domain: cookie.domain, path: cookie.path, secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, expires: cookie.expires })));
    await page.close();
    return {
      request: { method: 'BROWSER', url: goto.ok ? goto.url.href : spec.goto, headers: {} },
      ...(finalUrl === 'about:blank' ? {} : { response: { status: observed.responses.find((response) => response.url === finalUrl)?.status ?? 0, url: finalUrl, headers: {}, excerpt: '', ms: 0 } }),
      ...(failure === undefined ? {} : { failure }),
      ...(artifacts.length === 0 ? {} : { artifacts }),
    };
  }

  async closeSession(session: FlowSession): Promise<void> {
    await this.contexts.get(session.jar)?.close().catch(() => undefined);
    this.contexts.delete(session.jar);
  }

  async shutdown(): Promise<void> {
    for (const context of this.contexts.values()) await context.close().catch(() => undefined);
    this.contexts.clear();
    await this.browser.close();
  }
}

/**
 * Starts headless Chromium from `executablePath`. The flags keep it off the network it has no business on
 * (component updates, sync, background requests) and Playwright's own sandbox handling works as root.
 *
 * @example const driver = await openChromium({ executablePath: '/usr/bin/chromium' }); driver.version // '156.0.…'
 */
export async function openChromium(options: ChromiumOptions): Promise<BrowserDriver> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    timeout: 30_000,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return new ChromiumDriver(browser, browser.version(), options.artifactsDir);
}
