import type { KnownRules } from '../core/config.js';
import { migrationKnownRules } from '../migrations/index.js';
import { probeKnownRules } from '../probe/rules.js';

/** One registry made of several: the first registry that knows a rule id validates its options. */
function combine(registries: readonly KnownRules[]): KnownRules {
  return {
    ids: [...new Set(registries.flatMap((registry) => registry.ids))],
    validateOptions(ruleId, raw) {
      const owner = registries.find((registry) => registry.ids.includes(ruleId));
      return owner?.validateOptions(ruleId, raw) ?? [];
    },
  };
}

/**
 * Rule ids of the commands other than `scan` (migrations, probe), so one config file validates
 * the same whichever command reads it. Each command module adds its registry here.
 */
export function otherCommandRules(): KnownRules {
  return combine([migrationKnownRules(), probeKnownRules()]);
}

/**
 * Every rule of every command. Loaded on demand: `migrations` and `probe` need the scan rules (and their
 * parsers) only to validate a config file that names them.
 */
export async function allKnownRules(): Promise<KnownRules> {
  const [{ scanRules }, { knownRulesOf }] = await Promise.all([import('../rules/index.js'), import('../scan.js')]);
  return knownRulesOf(scanRules, otherCommandRules());
}
