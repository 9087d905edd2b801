/**
 * operations/frontend-localhost-default: the shipped bundle points at localhost, loopback, a private
 * address or a .local name (the "Failed to fetch" login of seed 000), or still carries dev-server code.
 */

import { scanTags } from '../observatory.js';
import type { ProbeClient } from '../context.js';
import type { IssueSink } from '../rules.js';
import type { Exchange } from '../transport.js';

export const MAX_SCRIPTS = 5;

export interface FetchedScript {
  readonly url: string;
  /** Present when the script answered 200. */
  readonly body?: string;
  readonly exchange: Exchange;
}

/** Same-origin `<script src>` URLs of a page, in document order, at most `MAX_SCRIPTS`. */
export function sameOriginScripts(html: string, pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  const urls: string[] = [];
  for (const tag of scanTags(html, 'script')) {
    const src = tag.attributes.get('src');
    if (src === undefined || src === '') continue;
    try {
      const url = new URL(src, pageUrl);
      if (url.origin === origin && !urls.includes(url.toString())) urls.push(url.toString());
    } catch {
      continue;
    }
  }
  return urls.slice(0, MAX_SCRIPTS);
}

export async function fetchScripts(client: ProbeClient, html: string, pageUrl: string): Promise<FetchedScript[]> {
  return Promise.all(
    sameOriginScripts(html, pageUrl).map(async (url) => {
      const exchange = await client.get(url, 'page');
      const response = exchange.response;
      return response !== undefined && response.status === 200 ? { url, body: response.body, exchange } : { url, exchange };
    }),
  );
}

const LOCAL_URL =
  /\b(?:https?|wss?):\/\/(localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\]|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.local|host\.docker\.internal)(?::\d{1,5})?(?:\/[^\s'"`)<>\\]*)?/gi;

/** Code that sends requests: a local URL near it is the API base, not a comment or a docs link. */
const NETWORK_CODE = /\bfetch\s*\(|axios|XMLHttpRequest|new\s+WebSocket|EventSource|baseURL|base_url|apiUrl|API_URL|apiBase|API_BASE|VITE_[A-Z_]*URL|REACT_APP_[A-Z_]*URL|NEXT_PUBLIC_[A-Z_]*URL|graphql|\/api\b/;

const DEV_ARTEFACTS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\/@vite\/client|\/@react-refresh|import\.meta\.hot\b/, what: 'Vite dev-server client' },
  { pattern: /webpack-dev-server|__webpack_hmr|webpackHotUpdate|\[HMR\] Waiting for update signal/, what: 'webpack hot module replacement' },
];

function lineAndColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `${line}:${index - before.lastIndexOf('\n')}`;
}

/** Scans one text (script or HTML page); `targetOrigin` is skipped because a page may call itself. */
export function scanForLocalUrls(url: string, text: string, targetOrigin: string, sink: IssueSink): void {
  const seen = new Set<string>();
  for (const match of text.matchAll(LOCAL_URL)) {
    const found = match[0];
    const index = match.index ?? 0;
    let origin: string;
    try {
      origin = new URL(found).origin;
    } catch {
      continue;
    }
    if (origin === targetOrigin || seen.has(found)) continue;
    seen.add(found);
    const window = text.slice(Math.max(0, index - 300), index + found.length + 300);
    const nearNetwork = NETWORK_CODE.test(window);
    const context = text.slice(Math.max(0, index - 60), index + found.length + 40).replace(/\s+/g, ' ');
    sink.report({
      ruleId: 'operations/frontend-localhost-default',
      messageId: nearNetwork ? 'apiBase' : 'mention',
      message: nearNetwork ? `the shipped code calls ${found}, which only exists on the developer's machine or a private network` : `the shipped code mentions ${found}`,
      url,
      detail: `at ${lineAndColumn(text, index)}: …${context}…${nearNetwork ? ' (fetch/XHR/WebSocket/API-base code within 300 characters)' : ''}`,
      severity: nearNetwork ? 'high' : 'low',
      key: found,
    });
  }
  for (const artefact of DEV_ARTEFACTS) {
    const match = artefact.pattern.exec(text);
    if (match === null) continue;
    sink.report({
      ruleId: 'operations/frontend-localhost-default',
      messageId: 'devServer',
      message: `the deployment serves ${artefact.what} code: a dev server or dev build is running in production`,
      url,
      detail: `at ${lineAndColumn(text, match.index)}: ${match[0]}`,
      severity: 'high',
      key: artefact.what,
    });
  }
}

export function runFrontendChecks(page: { url: string; html: string }, scripts: readonly FetchedScript[], sink: IssueSink): void {
  sink.ran('operations/frontend-localhost-default');
  const origin = new URL(page.url).origin;
  scanForLocalUrls(page.url, page.html, origin, sink);
  for (const script of scripts) if (script.body !== undefined) scanForLocalUrls(script.url, script.body, origin, sink);
}
