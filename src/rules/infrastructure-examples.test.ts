import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severityRank } from '../core/severity.js';
import { scan } from '../scan.js';
import { infrastructureRules } from './infrastructure-rules.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Rules the prototype example is built to trigger (it is the "before" picture of the production one). */
const PROTOTYPE_TRIGGERS: readonly string[] = infrastructureRules
  .map((rule) => rule.id)
  // The prototype has SQL migrations, no push/sync, and `docker compose up` starts it: these rules rightly stay quiet.
  .filter((id) => !['data/migrations-missing', 'data/schema-push-deploy', 'team/one-command-setup'].includes(id));

async function findingsOf(app: string) {
  const result = await scan(`${EXAMPLES}${app}`, { rules: infrastructureRules, now: new Date('2026-11-20T00:00:00Z') });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.findings.filter((finding) => finding.suppression === undefined);
}

describe('infrastructure rules on the examples (precision guard)', () => {
  it('production-app has no finding at medium or above', async () => {
    const findings = await findingsOf('production-app');
    expect(findings.filter((finding) => severityRank(finding.severity) >= severityRank('medium')).map((finding) => `${finding.ruleId} ${finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line ?? ''}` : ''}`)).toEqual([]);
  });

  it('prototype-app triggers the rules it is meant to', async () => {
    const ids = new Set((await findingsOf('prototype-app')).map((finding) => finding.ruleId));
    expect(PROTOTYPE_TRIGGERS.filter((id) => !ids.has(id))).toEqual([]);
  });
});
