import { createHash } from 'node:crypto';

/**
 * A fingerprint survives line shifts: it hashes the rule, the file and the whitespace-normalised text
 * of the flagged line (plus a rule-given key), not the line number. Identical lines in one file are told
 * apart by their occurrence index, assigned in line order by the engine.
 *
 * @example fingerprint({ ruleId: 'security/secret-committed', path: 'a.ts', context: 'const k = "…"', occurrence: 0 })
 */
export function fingerprint(parts: { ruleId: string; path: string; context: string; occurrence: number }): string {
  const normalised = parts.context.replace(/\s+/g, ' ').trim();
  return createHash('sha256')
    .update(`${parts.ruleId}\0${parts.path}\0${normalised}\0${parts.occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
