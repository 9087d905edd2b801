import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { didYouMean, loadConfigLazily, validateConfig, type KnownRules } from './config.js';

const known: KnownRules = {
  ids: ['security/secret-committed', 'reliability/health-endpoint'],
  validateOptions: (ruleId, raw) => (ruleId === 'reliability/health-endpoint' && raw !== undefined && typeof raw !== 'object' ? ['options: expected object'] : []),
};

describe('validateConfig', () => {
  it('accepts a full config and normalises rule settings', () => {
    const result = validateConfig(
      {
        rules: { 'security/secret-committed': 'off', 'reliability/health-endpoint': { severity: 'low', options: { paths: ['/ping'] } } },
        ignore: ['fixtures/**'],
        failOn: 'medium',
        maxFileSize: '2MiB',
        attest: { 'load-testing': { by: 'ana', date: '2026-10-01', evidence: 'k6 run #42' } },
      },
      'shipready.config.json',
      known,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.rules.get('security/secret-committed')).toEqual({ enabled: false });
    expect(result.value.rules.get('reliability/health-endpoint')).toEqual({ enabled: true, severity: 'low', options: { paths: ['/ping'] } });
    expect(result.value.maxFileSize).toBe(2 * 1024 * 1024);
    expect(result.value.failOn).toBe('medium');
  });

  it('reports every problem at once, each with its path', () => {
    const result = validateConfig(
      { rules: { 'security/secret-comitted': 'off', 'reliability/health-endpoint': 'loud' }, failOn: 'urgent', colour: true, attest: { 'load-test': { by: 'x', date: 'yesterday', evidence: '' } } },
      'shipready.config.json',
      known,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const details = result.error.details ?? [];
    expect(details.some((line) => line.startsWith('failOn:'))).toBe(true);
    expect(details.some((line) => line.startsWith('(root):') && line.includes('colour'))).toBe(true);
    expect(details.some((line) => line.startsWith('rules.reliability/health-endpoint:'))).toBe(true);
    expect(details.some((line) => line.startsWith('attest.load-test.date:'))).toBe(true);
    expect(details.length).toBeGreaterThanOrEqual(5);
  });

  it('suggests the closest rule id for a typo', () => {
    const result = validateConfig({ rules: { 'security/secret-comitted': 'off' } }, 'c.json', known);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.details).toEqual(['rules.security/secret-comitted: unknown rule id (did you mean "security/secret-committed"?)']);
  });

  it('suggests the closest checklist item for an attestation typo', () => {
    expect(didYouMean('load-test', ['load-testing', 'local-setup'])).toBe('load-testing');
    expect(didYouMean('zzzzzz', ['load-testing'])).toBeUndefined();
  });
});

describe('loadConfigLazily', () => {
  function withRoot(files: Record<string, string>, body: (root: string) => Promise<void>): Promise<void> {
    const root = mkdtempSync(path.join(tmpdir(), 'shipready-config-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
    return body(root).finally(() => rmSync(root, { recursive: true, force: true }));
  }

  /** A registry loader that counts its calls. */
  function countingRegistries(): { load: () => Promise<KnownRules>; loaded: () => number } {
    let calls = 0;
    return {
      load: async () => {
        calls++;
        return known;
      },
      loaded: () => calls,
    };
  }

  it('never loads the rule registries when there is no config', async () => {
    await withRoot({ 'package.json': '{"name":"app"}' }, async (root) => {
      const registries = countingRegistries();
      const config = await loadConfigLazily(root, undefined, registries.load);
      expect(config.ok).toBe(true);
      expect(registries.loaded()).toBe(0);
    });
  });

  it('validates a config file against the registries it loads', async () => {
    await withRoot({ 'shipready.config.yaml': 'rules:\n  security/secret-comitted: off\n' }, async (root) => {
      const registries = countingRegistries();
      const config = await loadConfigLazily(root, undefined, registries.load);
      expect(registries.loaded()).toBe(1);
      expect(config.ok ? undefined : config.error.code).toBe('CONFIG_INVALID');
    });
  });

  (process.platform === 'win32' ? it.skip : it)('skips a FIFO named like a config with a note, and refuses one given with --config', async () => {
    await withRoot({ 'package.json': '{"name":"app","shipready":{"failOn":"low"}}' }, async (root) => {
      execFileSync('mkfifo', [path.join(root, 'shipready.config.yaml')]);
      const discovered = await loadConfigLazily(root, undefined, async () => known);
      expect(discovered.ok && [discovered.value.source, discovered.value.failOn, discovered.value.notes?.map((note) => note.path)]).toEqual(['package.json#shipready', 'low', ['shipready.config.yaml']]);
      const explicit = await loadConfigLazily(root, path.join(root, 'shipready.config.yaml'), async () => known);
      expect(explicit.ok ? undefined : explicit.error.code).toBe('CONFIG_UNREADABLE');
      const device = await loadConfigLazily(root, '/dev/zero', async () => known);
      expect(device.ok ? undefined : device.error.message).toBe('config /dev/zero is a character device, not a regular file');
    });
  });

  it('refuses a config larger than 16 MiB instead of parsing it', async () => {
    await withRoot({ 'shipready.config.json': `{"ignore":[${'"x",'.repeat(4_300_000)}"x"]}` }, async (root) => {
      const config = await loadConfigLazily(root, undefined, async () => known);
      expect(config.ok ? undefined : config.error.message).toBe(`config ${path.join(root, 'shipready.config.json')} is larger than 16 MiB`);
    });
  });
});
