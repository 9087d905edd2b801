// Protects against logs nobody can query: servers that log only with console.* and no structured (JSON) logger. Docs: docs/rules/operations/structured-logging.md
import { noOptions } from '../../core/rule.js';
import { findAllText, findText, isWorkersPackage, packageScope, scopeUses, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, selfHostedAppPackages, serverSideFiles } from '../support.js';

/** Loggers that write one JSON object per line (winston's default format is JSON). */
export const STRUCTURED_LOGGERS = ['pino', 'pino-http', 'winston', 'bunyan', 'nestjs-pino', 'nest-winston', '@logtape/logtape', 'roarr', 'hono-pino', 'koa-pino-logger', 'express-winston', '@google-cloud/logging-winston', 'tslog', 'loglayer', 'evlog', 'log4js', '@elastic/ecs-pino-format', '@elastic/ecs-winston-format', 'next-logger', '@axiomhq/nextjs', '@axiomhq/logging', '@logtail/next', '@logtail/node', 'consola'];
/** Framework-built-in structured logging: Fastify's pino (`logger: true` / `loggerInstance`), Nest's JSON ConsoleLogger. */
const BUILT_IN = /(?:\b[Ff]astify|require\s*\(\s*['"]fastify['"]\s*\))\s*\(\s*\{[\s\S]{0,400}?\blogger(?:Instance)?\s*:\s*(?!false\b)|new\s+ConsoleLogger\s*\(\s*\{[^}]*\bjson\s*:\s*true/;
const CONSOLE_CALL = /\bconsole\.(?:log|info|warn|error|debug|trace)\s*\(/g;

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
      const calls = findAllText(project, appPackages.has(pkg) ? serverSideFiles(project, scope.files) : scope.files, CONSOLE_CALL);
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
      ctx.report({
        messageId: 'consoleOnly',
        data: { pkg: pkg.displayName, calls: calls.length },
        location: first,
        detail:
          `Found ${calls.length} console.* call(s) in ${files.size} file(s). Looked in package.json of ${listText(scope.members.map((member) => member.displayName))} for ${STRUCTURED_LOGGERS.slice(0, 6).join(', ')}, … ` +
          'and in their code for Fastify({ logger }) and Nest ConsoleLogger({ json: true }); found none.',
      });
    }
  },
});
