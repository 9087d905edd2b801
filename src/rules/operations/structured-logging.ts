// Protects against logs nobody can query: servers that log only with console.* and no structured (JSON) logger. Docs: docs/rules/operations/structured-logging.md
import { noOptions } from '../../core/rule.js';
import { findAllText, findText, importersOf, isWorkersPackage, packageScope, scopeUses, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS, type CodeSite } from '../../project/code-scope.js';
import { lineIndexOf } from '../../project/line-index.js';
import type { Project } from '../../project/project.js';
import { taskScriptEntries } from '../../project/scripts.js';
import { defineScanRule, listText, selfHostedAppPackages, serverSideFiles } from '../support.js';

/** Loggers that write one JSON object per line (winston's default format is JSON). */
export const STRUCTURED_LOGGERS = ['pino', 'pino-http', 'winston', 'bunyan', 'nestjs-pino', 'nest-winston', '@logtape/logtape', 'roarr', 'hono-pino', 'koa-pino-logger', 'express-winston', '@google-cloud/logging-winston', 'tslog', 'loglayer', 'evlog', 'log4js', '@elastic/ecs-pino-format', '@elastic/ecs-winston-format', 'next-logger', '@axiomhq/nextjs', '@axiomhq/logging', '@logtail/next', '@logtail/node', 'consola'];
/** Framework-built-in structured logging: Fastify's pino (`logger: true` / `loggerInstance`), Nest's JSON ConsoleLogger. */
const BUILT_IN = /(?:\b[Ff]astify|require\s*\(\s*['"]fastify['"]\s*\))\s*\(\s*\{[\s\S]{0,400}?\blogger(?:Instance)?\s*:\s*(?!false\b)|new\s+ConsoleLogger\s*\(\s*\{[^}]*\bjson\s*:\s*true/;
const CONSOLE_CALL = /\bconsole\.(?:log|info|warn|error|debug|trace)\s*\(/g;

/**
 * At most this many console calls, each one lint-suppressed, is a team that bans console and signed off a few
 * exceptions (an error fallback, a startup line): the server barely logs at all, so a logger is a low gap.
 */
const SANCTIONED_CALLS = 3;
/** `eslint-disable-line` / `-next-line` (or oxlint's) with no rule list, which disables every rule, or one naming no-console. */
function suppressesConsole(comment: string, form: 'line' | 'next-line'): boolean {
  if (form === 'next-line' && /biome-ignore\s+lint\/suspicious\/noConsole\b/.test(comment)) return true;
  const directive = new RegExp(`(?:eslint|oxlint)-disable-${form}(?![\\w-])([^\\n]*)`).exec(comment);
  if (directive === null) return false;
  const rules = (directive[1] ?? '').replace(/\*\/[\s\S]*$/, '').split('--')[0]?.trim() ?? '';
  return rules === '' || /(?:^|[\s,])no-console(?:$|[\s,])/.test(rules);
}

/** A block `/* eslint-disable no-console *\/` (or a bare `/* eslint-disable *\/`) above the call switches the rule off for the rest of the file. */
function fileSuppressesConsole(before: string): boolean {
  for (const match of before.matchAll(/\/\*\s*(?:eslint|oxlint)-disable(?![\w-])([^*]*)\*\//g)) {
    const rules = (match[1] ?? '').split('--')[0]?.trim() ?? '';
    if (rules === '' || /(?:^|[\s,])no-console(?:$|[\s,])/.test(rules)) return true;
  }
  return false;
}

function isLintSuppressed(project: Project, call: CodeSite): boolean {
  const text = project.text(call.path) ?? '';
  const index = lineIndexOf(text);
  const start = (line: number): number => index.lineStart(line) ?? text.length;
  const lineText = (line: number): string => (line < 1 ? '' : text.slice(start(line), start(line + 1)));
  return suppressesConsole(lineText(call.line), 'line') || suppressesConsole(lineText(call.line - 1), 'next-line') || fileSuppressesConsole(text.slice(0, start(call.line)));
}

/**
 * Task scripts a package.json script runs as their own process (a migration or seed CLI) print to a terminal,
 * not to the server's logs. One counts as such only while no server file imports it: its calls, and those of
 * files only task scripts import, are left out.
 */
function cliOnlyFiles(project: Project, files: readonly string[], candidates: ReadonlySet<string>): Set<string> {
  const tasks = taskScriptEntries(project);
  const cliOnly = new Set<string>();
  for (const file of candidates) {
    const importers = importersOf(project, files, file);
    if (tasks.has(file) ? importers.length === 0 : importers.length > 0 && importers.every((importer) => tasks.has(importer) && importersOf(project, files, importer).length === 0)) cliOnly.add(file);
  }
  return cliOnly;
}

type Messages = { consoleOnly: { pkg: string; calls: number }; nestTextLogger: { pkg: string } };

/** Nest's Logger in use: `new Logger(…)`, `Logger.log(…)`, an injected `LoggerService`. */
const NEST_LOGGER_USE = /\bnew\s+Logger\s*\(|\bLogger\.(?:log|error|warn|debug|verbose)\s*\(|\bthis\.logger\.(?:log|error|warn)\s*\(/;
const NEST_BOOTSTRAP = /NestFactory\.create\w*\s*(?:<[^>]*>)?\s*\(/;
/** The default logger replaced: `app.useLogger(…)`, a `logger:` option at bootstrap, a JSON ConsoleLogger, a class implementing LoggerService. */
const NEST_CUSTOM_LOGGER = /\.useLogger\s*\(|NestFactory\.create\w*\s*(?:<[^>]*>)?\s*\([^)]*\blogger\s*:|new\s+ConsoleLogger\s*\(\s*\{[^}]*\bjson\s*:\s*true|implements\s+LoggerService\b/;

export default defineScanRule({
  id: 'operations/structured-logging',
  title: 'Server code logs through a structured logger',
  description:
    'console.log lines have no level, no timestamp and no fields: at 3 a.m. nobody can filter them by request, user or error. A structured (JSON) logger makes logs a queryable record.',
  category: 'operations',
  severity: 'medium',
  checklist: 'structured-logging',
  docs: 'docs/rules/operations/structured-logging.md',
  fix: 'Use pino (pino-http for requests; Fastify has it built in), winston or bunyan with JSON output; NestJS: nestjs-pino or new ConsoleLogger({ json: true }). Log objects with fields, not interpolated strings.',
  options: noOptions,
  messages: {
    consoleOnly: ({ pkg, calls }: Messages['consoleOnly']) => `${pkg} logs with console.* (${calls} call(s)) and has no structured logger`,
    nestTextLogger: ({ pkg }: Messages['nestTextLogger']) => `${pkg} logs through Nest's default text logger, not as structured JSON`,
  },
  applies: (project: Project) => serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).length > 0 || selfHostedAppPackages(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const appPackages = new Set(selfHostedAppPackages(project));
    for (const pkg of [...serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS), ...appPackages]) {
      // Workers collect console output as structured logs, each with the request's ray id.
      if (isWorkersPackage(project, pkg)) continue;
      const scope = packageScope(project, pkg);
      if (scopeUses(project, scope, STRUCTURED_LOGGERS) !== undefined) continue;
      if (findText(project, scope.files, BUILT_IN) !== undefined) continue;
      // In a Next/Remix app only server-side modules log to the server; client components log to the browser.
      const allCalls = findAllText(project, appPackages.has(pkg) ? serverSideFiles(project, scope.files) : scope.files, CONSOLE_CALL);
      const cliOnly = cliOnlyFiles(project, scope.files, new Set(allCalls.map((call) => call.path)));
      const calls = allCalls.filter((call) => !cliOnly.has(call.path));
      const first = calls[0];
      if (first === undefined) {
        // Nest logs through its own Logger, whose default ConsoleLogger prints coloured text lines: no console.* needed to be unstructured.
        const nestLogger = pkg.frameworks.includes('nestjs') ? findText(project, scope.files, NEST_LOGGER_USE) : undefined;
        const bootstrap = nestLogger === undefined ? undefined : findText(project, scope.files, NEST_BOOTSTRAP);
        if (nestLogger !== undefined && bootstrap !== undefined && findText(project, scope.files, NEST_CUSTOM_LOGGER) === undefined) {
          ctx.report({
            messageId: 'nestTextLogger',
            data: { pkg: pkg.displayName },
            location: bootstrap,
            detail: `The app logs through Nest's Logger (first use ${nestLogger.path}:${nestLogger.line}), and nothing replaces its default text ConsoleLogger: no app.useLogger(…), no logger option to NestFactory.create, no new ConsoleLogger({ json: true }), and none of ${STRUCTURED_LOGGERS.slice(0, 6).join(', ')}, … is imported.`,
          });
        }
        continue;
      }
      const files = new Set(calls.map((call) => call.path));
      const sanctioned = calls.length <= SANCTIONED_CALLS && calls.every((call) => isLintSuppressed(project, call));
      ctx.report({
        messageId: 'consoleOnly',
        data: { pkg: pkg.displayName, calls: calls.length },
        location: first,
        ...(sanctioned ? { severity: 'low' as const } : {}),
        detail:
          `Found ${calls.length} console.* call(s) in ${files.size} file(s)${sanctioned ? ', each with a lint suppression of no-console (the team bans console and made these exceptions), so low' : ''}` +
          `${cliOnly.size > 0 ? `; left out task scripts no server file imports: ${listText([...cliOnly])}` : ''}. Looked in package.json of ${listText(scope.members.map((member) => member.displayName))} for ${STRUCTURED_LOGGERS.slice(0, 6).join(', ')}, … ` +
          'and in their code for Fastify({ logger }) and Nest ConsoleLogger({ json: true }); found none.',
      });
    }
  },
});
