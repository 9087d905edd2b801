import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { walkAst } from './ast.js';
import { createDataFlow, worstOrigin, type OriginKind } from './data-flow.js';
import { Project } from './project.js';

/** The worst origin kind of the argument of the `sink(…)` call in `file` of a project made of `files`. */
function sinkOrigin(files: Record<string, string>, file: string): OriginKind {
  const tree = makeTree({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '5.1.0' }, scripts: { start: 'node x.js' } }), ...files });
  try {
    const opened = Project.open(tree.dir);
    if (!opened.ok) throw new Error(opened.error.message);
    const project = opened.value;
    const source = project.parseSource(file);
    if (source === undefined) throw new Error(`cannot parse ${file}`);
    const flow = createDataFlow(project, Object.keys(files));
    let kind: OriginKind | undefined;
    walkAst(source.program, (node) => {
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'sink' && node.arguments[0] !== undefined) {
        kind = worstOrigin(flow.originsOf(source, node.arguments[0])).kind;
      }
    });
    if (kind === undefined) throw new Error('no sink(…) call');
    return kind;
  } finally {
    tree.cleanup();
  }
}

describe('data flow', () => {
  it.each<[string, string, OriginKind]>([
    ['request body through a variable', "app.post('/x', (req, res) => { const { name } = req.body; sink(`x ${name}`); });", 'request'],
    ['Hono query', "app.get('/x', (c) => sink(c.req.query('sort')));", 'request'],
    ['Next route search params', 'export async function GET(request: Request) { const q = new URL(request.url).searchParams.get("q"); sink(q); }', 'request'],
    ['keys of the request body', "app.post('/x', (req) => sink(Object.keys(req.body).join(', ')));", 'request'],
    ['the session, not the client', "app.get('/x', (req) => sink(`owner = ${req.user.id}`));", 'safe'],
    ['configuration', 'const schema = new URL(process.env.DATABASE_URL ?? "").searchParams.get("schema"); sink(schema);', 'safe'],
    ['a union-typed parameter', "export function list(sort: 'name' | 'created_at') { sink(sort); }", 'safe'],
    ['placeholders and keys of code’s own object', 'export function f(ids: string[], stats: Record<string, number>) { sink(`${Object.keys(stats).map((k) => `${k} = ?`).join()} ${ids.map(() => "?").join()}`); }', 'safe'],
    ['an object literal’s own property through this', "export const Role = { table: 'roles', find() { sink(`FROM ${this.table}`); } };", 'safe'],
    ['built with push and +=', "export function f() { const parts = ['a']; parts.push(`b = ${1 + 1}`); let sql = 'x'; sql += ` ${parts.join(' AND ')}`; sink(sql); }", 'safe'],
    ['schema-parsed input', "const Q = z.object({}); app.get('/x', (req) => { const q = Q.parse(req.query); sink(q.sort); });", 'validated'],
    ['a parameter nobody calls', 'export function search(term: string) { sink(term); }', 'unknown'],
    ['a Nest @Query parameter', "class C { list(@Query('sort') sort: string) { sink(sort); } }", 'request'],
    ['a Nest @Param typed as a number', "class C { get(@Param('id') id: number) { sink(id); } }", 'safe'],
  ])('%s', (_name, code, expected) => {
    expect(sinkOrigin({ 'src/a.ts': code }, 'src/a.ts')).toBe(expected);
  });

  it('follows a parameter to the route that passes request input from another file', () => {
    const files = {
      'src/service.ts': 'export function search(term: string) { sink(`%${term}%`); }',
      'src/routes.ts': "import { search } from './service';\napp.get('/s', (req) => search(String(req.query.q)));\n",
    };
    expect(sinkOrigin(files, 'src/service.ts')).toBe('request');
  });

  it('is safe when every caller passes a constant', () => {
    const files = {
      'src/service.ts': 'export function byTable(table: string) { sink(`FROM ${table}`); }',
      'src/jobs.ts': "import { byTable } from './service';\nbyTable('users');\nbyTable('projects');\n",
    };
    expect(sinkOrigin(files, 'src/service.ts')).toBe('safe');
  });
});

describe('data flow through destructuring', () => {
  it('keeps the property path: `const { event } = params` reads what callers pass as event', () => {
    const files = {
      'src/stats.ts': "export function stats(params: { event: string }) { const { event } = params; sink(`SUM(${event})`); }",
      'src/route.ts': "import { stats } from './stats';\napp.get('/s', (req) => stats({ ...req.query, event: 'clicks' }));\n",
    };
    expect(sinkOrigin(files, 'src/stats.ts')).toBe('safe');
  });

  it('reads the body destructured from a named request parameter', () => {
    expect(sinkOrigin({ 'src/a.ts': 'export function create(req, res) { const { body } = req; sink(`x ${body.name}`); }' }, 'src/a.ts')).toBe('request');
  });
});

describe('data flow in wrapped route handlers', () => {
  it('treats what an auth wrapper injects as server context and searchParams as request input', () => {
    expect(sinkOrigin({ 'app/api/x/route.ts': 'export const GET = withWorkspace(async ({ workspace }) => sink(`w = ${workspace.id}`));' }, 'app/api/x/route.ts')).toBe('safe');
    expect(sinkOrigin({ 'app/api/x/route.ts': 'export const GET = withWorkspace(async ({ searchParams }) => sink(`o = ${searchParams.sort}`));' }, 'app/api/x/route.ts')).toBe('request');
  });
});
