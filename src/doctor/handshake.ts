// Layer `handshake`: does the open port speak the protocol the URL names, before any credential is sent?
// "Port open but not PostgreSQL" (another service took the port) is a different fix from a wrong password.
import type * as net from 'node:net';
import type { ComponentKind, LayerResult } from './types.js';

/** What answered a few bytes of greeting, to name the wrong service on a port. */
function describeForeign(data: Buffer): string {
  const text = data.subarray(0, 64).toString('latin1');
  if (text.startsWith('HTTP/')) return 'it answered HTTP';
  if (text.startsWith('SSH-')) return 'it answered SSH';
  if (/^\+|^-ERR|^-NOAUTH/.test(text)) return 'it answered like Redis';
  if (/^220[ -]/.test(text)) return 'it answered like an SMTP server';
  if (data.length > 4 && data[4] === 10) return 'it answered like MySQL';
  return data.length === 0 ? 'it closed the connection without a word' : `it answered ${JSON.stringify(text.slice(0, 24))}`;
}

/** Collects what the server sends until `enough` says so, the server closes, or `timeoutMs` passes. */
export function readUntil(socket: net.Socket, timeoutMs: number, enough: (data: Buffer) => boolean, send?: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const finish = (): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', finish);
      socket.removeListener('error', finish);
      resolve(data);
    };
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      let isEnough: boolean;
      try {
        isEnough = enough(data);
      } catch {
        // A parser reading past a partial packet: not enough yet; the caller parses what finally arrived.
        isEnough = false;
      }
      if (isEnough || data.length > 64 * 1024) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', onData);
    socket.once('close', finish);
    socket.once('error', finish);
    if (send !== undefined) socket.write(send);
  });
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/** Postgres SSLRequest: 8 bytes, code 80877103; the answer is one byte, `S` or `N`. */
export const PG_SSL_REQUEST = Buffer.concat([int32(8), int32(80877103)]);

function pgStartup(user: string, database: string): Buffer {
  const body = Buffer.concat([int32(196608), Buffer.from(`user\0${user}\0database\0${database}\0application_name\0shipready doctor\0\0`, 'utf8')]);
  return Buffer.concat([int32(body.length + 4), body]);
}

const PG_AUTH_METHODS: Readonly<Record<number, string>> = { 0: 'trust (no password)', 3: 'cleartext password', 5: 'MD5 password', 7: 'GSSAPI', 9: 'SSPI', 10: 'SASL/SCRAM' };

/** Fields of a Postgres ErrorResponse: `C` is the SQLSTATE, `M` the message. */
export function pgErrorFields(data: Buffer): { code?: string; message?: string } {
  const fields: Record<string, string> = {};
  let offset = 5;
  while (offset < data.length && data[offset] !== 0) {
    const type = String.fromCharCode(data[offset] ?? 0);
    const end = data.indexOf(0, offset + 1);
    if (end < 0) break;
    fields[type] = data.subarray(offset + 1, end).toString('utf8');
    offset = end + 1;
  }
  return { ...(fields['C'] === undefined ? {} : { code: fields['C'] }), ...(fields['M'] === undefined ? {} : { message: fields['M'] }) };
}

/**
 * Postgres: after the optional SSL upgrade, a StartupMessage must get `R` (an authentication request, whose
 * method is reported) or `E` (an error with a SQLSTATE: `57P03` starting up, `28000` no pg_hba entry). The
 * connection is closed before any password is sent.
 */
export async function postgresHandshake(socket: net.Socket, user: string, database: string, timeoutMs: number, started: number): Promise<LayerResult> {
  // An ErrorResponse is complete at 1 + its length field; an `R` needs its 4-byte method.
  const answer = await readUntil(socket, timeoutMs, (data) => (data[0] === 69 ? data.length >= 5 && data.length >= 1 + data.readInt32BE(1) : data.length >= 9), pgStartup(user, database));
  const ms = Math.round(performance.now() - started);
  if (answer[0] === 82 && answer.length >= 9) {
    const method = answer.readInt32BE(5);
    return { layer: 'handshake', status: 'pass', output: `PostgreSQL answered, auth method ${PG_AUTH_METHODS[method] ?? `#${method}`}`, ms };
  }
  if (answer[0] === 69) {
    const fields = pgErrorFields(answer);
    const code = fields.code ?? 'PG_ERROR';
    if (code === '57P03') return { layer: 'handshake', status: 'fail', code, output: `PostgreSQL is starting up (57P03): ${fields.message ?? ''}`, ms, hint: 'The server is still starting or recovering: wait, or gate the app on pg_isready / a compose healthcheck with depends_on: condition: service_healthy.' };
    // Errors such as 28000 and 3D000 come before a password is asked for; the auth layer names them with the driver.
    return { layer: 'handshake', status: 'pass', code, output: `PostgreSQL answered (${code} before authentication: ${fields.message ?? ''})`, ms };
  }
  return { layer: 'handshake', status: 'fail', code: 'NOT_POSTGRES', output: `port open but not PostgreSQL: ${describeForeign(answer)}`, ms, hint: 'Another service listens on this port: check the port in the URL and which container publishes it (docker compose ps).' };
}

/** The first bytes each protocol's server sends, or the request that makes it speak, and how to recognise it. */
interface Greeting {
  readonly name: string;
  readonly send?: Buffer;
  readonly recognise: (data: Buffer) => { ok: boolean; output: string; code?: string; status?: 'pass' | 'warn' | 'fail'; hint?: string } | undefined;
}

function mongoHello(): Buffer {
  // BSON { hello: 1, $db: "admin" } inside an OP_MSG (opcode 2013), section kind 0.
  const elements = Buffer.concat([Buffer.from([0x10]), Buffer.from('hello\0'), Buffer.from([1, 0, 0, 0]), Buffer.from([0x02]), Buffer.from('$db\0'), Buffer.from([6, 0, 0, 0]), Buffer.from('admin\0'), Buffer.from([0])]);
  const document = Buffer.concat([Buffer.alloc(4), elements]);
  document.writeInt32LE(document.length, 0);
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), document]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, body]);
}

