/**
 * security/error-stack-leak: three safe malformed requests (bad percent-encoding, invalid JSON body,
 * random API path); a stack trace or framework debug page in the answer, absent from the home page and
 * the calibration baseline, means the app runs in debug mode or leaks internals.
 */

import { excerpt, type ProbeClient } from '../context.js';
import type { IssueSink } from '../rules.js';
import type { Exchange } from '../transport.js';

const SIGNATURES: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\bat (?:async )?[\w$.<>[\]]+ \((?:\/|[A-Za-z]:\\|node:|file:)[^)\n]*:\d+:\d+\)/, what: 'Node.js stack trace' },
  { pattern: /\bat (?:\/|node:)[^\s)]+:\d+:\d+\b/, what: 'Node.js stack trace' },
  { pattern: /Traceback \(most recent call last\)/, what: 'Python traceback' },
  { pattern: /You're seeing this error because you have <code>DEBUG = True<\/code>/, what: 'Django debug page' },
  { pattern: /Werkzeug Debugger|The debugger caught an exception in your WSGI application/, what: 'Werkzeug debugger' },
  { pattern: /Action Controller: Exception caught|Rails\.root:/, what: 'Rails debug page' },
  { pattern: /Whoops! There was an error|Illuminate\\[A-Za-z]+\\/, what: 'Laravel debug page' },
  { pattern: /\bat [\w$.]+\([\w$]+\.java:\d+\)/, what: 'Java stack trace' },
  { pattern: /Fatal error: .{1,200} on line \d+|Stack trace:\s*(?:<br \/>\s*)?#0 /, what: 'PHP error' },
  { pattern: /Server Error in '\/' Application|<b>Exception Details: <\/b>/, what: 'ASP.NET error page' },
  { pattern: /\bgoroutine \d+ \[running\]:/, what: 'Go panic' },
];

export function findStackSignature(body: string): { what: string; match: string; index: number } | undefined {
  for (const signature of SIGNATURES) {
    const match = signature.pattern.exec(body);
    if (match !== null) return { what: signature.what, match: match[0], index: match.index };
  }
  return undefined;
}

export async function runErrorChecks(client: ProbeClient, origin: string, context: { home: string; baseline: string }, sink: IssueSink): Promise<void> {
  sink.ran('security/error-stack-leak');
  // Pages that already contain such text (docs, a blog post about errors) prove nothing.
  if (findStackSignature(context.home) !== undefined || findStackSignature(context.baseline) !== undefined) return;
  const random = client.token('errors');
  const requests: Array<{ label: string; send: () => Promise<Exchange> }> = [
    { label: 'bad percent-encoding', send: () => client.get(`${origin}/%E0%A4%A/${random}`, 'path') },
    { label: 'invalid JSON body', send: () => client.send('POST', `${origin}/api/${random}`, 'path', { 'content-type': 'application/json' }, '{"shipready":') },
    { label: 'random API path', send: () => client.get(`${origin}/api/${random}/1`, 'path') },
  ];
  const exchanges = await Promise.all(requests.map(async (request) => ({ label: request.label, exchange: await request.send() })));
  for (const { label, exchange } of exchanges) {
    const response = exchange.response;
    if (response === undefined) continue;
    const found = findStackSignature(response.body);
    if (found === undefined) continue;
    const sent = exchange.request.body === undefined ? `${exchange.request.method} ${exchange.request.url}` : `${exchange.request.method} ${exchange.request.url} with body ${exchange.request.body}`;
    sink.report({
      ruleId: 'security/error-stack-leak',
      messageId: 'stack',
      message: `a ${label} request gets a ${found.what} back`,
      url: exchange.request.url.replace(random, '<random>'),
      detail: `${sent.replace(random, '<random>')} → ${response.status}; ${found.what}: ${excerpt(response.body.slice(Math.max(0, found.index - 40)), 160)}`,
      key: label,
    });
  }
}
