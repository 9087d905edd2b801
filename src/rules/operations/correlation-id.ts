// Protects against logs that cannot be tied to a request: no request id generated, propagated or logged. Docs: docs/rules/operations/correlation-id.md
import { noOptions } from '../../core/rule.js';
import { findText, isWorkersPackage, packageScope, scopeUses, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, selfHostedAppPackages, serverAnchor } from '../support.js';

/** Libraries that give every request an id and put it on each log line (pino-http's req.id and req.log, cls contexts, OpenTelemetry log correlation). */
const REQUEST_ID_LIBRARIES = [
  'pino-http', 'nestjs-pino', 'koa-pino-logger', 'hono-pino', 'express-request-id', 'express-correlation-id', 'correlation-id', 'cls-rtracer', 'nestjs-cls', 'express-http-context',
  'koa-requestid', 'cls-hooked', 'express-pino-logger', 'dd-trace', 'elastic-apm-node', '@opentelemetry/sdk-node', '@opentelemetry/instrumentation-pino', '@opentelemetry/instrumentation-winston', '@opentelemetry/instrumentation-bunyan', '@opentelemetry/auto-instrumentations-node',
  '@vercel/otel', '@opentelemetry/api', 'next-logger', '@axiomhq/nextjs',
];
/**
 * Ids in code: Fastify's built-in request id (with its logger on), Hono requestId(), AsyncLocalStorage contexts,
 * x-request-id / traceparent handling, and a product's own `*-Request-Id` response header (`Logto-Core-Request-Id`).
 */
const REQUEST_ID_CODE =
  /x-request-id|['"`][\w-]*-request-id['"`]|x-correlation-id|x-trace-id|traceparent|\bAsyncLocalStorage\b|\bgenReqId\b|\brequestId\s*\(|\bcorrelationId\b|\breq(?:uest)?Id(?:Header|LogLabel)\b|(?:\b[Ff]astify|require\s*\(\s*['"]fastify['"]\s*\))\s*\(\s*\{[\s\S]{0,400}?\blogger(?:Instance)?\s*:\s*(?!false\b)/i;

type Messages = { missing: { pkg: string } };

export default defineScanRule({
  id: 'operations/correlation-id',
  title: 'Requests carry a correlation id into the logs',
  description:
    'When a user reports "I can\'t log in", the only way to find their request among thousands of log lines is an id generated (or taken from the proxy) per request, echoed to the client and written on every log line.',
  category: 'operations',
  severity: 'medium',
  checklist: 'structured-logging',
  docs: 'docs/rules/operations/correlation-id.md',
  fix: 'Use pino-http (genReqId reading x-request-id, echoed in the response), Fastify\'s request.log, Hono requestId(), or an AsyncLocalStorage context whose id every log call includes.',
  options: noOptions,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} neither generates nor propagates a request id into its logs`,
  },
  applies: (project: Project) => serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).length > 0 || selfHostedAppPackages(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of [...serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS), ...selfHostedAppPackages(project)]) {
      // Workers collect console output as structured logs, each with the request's ray id.
      if (isWorkersPackage(project, pkg)) continue;
      const scope = packageScope(project, pkg);
      if (scopeUses(project, scope, REQUEST_ID_LIBRARIES) !== undefined) continue;
      if (findText(project, scope.files, REQUEST_ID_CODE) !== undefined) continue;
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName },
        location: serverAnchor(project, pkg),
        detail:
          `Looked in package.json of ${listText(scope.members.map((member) => member.displayName))} for ${REQUEST_ID_LIBRARIES.slice(0, 6).join(', ')}, … and in ${scope.files.length} production source file(s) for ` +
          'x-request-id / x-correlation-id / traceparent handling, a `*-Request-Id` response header, genReqId, requestId(), AsyncLocalStorage and Fastify\'s logger (request.id); found none.',
      });
    }
  },
});
