import { describe, expect, it } from 'vitest';
import { reportSchema } from '../src/core/report.js';
import { makeTree, parseJson, runBin } from './helpers.js';

/** Two stacks one release script brings up on one production host, plus a local file whose ports never reach that host. */
const TWO_STACKS = {
  'deploy/release.sh': '#!/bin/sh\nset -e\ndocker compose -f billing/docker-compose.production.yml up -d --wait\ndocker compose -f shop/docker-compose.production.yml up -d --wait\n',
  'docker-compose.yml': 'services:\n  app:\n    build: .\n    ports:\n      - "127.0.0.1:3000:3000"\n',
  'shop/docker-compose.production.yml': 'services:\n  shop:\n    image: ghcr.io/acme/shop:1.0.0\n    ports:\n      - "8080:3000"\n      - "443:443"\n',
  'billing/docker-compose.production.yml': 'services:\n  billing:\n    image: ghcr.io/acme/billing:2.0.0\n    ports:\n      - target: 8080\n        published: 8080\n',
};

describe('shipready scan --ports', () => {
  it('prints only the port map, one row per host port, sorted by port', async () => {
    const tree = makeTree(TWO_STACKS);
    try {
      const result = await runBin(['scan', tree.dir, '--ports']);
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^HOST PORT\s+BIND ADDRESS\s+SERVICE\s+COMPOSE FILE:LINE$/);
      expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
        ['443', '0.0.0.0 (all)', 'shop', 'shop/docker-compose.production.yml:6'],
        ['3000', '127.0.0.1', 'app', 'docker-compose.yml:5'],
        ['8080', '0.0.0.0 (all)', 'billing', 'billing/docker-compose.production.yml:5'],
        ['8080', '0.0.0.0 (all)', 'shop', 'shop/docker-compose.production.yml:5'],
      ]);
      // The map alone: no checklist, verdict or findings around it.
      expect(result.stdout).not.toMatch(/port-conflict|verdict/i);
    } finally {
      tree.cleanup();
    }
  });

  it('carries the map as the "ports" section of the JSON report, next to the conflict finding', async () => {
    const tree = makeTree(TWO_STACKS);
    try {
      const result = await runBin(['scan', tree.dir, '--ports', '--format', 'json', '--fail-on', 'none']);
      expect(result.code).toBe(0);
      const report = reportSchema.parse(parseJson(result.stdout));
      const section = report.sections.find((candidate) => candidate.id === 'ports');
      expect(section?.data).toMatchObject({
        ports: [
          { hostPort: '443', service: 'shop', file: 'shop/docker-compose.production.yml', line: 6 },
          { hostPort: '3000', hostIp: '127.0.0.1', service: 'app', file: 'docker-compose.yml', line: 5 },
          { hostPort: '8080', service: 'billing', line: 5 },
          { hostPort: '8080', service: 'shop', line: 5 },
        ],
      });
      const conflicts = report.findings.filter((finding) => finding.ruleId === 'operations/port-conflict');
      expect(conflicts.map((finding) => finding.location)).toMatchObject([{ kind: 'file', path: 'shop/docker-compose.production.yml', line: 5 }]);
    } finally {
      tree.cleanup();
    }
  });

  it('says so when nothing publishes a port, and leaves the section out without --ports', async () => {
    const tree = makeTree({ 'compose.yaml': 'services:\n  worker:\n    image: ghcr.io/acme/worker:1.0.0\n' });
    try {
      const ports = await runBin(['scan', tree.dir, '--ports']);
      expect(ports.stdout.trim()).toBe('No compose service publishes a host port.');
      const plain = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'none']);
      expect(reportSchema.parse(parseJson(plain.stdout)).sections.map((section) => section.id)).not.toContain('ports');
    } finally {
      tree.cleanup();
    }
  });
});
