// Redis above the handshake: AUTH when the URL carries a password, then PING. RESP is small enough to speak directly.
import type * as net from 'node:net';
import { decodeOrRaw } from './decode.js';
import { readUntil } from './handshake.js';
import type { LayerResult } from './types.js';

function command(...parts: readonly string[]): Buffer {
  return Buffer.from(`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`);
}

function firstLine(data: Buffer): string {
  return data.toString('utf8').split('\r\n')[0] ?? '';
}

/** Layer `auth`: `AUTH [user] password` when the URL has one; WRONGPASS and a server without a password are named. */
export async function redisAuth(socket: net.Socket, url: URL, timeoutMs: number): Promise<LayerResult> {
  const started = performance.now();
  const password = decodeOrRaw(url.password);
  const user = decodeOrRaw(url.username);
  if (password === '') return { layer: 'auth', status: 'skipped', output: 'no password in the URL' };
  const answer = firstLine(await readUntil(socket, timeoutMs, (data) => data.includes('\r\n'), user === '' || user === 'default' ? command('AUTH', password) : command('AUTH', user, password)));
  const ms = Math.round(performance.now() - started);
  if (answer === '+OK') return { layer: 'auth', status: 'pass', output: `AUTH accepted${user === '' ? '' : ` for ${user}`}`, ms };
  if (/^-WRONGPASS/.test(answer)) return { layer: 'auth', status: 'fail', code: 'WRONGPASS', output: answer.slice(1, 120), ms, hint: 'The password (or user) in the URL is not what Redis expects: compare it with requirepass / the ACL user, or REDIS_PASSWORD of the redis service.' };
  if (/without any password configured|no password is set/i.test(answer)) return { layer: 'auth', status: 'warn', code: 'NO_PASSWORD_SET', output: 'the URL sends a password but Redis has none set', ms, hint: 'Redis accepts anyone who reaches it: set requirepass (or an ACL user), or drop the password from the URL.' };
  return { layer: 'auth', status: 'fail', code: 'AUTH_FAILED', output: answer === '' ? 'no answer to AUTH' : answer.slice(1, 120), ms, hint: 'Redis refused AUTH: check the URL’s user and password.' };
}

/** Layer `query`: PING must answer PONG (`-LOADING` while the dataset loads, `-NOAUTH` when a password is needed). */
export async function redisQuery(socket: net.Socket, timeoutMs: number): Promise<LayerResult> {
  const started = performance.now();
  const answer = firstLine(await readUntil(socket, timeoutMs, (data) => data.includes('\r\n'), command('PING')));
  const ms = Math.round(performance.now() - started);
  if (answer === '+PONG') return { layer: 'query', status: 'pass', output: 'PING answered PONG', ms };
  if (/^-NOAUTH/.test(answer)) return { layer: 'query', status: 'fail', code: 'NOAUTH', output: 'Redis requires a password and the URL has none', ms, hint: 'Add the password to the URL: redis://:PASSWORD@host:6379.' };
  if (/^-LOADING/.test(answer)) return { layer: 'query', status: 'fail', code: 'LOADING', output: 'Redis is loading its dataset', ms, hint: 'Wait until Redis has loaded its data from disk.' };
  return { layer: 'query', status: 'fail', code: 'PING_FAILED', output: answer === '' ? 'no answer to PING' : answer.slice(0, 120), ms, hint: 'Redis did not answer PING: check its log.' };
}
