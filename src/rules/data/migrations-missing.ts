// Protects against schema changes made by hand on the production database: no migration tool, no history, no way to rebuild or roll back. Docs: docs/rules/data/migrations-missing.md
import { noOptions } from '../../core/rule.js';
import { discoverMigrations } from '../../migrations/discover.js';
import type { PackageInfo } from '../../project/packages.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, manifestAnchor } from '../support.js';

/** Drivers and ORMs of SQL databases, in the order we name them in findings. */
const SQL_PACKAGES = [
  'pg', 'postgres', 'mysql', 'mysql2', 'mariadb', 'better-sqlite3', 'sqlite3', 'tedious', 'mssql', 'slonik', 'pg-promise',
  '@neondatabase/serverless', '@vercel/postgres', '@planetscale/database', '@libsql/client',
  '@prisma/client', 'prisma', 'drizzle-orm', 'typeorm', 'sequelize', 'knex', 'kysely', 'objection', '@mikro-orm/core',
];

/** Tools that own migrations even when no migration file exists yet. */
const MIGRATION_TOOLS = [
  'knex', 'node-pg-migrate', 'umzug', 'sequelize-cli', 'db-migrate', 'graphile-migrate', 'postgres-migrations', '@mikro-orm/migrations',
  'dbmate', 'drizzle-kit', 'typeorm', 'kysely-migration-cli', 'kysely-ctl', 'ley', 'marv', 'east', 'migrate-mongo', 'atlas', '@databases/pg-migrations',
];

/** A folder that holds migrations by convention, with at least one file in it. */
const MIGRATION_FOLDER = /(?:^|\/)(?:migrations?|migrate|db\/migrate|supabase\/migrations|prisma\/migrations|drizzle|sqitch|flyway|liquibase|changelog)\/[^/]+$/i;

function sqlPackage(pkg: PackageInfo): string | undefined {
  // Runtime dependencies only: a devDependency on sqlite3 for tests is not the app's database.
  return SQL_PACKAGES.find((name) => name in pkg.manifest.dependencies);
}

type Messages = { missing: { pkg: string; dependency: string } };

export default defineScanRule({
  id: 'data/migrations-missing',
  title: 'Schema changes are versioned migrations',
  description: 'An app that uses a SQL database keeps its schema in versioned migrations (a migration tool or a migrations folder) that every environment applies the same way.',
  category: 'data',
  severity: 'high',
  checklist: 'migration-strategy',
  docs: 'docs/rules/data/migrations-missing.md',
  fix: 'Adopt the migration tool of your stack (prisma migrate, drizzle-kit generate/migrate, knex/node-pg-migrate, dbmate for plain SQL), create a baseline migration from the current schema, commit the migrations folder and apply it on deploy.',
  options: noOptions,
  messages: {
    missing: ({ pkg, dependency }: Messages['missing']) => `${pkg} uses a SQL database (${dependency}) but the repository has no migration tool or migrations folder`,
  },
  applies: (project: Project) => project.packages().some((pkg) => sqlPackage(pkg) !== undefined),
  check(ctx) {
    const project = ctx.project;
    const users = project.packages().filter((pkg) => sqlPackage(pkg) !== undefined);
    if (users.length === 0) return;
    // Migrations may live anywhere in the repository (a shared db package, the repo root, infra/).
    const folder = project.files.find((file) => MIGRATION_FOLDER.test(file.path));
    if (folder !== undefined) return;
    const tool = project.packages().flatMap((pkg) => MIGRATION_TOOLS.filter((name) => pkg.allDependencies.has(name)))[0];
    if (tool !== undefined) return;
    const discovered = discoverMigrations(project.root, { files: project.files.map((file) => file.path) });
    if (discovered.ok && discovered.value.length > 0) return;
    for (const pkg of users) {
      const dependency = sqlPackage(pkg) ?? 'a SQL driver';
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName, dependency },
        location: manifestAnchor(project, pkg, dependency),
        detail: `${pkg.manifestPath} depends on ${dependency}. Looked for migration folders (migrations/, db/migrate/, prisma/migrations/, drizzle/, supabase/migrations/, sqitch, flyway, liquibase) anywhere in the repository, for migration tools in any package.json (${MIGRATION_TOOLS.slice(0, 8).join(', ')}…) and for migration sets the \`migrations\` command recognises: none found.`,
        key: pkg.manifestPath,
      });
    }
  },
});
