// Protects against discovering during the incident that backups never ran, or that nobody knows how to restore one. Docs: docs/rules/data/backup-documented.md
import { noOptions } from '../../core/rule.js';
import { composeServices, databaseEngine } from '../../project/compose.js';
import { operationsDocContext } from '../../project/deployment.js';
import { documentAnchor, documentCovering, teamDocs } from '../../project/doc-topics.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

const DATA_PACKAGES = /^(?:pg|postgres|mysql2?|mariadb|better-sqlite3|sqlite3|mongodb|mongoose|@prisma\/client|drizzle-orm|typeorm|sequelize|knex|kysely|@mikro-orm\/core|@neondatabase\/serverless|@vercel\/postgres|@planetscale\/database|@libsql\/client|tedious|mssql)$/;
const BACKUP = /\bback(?:ups?|ed\s+up|ing\s+up)\b|\bback\s+up\b|\bpg_dump(?:all)?\b|\bmysqldump\b|\bmongodump\b|\bpgbackrest\b|\bwal-[gem]\b|\bbarman\b|\bsnapshots?\b|point[-\s]in[-\s]time\s+recovery|\bPITR\b/i;
const RESTORE = /\brestor(?:e|es|ed|ing)\b|\bpg_restore\b|\bmongorestore\b|\brecover(?:y|ing)?\b/i;

/** Where the app's data lives, if it keeps any. */
function dataStore(project: Project): string | undefined {
  for (const pkg of project.packages()) {
    const found = [...pkg.allDependencies].find((name) => DATA_PACKAGES.test(name));
    if (found !== undefined) return `${pkg.manifestPath} depends on ${found}`;
  }
  for (const file of project.composeFiles()) {
    const service = composeServices(file).find((candidate) => databaseEngine(candidate) !== undefined);
    if (service !== undefined) return `${file.path} runs ${service.image ?? 'a database'}`;
  }
  return undefined;
}

type Messages = { missing: { store: string } };

export default defineScanRule({
  id: 'data/backup-documented',
  title: 'Backups and restores are documented',
  description: 'An app that stores data has a document that says how backups are taken (schedule, tool, where they go) and how to restore one.',
  category: 'data',
  severity: 'medium',
  checklist: 'backup-restore',
  docs: 'docs/rules/data/backup-documented.md',
  fix: 'Add a "Backup and restore" section to RUNBOOK.md: what takes backups and when (managed snapshots, a pg_dump timer), where they are stored and for how long, the exact restore commands, and when a restore was last tested.',
  options: noOptions,
  messages: {
    missing: ({ store }: Messages['missing']) => `No document says how backups are taken and restored (${store})`,
  },
  applies: (project: Project) => dataStore(project) !== undefined,
  check(ctx) {
    const store = dataStore(ctx.project);
    if (store === undefined) return;
    if (documentCovering(ctx.project, [BACKUP, RESTORE]) !== undefined) return;
    // Scripts that do both are documentation of a kind: the commands are written down.
    const units = shellUnits(ctx.project);
    const backupScript = units.find((unit) => /backup|dump/i.test(unit.name) && BACKUP.test(unit.text));
    const restoreScript = units.find((unit) => /restore/i.test(unit.name) && RESTORE.test(unit.text));
    if (backupScript !== undefined && restoreScript !== undefined) return;
    const anchor = documentAnchor(ctx.project);
    const context = operationsDocContext(ctx.project, 'data');
    ctx.report({
      messageId: 'missing',
      data: { store },
      ...(anchor === undefined ? {} : { location: anchor }),
      detail: `${store}. Read ${teamDocs(ctx.project).length} Markdown document(s) for one that mentions both backups (backup, pg_dump, mysqldump, mongodump, snapshots, PITR…) and restoring (restore, pg_restore, recovery), and looked for backup and restore scripts/Make targets: none found.${context === undefined ? '' : ` Low: ${context.reason}.`}`,
      ...(context === undefined ? {} : { severity: context.severity }),
    });
  },
});