const GREETINGS: Readonly<Partial<Record<ComponentKind, Greeting>>> = {
  redis: {
    name: 'Redis',
    send: Buffer.from('PING\r\n'),
    recognise: (data) => {
      // A reply is one line: `-NOAU` then `TH …` later must not be read as an unknown error.
      if (!data.includes('\r\n')) return undefined;
      const line = data.toString('latin1').split('\r\n')[0] ?? '';
      if (line === '+PONG') return { ok: true, output: 'Redis answered PONG (no password required)' };
      if (/^-NOAUTH/.test(line)) return { ok: true, output: 'Redis answered, password required (NOAUTH)' };
      if (/^-(?:LOADING)/.test(line)) return { ok: false, code: 'LOADING', output: 'Redis is loading its dataset', hint: 'Redis is still loading from disk: wait and retry.' };
      if (/^-/.test(line)) return { ok: true, output: `Redis answered ${line.slice(1, 80)}` };
      return undefined;
    },
  },
  mysql: {
    name: 'MySQL',
    recognise: (data) => {
      // The first packet is complete at its 3-byte little-endian length plus the 4-byte header.
      if (data.length < 6 || data.length < 4 + data.readUIntLE(0, 3)) return undefined;
      if (data[4] === 10) return { ok: true, output: `MySQL answered, server ${data.subarray(5, data.indexOf(0, 5)).toString('latin1')}` };
      if (data[4] === 0xff) return { ok: false, code: `MYSQL_${data.readUInt16LE(5)}`, output: `MySQL refused the connection: ${data.subarray(7).toString('utf8').replace(/^#\w{5}/, '').trim()}`, hint: 'The server refuses this host before authentication (1129: too many connection errors, run FLUSH HOSTS; 1130: this host may not connect).' };
      return undefined;
    },
  },
  mongodb: {
    name: 'MongoDB',
    send: mongoHello(),
    recognise: (data) => (data.length >= 16 && (data.readInt32LE(12) === 2013 || data.readInt32LE(12) === 1) ? { ok: true, output: 'MongoDB answered hello' } : undefined),
  },
  amqp: {
    name: 'AMQP',
    send: Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]),
    recognise: (data) => (data.length >= 7 && data[0] === 1 ? { ok: true, output: 'AMQP 0-9-1 broker answered Connection.Start' } : data.subarray(0, 4).toString('latin1') === 'AMQP' ? { ok: false, code: 'AMQP_VERSION', output: 'the broker speaks another AMQP version', hint: 'The broker does not speak AMQP 0-9-1 (RabbitMQ’s protocol): check the URL.' } : undefined),
  },
  smtp: {
    name: 'SMTP',
    recognise: (data) => {
      const line = data.toString('latin1').split('\r\n')[0] ?? '';
      if (/^220[ -]/.test(line)) return { ok: true, output: `SMTP server greeted: ${line.slice(4, 80)}` };
      if (/^(?:421|554)[ -]/.test(line)) return { ok: false, code: `SMTP_${line.slice(0, 3)}`, output: `SMTP server refused: ${line.slice(4, 80)}`, hint: 'The mail server refuses connections from here (rate limit or block list).' };
      return undefined;
    },
  },
};

/** Redis, MySQL, MongoDB, AMQP and SMTP: the server's greeting (or its answer to a harmless request) names the protocol. */
export async function greetingHandshake(kind: ComponentKind, socket: net.Socket, timeoutMs: number, started: number): Promise<LayerResult> {
  const greeting = GREETINGS[kind];
  if (greeting === undefined) return { layer: 'handshake', status: 'skipped', output: 'no handshake for this protocol; the port is open' };
  const answer = await readUntil(socket, timeoutMs, (data) => greeting.recognise(data) !== undefined, greeting.send);
  const ms = Math.round(performance.now() - started);
  const recognised = greeting.recognise(answer);
  if (recognised === undefined) return { layer: 'handshake', status: 'fail', code: `NOT_${greeting.name.toUpperCase()}`, output: `port open but not ${greeting.name}: ${describeForeign(answer)}`, ms, hint: 'Another service listens on this port: check the port in the URL and which container publishes it (docker compose ps).' };
  return { layer: 'handshake', status: recognised.ok ? 'pass' : 'fail', output: recognised.output, ms, ...(recognised.code === undefined ? {} : { code: recognised.code }), ...(recognised.hint === undefined ? {} : { hint: recognised.hint }) };
}
