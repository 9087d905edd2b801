import { describe, expect, it } from 'vitest';
import { checkDns, observeDns, type Resolver } from './dns.js';
import { IssueSink } from './rules.js';

function dnsError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** An in-memory zone: names map to A records or a CNAME; anything else is NXDOMAIN. */
function zone(records: Record<string, { a?: string[]; cname?: string }>): Resolver {
  return {
    lookup: async (host) => {
      const record = records[host];
      if (record?.a !== undefined) return record.a;
      if (record?.cname !== undefined) {
        const target = records[record.cname];
        if (target?.a !== undefined) return target.a;
      }
      throw dnsError('ENOTFOUND');
    },
    resolveCname: async (host) => {
      const record = records[host];
      if (record?.cname !== undefined) return [record.cname];
      throw dnsError(record === undefined ? 'ENOTFOUND' : 'ENODATA');
    },
  };
}

async function check(host: string, resolver: Resolver): Promise<Array<[string, string]>> {
  const sink = new IssueSink();
  checkDns(`https://${host}/`, await observeDns(host, resolver), sink);
  return sink.issues.map((issue) => [issue.ruleId, issue.messageId]);
}

describe('DNS checks (injected resolver)', () => {
  it('ok.resolves: A record, no CNAME', async () => {
    expect(await check('app.example.com', zone({ 'app.example.com': { a: ['203.0.113.7'] } }))).toEqual([]);
  });

  it('ok.cname-alive: CNAME to a name that resolves', async () => {
    expect(await check('www.example.com', zone({ 'www.example.com': { cname: 'lb.cdn.example.net' }, 'lb.cdn.example.net': { a: ['203.0.113.9'] } }))).toEqual([]);
  });

  it('ng.dangling-cname: CNAME to a deleted bucket', async () => {
    expect(await check('assets.example.com', zone({ 'assets.example.com': { cname: 'old-bucket.s3.example.net' } }))).toEqual([
      ['reliability/dns-resolution', 'unresolved'],
      ['security/dangling-cname', 'dangling'],
    ]);
  });

  it('ng.nxdomain: the name does not exist', async () => {
    expect(await check('typo.example.com', zone({}))).toEqual([['reliability/dns-resolution', 'unresolved']]);
  });

  it('does not call a transient failure (EAI_AGAIN) dangling', async () => {
    const resolver = zone({ 'x.example.com': { cname: 'flaky.example.net' } });
    const flaky: Resolver = { ...resolver, lookup: async (host) => (host === 'flaky.example.net' ? Promise.reject(dnsError('EAI_AGAIN')) : resolver.lookup(host)) };
    expect((await check('x.example.com', flaky)).map(([id]) => id)).not.toContain('security/dangling-cname');
  });
});
