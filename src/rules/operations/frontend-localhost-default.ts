// Protects against production frontends that call the user's own machine: a build-time API URL that falls back to localhost. Docs: docs/rules/operations/frontend-localhost-default.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { stringValue, walkAst } from '../../project/ast.js';
import { envVariable, filesContaining, findAllText, isFileRoute, nodeSite, nodeText, parseGated, type CodeSite } from '../../project/code-scope.js';
import type { ParsedSource } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Prefixes that make a variable part of the browser bundle (Vite, Next, Create React App, Vue CLI, Astro/SvelteKit, Expo). */
const CLIENT_PREFIX = /^(?:VITE_|NEXT_PUBLIC_|REACT_APP_|VUE_APP_|PUBLIC_|EXPO_PUBLIC_|NG_APP_)/;
/** Loopback, private-network and Docker-host addresses: unreachable (or the wrong machine) from a user's browser. */
const PRIVATE_HOST = /^(?:(?:https?|wss?):\/\/)?(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|host\.docker\.internal)(?::\d+)?(?:[/?#]|$)/i;
const GATE = /localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal|192\.168\.|\/\/10\.|\/\/172\./;
const DEV_TEST = /\bDEV\b|['"`](?:dev|development|local)['"`]|\bis_?dev(?:elopment)?\b|\bIS_DEV\b|\bisLocal\b/;
const BUILD_ARG = /^[ \t]*(?:ARG|ENV)[ \t]+((?:VITE_|NEXT_PUBLIC_|REACT_APP_|VUE_APP_|PUBLIC_|EXPO_PUBLIC_|NG_APP_)\w+)[ \t]*=[ \t]*["']?([^\s"']+)/gim;
const ENV_PRODUCTION = /(?:^|\/)\.env\.production(?:\.local)?$/;

type Messages = { fallback: { name: string; url: string } };

function clientEnvName(node: Node): string | undefined {
  const variable = envVariable(node);
  return variable !== undefined && CLIENT_PREFIX.test(variable) ? variable : undefined;
}

function privateUrl(node: Node): string | undefined {
  const literal = stringValue(node) ?? (node.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked ?? undefined : undefined);
  return literal !== undefined && PRIVATE_HOST.test(literal) ? literal : undefined;
}

const PRODUCTION_TEST = /['"`](?:production|prod)['"`]|\b(?:is_?prod(?:uction)?|IS_PROD(?:UCTION)?|PROD)\b|\.env\.PROD\b/;

/**
 * True when `node` sits in a branch that production never takes: the `else` side of a test for production
 * (`VERCEL_ENV === 'production' ? … : <here>`, `if (isProd) … else <here>`), the `then` side of a test for
 * development (`import.meta.env.DEV ? <here> : …`, `NODE_ENV === 'development'`), or the other side of either
 * when the test is negated. A test that mentions neither (or both) decides nothing.
 */
function inNonProductionBranch(source: ParsedSource, node: Node, ancestors: readonly Node[]): boolean {
  let child: Node = node;
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const parent = ancestors[index];
    if (parent === undefined) break;
    if ((parent.type === 'ConditionalExpression' || parent.type === 'IfStatement') && child !== parent.test) {
      const test = nodeText(source, parent.test);
      const production = PRODUCTION_TEST.test(test);
      const development = DEV_TEST.test(test);
      if (production !== development) {
        const negated = /!==?|^\s*!/.test(test);
        const inConsequent = child === parent.consequent;
        // Production test: the non-production side is the `else` (or the `then` when negated); development test: the reverse.
        if (production ? inConsequent === negated : inConsequent !== negated) return true;
      }
    }
    child = parent;
  }
  return false;
}

/** A `server-only` folder, a `*.server.*` module, an API route folder: code that never reaches a browser. */
const SERVER_ONLY_PATH = /(?:^|\/)server-only\/|\.server\.[cm]?[jt]sx?$|(?:^|\/)(?:app|pages)\/api\//;

/**
 * True for code that only runs on the server, so its fallback never ships to a browser: documenso's
 * `packages/lib/server-only/…`, a module that imports `'server-only'`, a `'use server'` module, a route handler.
 */
function isServerOnly(source: ParsedSource): boolean {
  if (SERVER_ONLY_PATH.test(source.path) || isFileRoute(source.path)) return true;
  return /^\s*['"]use server['"]/m.test(source.text.slice(0, 300)) || /^\s*import\s+['"]server-only['"]/m.test(source.text);
}

function codeFallbacks(source: ParsedSource): Array<{ site: CodeSite; name: string; url: string }> {
  const found: Array<{ site: CodeSite; name: string; url: string }> = [];
  walkAst(source.program, (node, ancestors) => {
    let env: Node | undefined;
    let fallback: Node | undefined;
    if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) {
      env = node.left;
      fallback = node.right;
    } else if (node.type === 'ConditionalExpression' && clientEnvName(node.test) !== undefined) {
      env = node.test;
      fallback = node.alternate;
    }
    if (env === undefined || fallback === undefined) return;
    const name = clientEnvName(env);
    const url = name === undefined ? undefined : privateUrl(fallback);
    if (name === undefined || url === undefined) return;
    // `import.meta.env.DEV ? (VITE_API_URL || 'http://localhost:3000') : VITE_API_URL` and `VERCEL_ENV === 'production' ?
    // 'https://app.dub.co' : … : NGROK_URL || 'http://localhost:8888'`: the fallback only exists off production.
    if (inNonProductionBranch(source, node, ancestors)) return;
    found.push({ site: nodeSite(source, fallback), name, url });
  });
  return found;
}

export default defineScanRule({
  id: 'operations/frontend-localhost-default',
  title: 'Frontend API URL never falls back to localhost',
  description:
    'Build variables such as VITE_API_URL are baked into the bundle at build time. When the build does not set one, a fallback to http://localhost:3000 ships to production, and every user\'s browser calls its own machine: "Failed to fetch".',
  category: 'operations',
  severity: 'high',
  checklist: 'env-config',
  docs: 'docs/rules/operations/frontend-localhost-default.md',
  fix: "Default to a relative path served by the same origin ('/api', proxied by nginx or the dev server), or fail the build when the variable is missing; never fall back to localhost.",
  options: noOptions,
  messages: {
    fallback: ({ name, url }: Messages['fallback']) => `${name} falls back to ${url}: a production build without it makes browsers call their own machine`,
  },
  check(ctx) {
    const { project } = ctx;
    const files = [...filesContaining(project, '.env')];
    for (const source of parseGated(project, files, (text) => GATE.test(text) && /VITE_|NEXT_PUBLIC_|REACT_APP_|VUE_APP_|PUBLIC_|NG_APP_/.test(text))) {
      if (isServerOnly(source)) continue;
      for (const found of codeFallbacks(source)) {
        ctx.report({
          messageId: 'fallback',
          data: { name: found.name, url: found.url },
          location: found.site,
          detail: `Looked for client-exposed variables (VITE_, NEXT_PUBLIC_, REACT_APP_, VUE_APP_, PUBLIC_, EXPO_PUBLIC_) read with ||, ?? or a ternary whose fallback is a loopback, private or Docker-host URL, outside a development-only branch (a DEV/NODE_ENV check, or the non-production side of a production test) and outside server-only code (server-only/ folders, *.server.* modules, 'server-only' imports, route handlers).`,
          key: found.name,
        });
      }
    }
    const buildFiles = [...project.dockerfiles().map((dockerfile) => dockerfile.path), ...project.filesWhere((file) => ENV_PRODUCTION.test(file)).map((file) => file.path)];
    for (const file of buildFiles) {
      const text = project.text(file);
      if (text === undefined) continue;
      const isEnvFile = ENV_PRODUCTION.test(file);
      const pattern = isEnvFile ? /^[ \t]*(?:export[ \t]+)?((?:VITE_|NEXT_PUBLIC_|REACT_APP_|VUE_APP_|PUBLIC_|EXPO_PUBLIC_|NG_APP_)\w+)[ \t]*=[ \t]*["']?([^\s"']+)/gim : BUILD_ARG;
      for (const site of findAllText(project, [file], pattern)) {
        const line = text.split('\n')[site.line - 1] ?? '';
        const match = new RegExp(pattern.source, 'im').exec(line);
        const name = match?.[1];
        const url = match?.[2];
        if (name === undefined || url === undefined || !PRIVATE_HOST.test(url)) continue;
        ctx.report({
          messageId: 'fallback',
          data: { name, url },
          location: { path: file, line: site.line },
          detail: isEnvFile
            ? `${file} is read by production builds and sets the client-exposed ${name} to a loopback/private address.`
            : `The Dockerfile gives the client-exposed build variable ${name} a default of a loopback/private address; an image built without --build-arg bakes it into the bundle.`,
          key: name,
        });
      }
    }
  },
});

