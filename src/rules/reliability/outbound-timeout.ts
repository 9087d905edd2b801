// Protects against a slow third party freezing the server: outbound HTTP calls that wait forever (axios, got, node-fetch, http.request) or five minutes (fetch). Docs: docs/rules/reliability/outbound-timeout.md
import type { CallExpression, Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from '../../project/ast.js';
import { findText, nodeSite, parseGated, serverCodeFiles, serverPackagesWithCode, SELF_HOSTED_FRAMEWORKS, type CodeSite } from '../../project/code-scope.js';
import type { PackageInfo } from '../../project/packages.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { nextAppRoutePath, nextPagesApiPath, remixRoutePath } from '../../project/routes.js';
import { defineScanRule } from '../support.js';

const GATE = /@nestjs\/axios|\bfetch\s*\(|\baxios[.(]|\bgot(?:\.\w+)?\s*\(|from\s+['"]undici['"]|\bhttps?\.(?:request|get)\s*\(/;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
/** Timeouts configured once for every call: undici's global dispatcher, axios/got defaults. */
const GLOBAL_FETCH_TIMEOUT = /setGlobalDispatcher\s*\(\s*new\s+(?:Agent|Pool|ProxyAgent)\s*\(\s*\{[^}]*(?:headersTimeout|bodyTimeout|connectTimeout)/;
const GLOBAL_AXIOS_TIMEOUT = /\baxios\.defaults\.timeout\s*=/;
/** `HttpModule.register({ timeout })`, or `registerAsync` (its factory may set one): Nest's HttpService has a configured instance. */
const NEST_HTTP_CONFIG = /HttpModule\.register\s*\(\s*\{[^}]*\btimeout\b|HttpModule\.registerAsync\s*\(/;
const TIMEOUT_KEYS = new Set(['timeout', 'signal', 'headersTimeout', 'bodyTimeout']);

/**
 * Packages that bundle browser code beside server code: only files that mark themselves server-side are judged
 * (a component's `fetch` runs in the visitor's browser).
 */
const MIXED_FRAMEWORKS = new Set(['nextjs', 'remix', 'react-router', 'vite-spa']);
/** A file that can only run on the server: it imports a server-only module, a Node built-in or the database. */
const SERVER_ONLY_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|^\s*import\s+)['"](?:server-only|next\/server|next\/headers|node:[\w/]+|fs|fs\/promises|child_process|crypto|[^'"\n]*\/(?:prisma|db|database)(?:\/[^'"\n]*)?)['"]/m;
/** Browser-side imports: React, client routers, data-fetching hooks, client SDK entry points. (`@prisma/client` is no evidence either way: components import its enums.) */
const BROWSER_IMPORT = /(?:from\s*|^\s*import\s+)['"](?:react|react-dom(?:\/[\w-]+)?|next\/router|next\/navigation|next\/link|swr|@tanstack\/react-query|sonner|@vercel\/blob\/client)['"]/m;
/** File names and folders that are server-side by convention in Remix, React Router and Next apps. */
const SERVER_PATH = /\.server\.[cm]?[jt]sx?$|(?:^|\/)server\//;
/** Node's fetch (undici): what it waits for by default, in seconds. */
const UNDICI_HEADERS_TIMEOUT_S = 300;

type Messages = { noTimeout: { client: string }; undiciDefault: { client: string } };

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

function isMixed(pkg: PackageInfo): boolean {
  return pkg.frameworks.some((framework) => MIXED_FRAMEWORKS.has(framework));
}

/**
 * True when the file's code runs on the server. Route handlers, `'use server'` files and Remix loaders/actions do;
 * `'use client'` files do not; in a self-hosted server package (Express, Fastify, Nest, Hono, Koa) everything
 * does; in an app that bundles browser code beside server code (Next, Remix, React Router, Vite), and in
 * libraries such apps import, a file must mark itself server-side (path, server-only or database import).
 */
function isServerFile(project: Project, file: string, text: string, selfHosted: readonly PackageInfo[]): boolean {
  if (/^\s*['"]use client['"]/.test(text)) return false;
  if (/^\s*['"]use server['"]/.test(text)) return true;
  if (nextAppRoutePath(file) !== undefined || nextPagesApiPath(file) !== undefined) return true;
  if (remixRoutePath(file) !== undefined) return /export\s+(?:async\s+)?(?:function\s+|const\s+)(?:loader|action)\b/.test(text);
  const pkg = project.packageOf(file);
  const mixed = pkg !== undefined && isMixed(pkg);
  // Files with browser imports, and components (`.tsx`/`.jsx` outside route modules) of anything but a self-hosted server, run in the browser.
  if (BROWSER_IMPORT.test(text) || (/\.[jt]sx$/.test(file) && (pkg === undefined || !selfHosted.includes(pkg)))) return false;
  if (SERVER_PATH.test(file) || SERVER_ONLY_IMPORT.test(text)) return true;
  if (pkg === undefined || mixed) return false;
  if (selfHosted.includes(pkg)) return true;
  // A library counts as server code when only self-hosted servers import it.
  const name = pkg.manifest.name;
  const importers = name === undefined ? [] : project.serverPackages().filter((service) => service.allDependencies.has(name));
  return importers.length > 0 && importers.every((service) => selfHosted.includes(service));
}

interface Found {
  readonly site: CodeSite;
  readonly client: string;
  /** True for clients that never give up by default (axios, got, node-fetch, http.request); false for undici's 300 s. */
  readonly waitsForever: boolean;
}

function checkFile(source: ParsedSource, globalFetch: boolean, globalAxios: boolean, nestHttpConfigured: boolean): Found[] {
  const found: Found[] = [];
  // Instances: `const api = axios.create({ timeout })` → name → configured?
  const instances = new Map<string, { client: string; configured: boolean | undefined }>();
  walkAst(source.program, (node) => {
    if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier' || node.init?.type !== 'CallExpression') return;
    const callee = dottedName(node.init.callee);
    if (callee === 'axios.create') instances.set(node.id.name, { client: 'axios', configured: globalAxios || hasTimeoutOption(node.init.arguments[0]) });
    if (callee === 'got.extend') instances.set(node.id.name, { client: 'got', configured: hasTimeoutOption(node.init.arguments[0]) });
  });
  // NestJS `@nestjs/axios`: `constructor(private http: HttpService)` → `this.http.get(…)` is axios with HttpModule's config.
  if (/['"]@nestjs\/axios['"]/.test(source.text)) {
    for (const match of source.text.matchAll(/\b([\w$]+)\s*:\s*HttpService\b/g)) {
      if (match[1] !== undefined) instances.set(match[1], { client: '@nestjs/axios HttpService', configured: globalAxios || nestHttpConfigured ? true : false });
    }
  }
  const defaultsSet = new Set([...source.text.matchAll(/\b([\w$]+)\.defaults\.timeout\s*=/g)].map((match) => match[1]));
  const importsUndici = /from\s+['"]undici['"]/.test(source.text);
  // node-fetch has no default timeout (v2's `timeout` option defaults to 0, v3 has none): unlike Node's fetch, it waits forever.
  const nodeFetch = /(?:import\s+(?:\*\s+as\s+)?fetch\b[^;\n]*from\s*|require\s*\(\s*)['"]node-fetch['"]/.test(source.text);
  const nodeHttp = /['"](?:node:)?https?['"]/.test(source.text);
  const flag = (call: CallExpression, client: string, waitsForever: boolean): void => {
    found.push({ site: nodeSite(source, call), client, waitsForever });
  };
  walkAst(source.program, (node) => {
    if (node.type !== 'CallExpression') return;
    const callee = dottedName(node.callee);
    const args = node.arguments;
    if (callee === 'fetch' || callee === 'globalThis.fetch') {
      if ((globalFetch && !nodeFetch) || isRelative(args[0]) || args[0]?.type === 'SpreadElement') return;
      if (hasTimeoutOption(args[1]) === false) flag(node, nodeFetch ? 'node-fetch' : 'fetch', nodeFetch);
      return;
    }
    if (importsUndici && callee === 'request') {
      if (!globalFetch && hasTimeoutOption(args[1]) === false) flag(node, 'undici request', false);
      return;
    }
    if (nodeHttp && (callee === 'http.request' || callee === 'https.request' || callee === 'http.get' || callee === 'https.get')) {
      // `http.request(url, options, cb)` or `http.request(options, cb)`: a timeout in any literal options object counts.
      const objects = args.filter((argument) => argument.type === 'ObjectExpression');
      // Options passed by reference (`http.request(url, options)`) may carry a timeout: unknown.
      if (args.some((argument, index) => index > 0 && argument.type === 'Identifier')) return;
      if (objects.every((object) => hasTimeoutOption(object) === false) && !/\.setTimeout\s*\(/.test(source.text)) flag(node, callee, true);
      return;
    }
    const call = methodCall(node);
    const receiver = call === undefined ? callee : dottedName(call.object);
    const instance = receiver === undefined ? undefined : (instances.get(receiver) ?? instances.get(receiver.replace(/^this\./, '')));
    const isAxios = callee === 'axios' || (receiver === 'axios' && call !== undefined && HTTP_METHODS.has(call.method));
    const isGot = callee === 'got' || (receiver === 'got' && call !== undefined && HTTP_METHODS.has(call.method));
    const isInstance = instance !== undefined && (callee === receiver || (call !== undefined && HTTP_METHODS.has(call.method)));
    if (!isAxios && !isGot && !isInstance) return;
    const client = isInstance ? `${instance.client} instance ${receiver ?? ''}` : isAxios ? 'axios' : 'got';
    if ((isAxios && globalAxios) || (isInstance && (instance.configured !== false || (receiver !== undefined && defaultsSet.has(receiver))))) return;
    // An instance resolves a relative path against its baseURL: still a remote call.
    if (!isInstance && isRelative(args[0])) return;
    const options = args.slice(callee === receiver || call === undefined ? 0 : 1);
    const verdicts = options.map(hasTimeoutOption);
    if (verdicts.some((verdict) => verdict !== false)) return;
    // A config passed by reference may carry a timeout: only literal calls are judged.
    if (args.some((argument, index) => index > 0 && argument.type !== 'ObjectExpression' && argument.type !== 'Literal' && argument.type !== 'TemplateLiteral') && !isInstance) return;
    flag(node, client, true);
  });
  return found;
}

export default defineScanRule({
  id: 'reliability/outbound-timeout',
  title: 'Outbound HTTP calls have a timeout',
  description:
    'A payment or mail provider that stops answering does not fail a request without a timeout: the request waits (axios, got, node-fetch and http.request forever, Node\'s fetch 300 s per phase), connections pile up and the whole server stops answering.',
  category: 'reliability',
  severity: 'medium',
  checklist: 'error-handling',
  docs: 'docs/rules/reliability/outbound-timeout.md',
  fix: 'Give every outbound call a deadline: fetch(url, { signal: AbortSignal.timeout(5000) }), axios.create({ timeout: 5000 }), got(url, { timeout: { request: 5000 } }); or set one globally (undici setGlobalDispatcher, axios.defaults.timeout).',
  options: noOptions,
  messages: {
    noTimeout: ({ client }: Messages['noTimeout']) => `${client} call to a remote service has no timeout or AbortSignal, so it can wait forever`,
    undiciDefault: ({ client }: Messages['undiciDefault']) =>
      `${client} call to a remote service has no AbortSignal: Node's fetch waits up to ${UNDICI_HEADERS_TIMEOUT_S} s for the response headers and ${UNDICI_HEADERS_TIMEOUT_S} s between body chunks`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const selfHosted = serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).filter((pkg) => !isMixed(pkg));
    // Deployed services' production source (their own files and their workspace dependencies'); scripts, seeds, tests and migrations have other roles.
    const servers = new Set(serverPackagesWithCode(project));
    // A command-line package a service depends on (`logto init`, a migration CLI) runs in someone's terminal: a hung request there is a Ctrl-C.
    const isCommandLineFile = (file: string): boolean => {
      const pkg = project.packageOf(file);
      return pkg !== undefined && !servers.has(pkg) && pkg.manifest.raw['bin'] !== undefined;
    };
    const files = serverCodeFiles(project).filter((file) => !isCommandLineFile(file));
    const candidates = files.filter((file) => {
      const text = project.text(file) ?? '';
      return GATE.test(text) && isServerFile(project, file, text, selfHosted);
    });
    if (candidates.length === 0) return;
    // Global defaults can live in any file; they are looked up only when there is a call to judge.
    const allFiles = project.productionSourceFiles().map((file) => file.path);
    const globalFetch = findText(project, allFiles, GLOBAL_FETCH_TIMEOUT) !== undefined;
    const globalAxios = findText(project, allFiles, GLOBAL_AXIOS_TIMEOUT) !== undefined;
    const nestHttpConfigured = findText(project, allFiles, NEST_HTTP_CONFIG) !== undefined;
    for (const source of parseGated(project, candidates, () => true)) {
      for (const found of checkFile(source, globalFetch, globalAxios, nestHttpConfigured)) {
        // axios, got, node-fetch and http.request never give up by default; Node's fetch gives up after 300 s per phase.
        const severity: Severity = found.waitsForever ? 'medium' : 'low';
        ctx.report({
          messageId: found.waitsForever ? 'noTimeout' : 'undiciDefault',
          data: { client: found.client },
          location: found.site,
          severity,
          detail: found.waitsForever
            ? `Server-side ${found.client} call with no timeout/signal in its options, no timeout on the instance it uses, and no global default (axios.defaults.timeout, <instance>.defaults.timeout) in the repository; ${found.client} has no default timeout (medium).`
            : `Server-side ${found.client} call with no signal in its options and no undici setGlobalDispatcher with timeouts in the repository. Node's fetch (undici) gives up only after its defaults: headersTimeout ${UNDICI_HEADERS_TIMEOUT_S} s and bodyTimeout ${UNDICI_HEADERS_TIMEOUT_S} s, far longer than a user or an upstream proxy waits (low).`,
          key: `${found.site.line}:${found.site.column}`,
        });
      }
    }
  },
});
