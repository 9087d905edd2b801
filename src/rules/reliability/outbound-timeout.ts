// Protects against a slow third party freezing the server: outbound HTTP calls with no timeout or AbortSignal. Docs: docs/rules/reliability/outbound-timeout.md
import type { CallExpression, Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from '../../project/ast.js';
import { findText, isFileRoute, nodeSite, parseGated, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS, type CodeSite } from '../../project/code-scope.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { nextAppRoutePath, nextPagesApiPath, remixRoutePath } from '../../project/routes.js';
import { defineScanRule } from '../support.js';

const GATE = /\bfetch\s*\(|\baxios[.(]|\bgot(?:\.\w+)?\s*\(|from\s+['"]undici['"]/;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
/** Timeouts configured once for every call: undici's global dispatcher, axios/got defaults. */
const GLOBAL_FETCH_TIMEOUT = /setGlobalDispatcher\s*\(\s*new\s+(?:Agent|Pool|ProxyAgent)\s*\(\s*\{[^}]*(?:headersTimeout|bodyTimeout|connectTimeout)/;
const GLOBAL_AXIOS_TIMEOUT = /\baxios\.defaults\.timeout\s*=/;
const TIMEOUT_KEYS = new Set(['timeout', 'signal', 'headersTimeout', 'bodyTimeout']);

type Messages = { noTimeout: { client: string } };

function hasTimeoutOption(node: Node | undefined): boolean | undefined {
  if (node === undefined) return false;
  if (node.type !== 'ObjectExpression') return undefined;
  for (const property of node.properties) {
    // `{ ...defaults }` may carry the timeout: unknown.
    if (property.type === 'SpreadElement') return undefined;
    const key = propertyName(property);
    if (key !== undefined && TIMEOUT_KEYS.has(key)) return true;
  }
  return false;
}

/** True when a URL argument is clearly relative (not a remote service). */
function isRelative(node: Node | undefined): boolean {
  const value = stringValue(node) ?? (node?.type === 'TemplateLiteral' ? (node.quasis[0]?.value.cooked ?? '') : undefined);
  return value !== undefined && value !== '' && !/^[a-z]+:\/\//i.test(value) && (value.startsWith('/') || value.startsWith('.'));
}

function isServerFile(project: Project, file: string, text: string, serverDirs: ReadonlySet<string>): boolean {
  if (/^\s*['"]use client['"]/.test(text)) return false;
  if (/^\s*['"]use server['"]/.test(text)) return true;
  if (nextAppRoutePath(file) !== undefined || nextPagesApiPath(file) !== undefined || remixRoutePath(file) !== undefined) return !/\.[jt]sx$/.test(file) || /export\s+(?:async\s+)?function\s+(?:loader|action)\b/.test(text);
  const pkg = project.packageOf(file);
  return pkg !== undefined && serverDirs.has(pkg.dir);
}

function checkFile(source: ParsedSource, globalFetch: boolean, globalAxios: boolean): Array<{ site: CodeSite; client: string }> {
  const found: Array<{ site: CodeSite; client: string }> = [];
  // Instances: `const api = axios.create({ timeout })` → name → configured?
  const instances = new Map<string, { client: string; configured: boolean | undefined }>();
  walkAst(source.program, (node) => {
    if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier' || node.init?.type !== 'CallExpression') return;
    const callee = dottedName(node.init.callee);
    if (callee === 'axios.create') instances.set(node.id.name, { client: 'axios', configured: globalAxios || hasTimeoutOption(node.init.arguments[0]) });
    if (callee === 'got.extend') instances.set(node.id.name, { client: 'got', configured: hasTimeoutOption(node.init.arguments[0]) });
  });
  const defaultsSet = new Set([...source.text.matchAll(/\b([\w$]+)\.defaults\.timeout\s*=/g)].map((match) => match[1]));
  const importsUndici = /from\s+['"]undici['"]/.test(source.text);
  const flag = (call: CallExpression, client: string): void => {
    found.push({ site: nodeSite(source, call), client });
  };
  walkAst(source.program, (node) => {
    if (node.type !== 'CallExpression') return;
    const callee = dottedName(node.callee);
    const args = node.arguments;
    if (callee === 'fetch' || callee === 'globalThis.fetch') {
      if (globalFetch || isRelative(args[0]) || args[0]?.type === 'SpreadElement') return;
      if (hasTimeoutOption(args[1]) === false) flag(node, 'fetch');
      return;
    }
    if (importsUndici && callee === 'request') {
      if (hasTimeoutOption(args[1]) === false) flag(node, 'undici');
      return;
    }
    const call = methodCall(node);
    const receiver = call === undefined ? callee : dottedName(call.object);
    const instance = receiver === undefined ? undefined : instances.get(receiver);
    const isAxios = callee === 'axios' || (receiver === 'axios' && call !== undefined && HTTP_METHODS.has(call.method));
    const isGot = callee === 'got' || (receiver === 'got' && call !== undefined && HTTP_METHODS.has(call.method));
    const isInstance = instance !== undefined && (callee === receiver || (call !== undefined && HTTP_METHODS.has(call.method)));
    if (!isAxios && !isGot && !isInstance) return;
    const client = isInstance ? `${instance.client} instance ${receiver ?? ''}` : isAxios ? 'axios' : 'got';
    if ((isAxios && globalAxios) || (isInstance && (instance.configured !== false || (receiver !== undefined && defaultsSet.has(receiver))))) return;
    if (isRelative(args[0])) return;
    const options = args.slice(callee === receiver || call === undefined ? 0 : 1);
    const verdicts = options.map(hasTimeoutOption);
    if (verdicts.some((verdict) => verdict !== false)) return;
    // A config passed by reference may carry a timeout: only literal calls are judged.
    if (args.some((argument, index) => index > 0 && argument.type !== 'ObjectExpression' && argument.type !== 'Literal' && argument.type !== 'TemplateLiteral') && !isInstance) return;
    flag(node, client);
  });
  return found;
}

export default defineScanRule({
  id: 'reliability/outbound-timeout',
  title: 'Outbound HTTP calls have a timeout',
  description:
    'A payment or mail provider that stops answering does not fail a request without a timeout: the request waits (undici defaults to 5 minutes, axios and got to never), connections pile up and the whole server stops answering.',
  category: 'reliability',
  severity: 'medium',
  checklist: 'error-handling',
  docs: 'docs/rules/reliability/outbound-timeout.md',
  fix: 'Give every outbound call a deadline: fetch(url, { signal: AbortSignal.timeout(5000) }), axios.create({ timeout: 5000 }), got(url, { timeout: { request: 5000 } }); or set one globally (undici setGlobalDispatcher, axios.defaults.timeout).',
  options: noOptions,
  messages: {
    noTimeout: ({ client }: Messages['noTimeout']) => `${client} call to a remote service has no timeout or AbortSignal`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const serverDirs = new Set(serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).map((pkg) => pkg.dir));
    const files = project.productionSourceFiles().map((file) => file.path);
    // Path checks first (server package or framework route file), text checks only for those.
    const candidates = files.filter((file) => {
      const pkg = project.packageOf(file);
      const text = project.text(file) ?? '';
      // A 'use server' directive is the first statement of the file.
      if (!(pkg !== undefined && serverDirs.has(pkg.dir)) && !isFileRoute(file) && !text.slice(0, 300).includes('use server')) return false;
      return GATE.test(text) && isServerFile(project, file, text, serverDirs);
    });
    if (candidates.length === 0) return;
    // Global defaults can live in any file; they are looked up only when there is a call to judge.
    const globalFetch = findText(project, files, GLOBAL_FETCH_TIMEOUT) !== undefined;
    const globalAxios = findText(project, files, GLOBAL_AXIOS_TIMEOUT) !== undefined;
    for (const source of parseGated(project, candidates, () => true)) {
      for (const found of checkFile(source, globalFetch, globalAxios)) {
        ctx.report({
          messageId: 'noTimeout',
          data: { client: found.client },
          location: found.site,
          detail: `Server-side ${found.client} call with no timeout/signal in its options, no timeout on the instance it uses, and no global default (undici setGlobalDispatcher with timeouts, axios.defaults.timeout) in the repository.`,
          key: `${found.site.line}:${found.site.column}`,
        });
      }
    }
  },
});
