// Protects against endpoints that trust whatever the client sends: req.body used with no schema at the boundary. Docs: docs/rules/security/input-validation.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { dottedName } from '../../project/ast.js';
import { findText, isFileRoute, packageFiles, serverPackagesWithCode, isFunctionNode, nodeText, packageScope, resolveFunction, routesIn, type PackageScope } from '../../project/code-scope.js';
import { ROUTE_HINT } from '../../project/routes.js';
import type { ParsedSource, Project } from '../../project/project.js';
import type { RouteDefinition } from '../../project/routes.js';
import { defineScanRule } from '../support.js';

/** A call that validates against a schema: zod/valibot/yup/joi/superstruct/io-ts/typebox/ajv/express-validator/Hono validators. */
const VALIDATION_CALL =
  /(?<!JSON)\.(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|cast|decode|Check|assert|assertEquals)\s*[<(]|\b(?:validationResult|matchedData|plainToInstance|plainToClass|safeParse|parse|validate|assert|typia\.assert\w*)\s*[<(]|\.req\.valid\s*\(|\b\w*[Vv]alidat\w*\s*\(|\b(?:parse|assert|decode|check)(?!Int\b|Float\b)[A-Z]\w*\s*\(/;
/** Middleware in front of the handler that validates (zValidator, celebrate, validate(schema), express-validator chains). */
const VALIDATOR_MIDDLEWARE = /valid|schema|celebrate|typebox|\b(?:body|query|param|params|check|checkSchema|checkExact|oneOf)\s*\(/i;
const NEST_INPUT = /@(?:Body|Query|Param|Headers)\s*\(/;
/** Input reads through the conventional names (req, request, ctx, c): the cheap gate before any file is parsed. */
const CONVENTIONAL_READ =
  /\b(?:req|request|ctx|context)\.(?:body|query|params)\b|\b(?:ctx|context)\.request\.(?:body|query)\b|\bc\.req\.(?:json|query|queries|param|parseBody|formData|text)\s*\(|\b(?:request|req)\.(?:json|formData|text)\s*\(\s*\)|@(?:Body|Query|Param|Headers)\s*\(/g;
/** A route whose final handler is a bare name (`router.post('/x', createProject)`): the handler may live in another file. */
const NAMED_HANDLER_ROUTE = /\.(?:get|post|put|patch|delete|all)\s*\(\s*['"`][^'"`\n]*['"`]\s*,(?:\s*[\w$.]+\s*(?:\([^()]*\))?\s*,)*\s*[\w$]+\s*\)/;
/** What directly wraps a read that is validated in place: `Body.parse(req.body)`, `v.parse(Schema, ctx.request.body)`. */
const WRAPPED_BEFORE = /(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|cast|decode|assert|Check|plainToInstance|plainToClass)\w*(?:<[^<>()]*>)?\s*\(\s*(?:[\w$.]+\s*,\s*)*(?:await\s+)?$/;

/** True when the file reads input somewhere that is not validated in place, so its handlers must be looked at. */
function hasUnwrappedRead(text: string): boolean {
  CONVENTIONAL_READ.lastIndex = 0;
  for (let match = CONVENTIONAL_READ.exec(text); match !== null; match = CONVENTIONAL_READ.exec(text)) {
    if (!WRAPPED_BEFORE.test(text.slice(Math.max(0, match.index - 120), match.index))) return true;
  }
  return false;
}

type Messages = { unvalidated: { method: string; path: string; reads: string } };

/**
 * The part of a handler text that reads client input, given the handler's first parameter name. In Koa `ctx.body`
 * is the response (the request body is `ctx.request.body`), and an assignment (`ctx.body = …`) is never a read.
 */
function inputRead(handler: Node, text: string, koa: boolean): string | undefined {
  if (NEST_INPUT.test(text)) return NEST_INPUT.exec(text)?.[0].replace(/\s*\($/, '');
  if (!isFunctionNode(handler) || !('params' in handler)) return undefined;
  const first = handler.params[0];
  if (first === undefined) return undefined;
  if (first.type === 'ObjectPattern') {
    for (const property of first.properties) {
      if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
      const key = property.key.name;
      if (['body', 'query', 'params'].includes(key)) return key;
      // Remix / React Router `({ request })` and Next `({ params })` are read through the request.
      if (key === 'request' && /\brequest\.(?:json|formData|text)\s*\(\s*\)/.test(text)) return /\brequest\.(?:json|formData|text)/.exec(text)?.[0];
    }
    return undefined;
  }
  const name = first.type === 'Identifier' ? first.name : undefined;
  if (name === undefined) return undefined;
  const escaped = name.replace(/\$/g, '\\$');
  const read = new RegExp(
    `\\b${escaped}\\.(?:${koa ? 'query|params' : 'body|query|params'})\\b(?!\\s*=(?!=))|\\b${escaped}\\.req\\.(?:json|query|queries|param|parseBody|formData|text)\\s*\\(|\\b${escaped}\\.request\\.(?:body|query)\\b|\\b${escaped}\\.(?:json|formData)\\s*\\(\\s*\\)`,
  ).exec(text);
  return read?.[0].replace(/\s*\($/, '');
}

interface Handler {
  readonly source: ParsedSource;
  readonly node: Node;
}

/** The function(s) a route argument stands for: inline, wrapped (`asyncHandler(async (req, res) => …)`) or a reference. */
function resolveHandlers(project: Project, scope: PackageScope, source: ParsedSource, node: Node): Handler[] | undefined {
  if (isFunctionNode(node)) return [{ source, node }];
  if (node.type === 'CallExpression') {
    const inner = node.arguments.filter((argument): argument is Node & typeof argument => isFunctionNode(argument));
    return inner.length > 0 ? inner.map((argument) => ({ source, node: argument })) : undefined;
  }
  if (node.type === 'Identifier') {
    const found = resolveFunction(project, scope.files, source, node.name);
    if (found === undefined) return undefined;
    return found.node.type === 'CallExpression' ? resolveHandlers(project, scope, found.source, found.node) : [found];
  }
  return undefined;
}

function hasSchemaOption(node: Node): boolean {
  return node.type === 'ObjectExpression' && node.properties.some((property) => property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === 'schema');
}

function checkRoute(project: Project, scope: PackageScope, route: RouteDefinition, nestGlobalPipe: boolean): { reads: string } | undefined {
  const source = project.parseSource(route.file);
  if (source === undefined || route.handlers.length === 0) return undefined;
  const final = route.handlers[route.handlers.length - 1];
  if (final === undefined) return undefined;
  const before = route.handlers.slice(0, -1);
  // Fastify: `app.post('/x', { schema }, handler)` or `route({ schema, handler })`.
  if (before.some(hasSchemaOption)) return undefined;
  if (route.style === 'route-object' && /\bschema\s*:/.test(source.text)) return undefined;
  if (before.some((node) => VALIDATOR_MIDDLEWARE.test(dottedName(node.type === 'CallExpression' ? node.callee : node) ?? nodeText(source, node)))) return undefined;
  const handlers = resolveHandlers(project, scope, source, final);
  // A handler we cannot see (a controller method on another object): say nothing rather than guess.
  if (handlers === undefined) return undefined;
  for (const handler of handlers) {
    const text = nodeText(handler.source, handler.node);
    const reads = inputRead(handler.node, text, route.framework === 'koa');
    if (reads === undefined) continue;
    if (VALIDATION_CALL.test(text)) continue;
    if (route.style === 'nest-decorator' && (nestGlobalPipe || /Pipe\b/.test(text) || /@UsePipes\s*\(/.test(handler.source.text))) continue;
    return { reads };
  }
  return undefined;
}

export default defineScanRule({
  id: 'security/input-validation',
  title: 'Route handlers validate their input against a schema',
  description:
    'A handler that reads req.body, query or params without a schema trusts the client: wrong types reach the database, oversized values reach bcrypt, unexpected fields reach the ORM (mass assignment).',
  category: 'security',
  severity: 'high',
  checklist: 'input-validation',
  docs: 'docs/rules/security/input-validation.md',
  fix: 'Parse the input at the boundary with a schema (zod `Body.parse(req.body)`, Fastify `schema: { body }`, Hono `zValidator`, Nest `ValidationPipe` + DTOs) and use only the parsed value.',
  options: noOptions,
  messages: {
    unvalidated: ({ method, path, reads }: Messages['unvalidated']) => `${method} ${path} reads ${reads} without validating it against a schema`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const scopes = new Map<string, { scope: PackageScope; nestGlobalPipe: boolean }>();
    // Only files that declare routes and read input without validating it in place are parsed.
    const candidates = serverPackagesWithCode(project)
      .flatMap((pkg) => packageFiles(project, pkg))
      .filter((file) => {
        const text = project.text(file) ?? '';
        return (isFileRoute(file) || ROUTE_HINT.test(text)) && (hasUnwrappedRead(text) || NAMED_HANDLER_ROUTE.test(text));
      });
    for (const route of routesIn(project, candidates)) {
      if (route.framework === 'unknown') continue;
      const pkg = project.packageOf(route.file);
      if (pkg === undefined) continue;
      let entry = scopes.get(pkg.dir);
      if (entry === undefined) {
        const scope = packageScope(project, pkg);
        const nestGlobalPipe = pkg.frameworks.includes('nestjs') && findText(project, scope.files, /useGlobalPipes\s*\([^)]*Pipe|\bAPP_PIPE\b/) !== undefined;
        entry = { scope, nestGlobalPipe };
        scopes.set(pkg.dir, entry);
      }
      const result = checkRoute(project, entry.scope, route, entry.nestGlobalPipe);
      if (result === undefined) continue;
      const routePath = route.path ?? '(dynamic path)';
      ctx.report({
        messageId: 'unvalidated',
        data: { method: route.method, path: routePath, reads: result.reads },
        location: { path: route.file, line: route.line, column: route.column, endLine: route.endLine, endColumn: route.endColumn },
        detail:
          `The handler of ${route.method} ${routePath} (${route.style}, ${route.framework}) reads ${result.reads}. Looked in the handler and the middleware before it for a schema check ` +
          '(.parse/.safeParse/.validate, validate*(), express-validator, zValidator/c.req.valid, Fastify `schema`, Nest pipes); found none.',
        key: `${route.method} ${routePath}`,
      });
    }
  },
});
