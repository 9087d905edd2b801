import type { KnownRules } from '../core/config.js';
import { migrationKnownRules } from '../migrations/index.js';
import { probeKnownRules } from '../probe/rules.js';

/**
 * Rule ids of the commands other than `scan` (migrations, probe), so one config file validates
 * the same whichever command reads it. Each command module adds its registry here.
 */
export function otherCommandRules(): KnownRules {
  const registries: KnownRules[] = [migrationKnownRules(), probeKnownRules()];
  return {
    ids: registries.flatMap((registry) => registry.ids),
    validateOptions(ruleId, raw) {
      const owner = registries.find((registry) => registry.ids.includes(ruleId));
      return owner?.validateOptions(ruleId, raw) ?? [];
    },
  };
}
