// Protects against a server dying silently (or living on in a corrupt state) on an error no handler caught. Docs: docs/rules/reliability/process-error-handlers.md
import { noOptions } from '../../core/rule.js';
import { findText, packageScope, scopeUses, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { STRUCTURED_LOGGERS } from '../operations/structured-logging.js';
import { defineScanRule, listText, manifestAnchor, selfHostedAppPackages } from '../support.js';
import type { PackageInfo } from '../../project/packages.js';
import type { CodeSite } from '../../project/code-scope.js';

const START = /\.listen\s*\(|NestFactory\.create\w*\s*(?:<[^>]*>)?\s*\(|\bserve\s*\(\s*\{[^}]*\bfetch\b|\bserve\s*\(\s*app\b/;
/** Handlers in code, and a winston logger told to install them itself (`handleExceptions: true`, `logger.exceptions.handle(…)`). */
const HANDLER = /process\.(?:on|once|addListener|prependListener)\s*\(\s*['"`](?:unhandledRejection|uncaughtException|uncaughtExceptionMonitor)['"`]|\bhandle(?:Exceptions|Rejections)\s*:\s*true\b|\.(?:exceptions|rejections)\.handle\s*\(/;
/** Libraries that install both handlers (and log or report before exiting). */
const HANDLER_LIBRARIES = ['close-with-grace', 'loud-rejection', 'hard-rejection', 'make-promises-safe'];
/** Error trackers whose default integrations register the handlers once initialised. */
const TRACKERS = ['@sentry/node', '@sentry/bun', '@sentry/nestjs', '@sentry/nextjs', '@sentry/remix', '@sentry/react-router', '@bugsnag/js', '@bugsnag/node', 'rollbar', '@honeybadger-io/js'];
/** Where a Next/Remix app starts: its framework CLI runs `instrumentation.ts` (Next) or the server entry once per process. */
const APP_ENTRY = /(?:^|\/)(?:instrumentation(?:\.node)?\.[jt]s|entry\.server\.[jt]sx?|server\.[cm]?[jt]s)$/;
const TRACKER_INIT = /\bSentry\.init\s*\(|\bBugsnag\.start\s*\(|new\s+Rollbar\s*\(\s*\{[^}]*captureUncaught|Honeybadger\.configure\s*\(|\binit\s*\(\s*\{[^}]*\bdsn\b/;

type Messages = { missing: { pkg: string } };

function manifestAnchorOf(project: Project, pkg: PackageInfo): CodeSite {
  const anchor = manifestAnchor(project, pkg, pkg.frameworks.find((framework) => framework === 'nextjs' || framework === 'remix' || framework === 'react-router'));
  const line = 'line' in anchor ? (anchor.line ?? 1) : 1;
  return { path: 'path' in anchor ? anchor.path : pkg.manifestPath, line, column: 'column' in anchor ? (anchor.column ?? 1) : 1, endLine: line, endColumn: 'endColumn' in anchor ? (anchor.endColumn ?? 1) : 1 };
}

export default defineScanRule({
  id: 'reliability/process-error-handlers',
  title: 'Server entry logs unhandled rejections and uncaught exceptions',
  description:
    'An error that escaped every handler kills the process with a bare stack trace on stderr (or, with old settings, leaves it running in an unknown state). A last-resort handler logs it through the real logger, reports it, and exits so the orchestrator restarts a clean process.',
  category: 'reliability',
  severity: 'medium',
  checklist: 'error-handling',
  docs: 'docs/rules/reliability/process-error-handlers.md',
  fix: "process.on('unhandledRejection', (reason) => { logger.fatal({ err: reason }, 'unhandled rejection'); process.exit(1); }) and the same for 'uncaughtException' in the server entry point.",
  options: noOptions,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} has no unhandledRejection/uncaughtException handler`,
  },
  applies: (project: Project) => serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).length > 0 || selfHostedAppPackages(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const appPackages = new Set(selfHostedAppPackages(project));
    for (const pkg of [...serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS), ...appPackages]) {
      const scope = packageScope(project, pkg);
      // A Next/Remix server starts in the framework's CLI: anchor at its entry hook, else the framework dependency.
      const start = appPackages.has(pkg)
        ? (scope.files.filter((file) => APP_ENTRY.test(file)).map((file) => ({ path: file, line: 1, column: 1, endLine: 1, endColumn: 1 }))[0] ?? manifestAnchorOf(project, pkg))
        : findText(project, scope.files, START);
      if (start === undefined) continue;
      if (findText(project, scope.files, HANDLER) !== undefined) continue;
      if (scopeUses(project, scope, HANDLER_LIBRARIES) !== undefined) continue;
      if (scopeUses(project, scope, TRACKERS) !== undefined && findText(project, scope.files, TRACKER_INIT) !== undefined) continue;
      // Without a logger or a tracker to send it to, a handler would print what Node's default crash already prints
      // to the same stderr: the gap is the logging (reported by operations/structured-logging), this one is low.
      const hasSink = scopeUses(project, scope, [...STRUCTURED_LOGGERS, ...TRACKERS]) !== undefined;
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName },
        location: start,
        ...(hasSink ? {} : { severity: 'low' as const }),
        detail:
          `Looked in ${scope.files.length} production source file(s) of ${listText(scope.members.map((member) => member.displayName))} for process.on('unhandledRejection' | 'uncaughtException'), ` +
          `for ${HANDLER_LIBRARIES.join(', ')}, and for an initialised error tracker (Sentry.init, Bugsnag.start, …) whose integrations install them; found none. The server starts here.` +
          (hasSink ? ' The package has a structured logger or an error tracker the handler should report through (medium).' : ' The package has no structured logger or error tracker either, so a handler would only repeat the default crash output (low); fix logging first.'),
      });
    }
  },
});
