// Protects against a domain constraint that scans every column using the domain. docs/migrations.md#ban-alter-domain-with-add-constraint
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-alter-domain-with-add-constraint',
  squawk: true,
  title: 'Constraint added to a domain',
  description: 'ALTER DOMAIN … ADD CONSTRAINT validates every column of every table that uses the domain while locking them.',
  severity: 'medium',
  fix: 'Add the constraint NOT VALID and VALIDATE it later, or put CHECK constraints on the tables (NOT VALID, then VALIDATE).',
  messages: { domain: () => 'ALTER DOMAIN … ADD CONSTRAINT validates every column that uses the domain' },
  history: (count) => appliedMigrations(count, 'adds a constraint to a domain', 'add constraints to domains'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('AlterDomainStmt' in entry.node) || entry.node.AlterDomainStmt.subtype !== 'C') continue;
      const def = entry.node.AlterDomainStmt.def;
      if (def !== undefined && 'Constraint' in def && def.Constraint.skip_validation === true) continue;
      ctx.report({ messageId: 'domain', data: undefined, location: statementLocation(file, entry.statement), detail: `Found ADD CONSTRAINT on a domain: ${quote(entry.statement)}` });
    }
  },
});
