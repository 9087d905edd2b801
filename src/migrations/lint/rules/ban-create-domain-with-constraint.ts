// Protects against domain constraints that later cannot be changed without scanning every user. docs/migrations.md#ban-create-domain-with-constraint
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-create-domain-with-constraint',
  squawk: true,
  title: 'Domain created with a constraint',
  description: 'Constraints on domains are expensive to change later: altering them re-checks every column using the domain under lock.',
  severity: 'low',
  fix: 'Create the domain without constraints and put CHECK constraints on the table columns.',
  messages: { domain: () => 'CREATE DOMAIN with a constraint' },
  history: (count) => appliedMigrations(count, 'creates a domain with a constraint', 'create domains with constraints'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('CreateDomainStmt' in entry.node) || (entry.node.CreateDomainStmt.constraints ?? []).length === 0) continue;
      const hasCheck = (entry.node.CreateDomainStmt.constraints ?? []).some((node) => 'Constraint' in node && node.Constraint.contype === 'CONSTR_CHECK');
      if (!hasCheck) continue;
      ctx.report({ messageId: 'domain', data: undefined, location: statementLocation(file, entry.statement), detail: `Found a CHECK constraint in: ${quote(entry.statement)}` });
    }
  },
});
