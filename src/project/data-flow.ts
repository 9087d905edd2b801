/**
 * Where a value comes from, followed far enough to tell request input from code's own values: through local
 * variables and their reassignments, `+=` and `.push()` builders, same-file helpers, `this.` properties,
 * relative imports, and function parameters to the callers that pass them (in the file, or in files that import
 * it). Security rules use it to keep their highest severity for a demonstrated flow from a request.
 */
import * as path from 'node:path';
import type { Node } from 'oxc-parser';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from './ast.js';
import { isFunctionNode, nodeText } from './code-scope.js';
import type { ParsedSource, Project } from './project.js';

/**
 * What a value can carry, worst first:
 * - `request`: client input (body, query, params, headers, cookies, URL) that reached here unparsed;
 * - `unknown`: not followed to its source (a parameter nobody visible calls, a query result, an unresolved import);
 * - `validated`: request input after a schema parse, whose schema was not read;
 * - `safe`: literals, constants, numbers, allow-listed identifiers, escapes, configuration, the session.
 */
export type OriginKind = 'request' | 'unknown' | 'validated' | 'safe';

export interface Origin {
  readonly kind: OriginKind;
  /** A short account a reader can check: `req.body.sort (src/routes.ts:12)`, `parameter term of search()`. */
  readonly why: string;
  /** The request object itself (`req`, Hono's `c.req`): its input properties are client input, what middleware set on it is not. */
  readonly requestObject?: boolean;
}

const RANK: Record<OriginKind, number> = { request: 3, unknown: 2, validated: 1, safe: 0 };

/**
 * The worst of several origins (request over unknown over validated over safe); safe when there are none.
 *
 * @example worstOrigin([{ kind: 'safe', why: 'literal' }, { kind: 'request', why: 'req.query.sort' }]).kind // 'request'
 */
export function worstOrigin(origins: readonly Origin[]): Origin {
  let worst: Origin = { kind: 'safe', why: 'constant' };
  for (const origin of origins) if (RANK[origin.kind] > RANK[worst.kind]) worst = origin;
  return worst;
}

const safe = (why: string): Origin => ({ kind: 'safe', why });
const requestObject = (why: string): Origin => ({ kind: 'request', why, requestObject: true });
const input = (why: string): Origin => ({ kind: 'request', why });
/** Array methods whose callback receives the receiver's elements. */
const ELEMENT_CALLBACK = new Set(['map', 'flatMap', 'forEach', 'filter', 'find', 'some', 'every', 'reduce', 'then', 'sort', 'findLast']);
const unknown = (why: string): Origin => ({ kind: 'unknown', why });

/** Properties of a request object that carry client input. */
const REQUEST_INPUT = new Set(['body', 'query', 'params', 'headers', 'cookies', 'url', 'originalUrl', 'path', 'nextUrl', 'searchParams', 'rawBody', 'files', 'file']);
/** Methods of a request object that return client input. */
const REQUEST_METHODS = new Set(['json', 'formData', 'text', 'param', 'query', 'queries', 'header', 'parseBody', 'arrayBuffer', 'blob', 'get', 'getAll', 'cookie']);
/** Properties middleware sets from the session or a verified token: server data, not client input. */
const SESSION_PROPS = new Set(['user', 'session', 'auth', 'userId', 'tenant', 'account', 'locals', 'log', 'id', 'ip']);
/** Parameter names that hold the request itself. */
const REQUEST_NAME = /^(?:req|request)$/;
/** Names of a framework context whose `.req`/`.request` is the request (Hono `c`, Koa `ctx`). */
const CONTEXT_NAME = /^(?:c|ctx|context)$/;
const REQUEST_TYPE = /^(?:Request|NextRequest|NextApiRequest|FastifyRequest|IncomingMessage|express\.Request|ExpressRequest)\b/;
/** Nest/routing-controllers/tsoa parameter decorators that inject client input. */
const INPUT_DECORATOR = /^(?:Body|Query|Param|Params|Headers|Req|Request|QueryParam|QueryParams|BodyParam|HeaderParam|Path|UploadedFile)$/;
/** Calls that make a value safe for SQL text: escaping, identifier quoting, parameterising fragments. */
const ESCAPE_CALL = /(?:^|\.)(?:escape\w*|quote\w*|sqlstring\w*|identifier|ident|literal|escapeId|escapeIdentifier|escapeLiteral|empty)$/i;
/** Calls whose result is a number or a boolean. */
const NUMERIC_CALL = /^(?:Number|parseInt|parseFloat|Boolean|Math\.\w+|Number\.\w+|Date\.now|BigInt)$/;
const NUMERIC_METHOD = new Set(['length', 'getTime', 'valueOf', 'toFixed', 'indexOf', 'findIndex', 'size', 'count', 'charCodeAt']);
/** Methods that return (part of) their receiver's text. */
const PASS_THROUGH_METHODS = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'slice', 'substring', 'substr', 'replace', 'replaceAll', 'padStart', 'padEnd', 'concat', 'at', 'normalize', 'split', 'filter', 'flat', 'sort', 'reverse', 'find', 'pop', 'shift', 'values', 'get', 'toISOString', 'then']);
/** Schema checks: their result is validated input. */
const SCHEMA_CALL = /^(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|cast|decode|assert|plainToInstance|plainToClass|valid)$/;
/** Module names whose exports are configuration. */
const CONFIG_MODULE = /(?:^|\/)(?:config|configuration|env|settings|constants?)(?:\.[cm]?[jt]s)?$|(?:^|[/@-])(?:config|env)\b/i;
const CONFIG_NAME = /^(?:config|env|settings|options|appConfig|process)$|Config$|Env$/;
const UPPER_CONSTANT = /^[A-Z][A-Z0-9_]*$/;

/** The parsed file with a parent map, so a name can be resolved from any node. */
interface FileIndex {
  readonly source: ParsedSource;
  readonly parents: Map<Node, Node>;
}

interface FlowState {
  readonly project: Project;
  /** Files searched for callers of a function whose parameter is followed (a deployed service's scope). */
  readonly scope: readonly string[];
  readonly indexes: Map<string, FileIndex>;
  /** Parameters being followed (cycle guard) and followed already. */
  readonly parameterOrigins: Map<Node, Origin[] | 'pending'>;
  budget: number;
}

/**
 * A data-flow view of a project: one per rule run, caching file indexes and parameter origins.
 *
 * @example
 * const flow = createDataFlow(project, serverCodeFiles(project));
 * worstOrigin(flow.originsOf(source, node)).kind // 'request' for `req.query.sort`
 */
export interface DataFlow {
  originsOf(source: ParsedSource, node: Node): Origin[];
}

/**
 * Builds the data-flow view for `scope` (the files where callers of a followed parameter are looked for).
 *
 * @example createDataFlow(project, serverCodeFiles(project)).originsOf(source, sqlArgument)
 */
export function createDataFlow(project: Project, scope: readonly string[]): DataFlow {
  const state: FlowState = { project, scope, indexes: new Map(), parameterOrigins: new Map(), budget: 0 };
  return {
    originsOf(source, node) {
      state.budget = 20000;
      return originsOf(state, indexOf(state, source), node, 0);
    },
  };
}

function indexOf(state: FlowState, source: ParsedSource): FileIndex {
  const cached = state.indexes.get(source.path);
  if (cached !== undefined && cached.source === source) return cached;
  const parents = new Map<Node, Node>();
  walkAst(source.program, (node, ancestors) => {
    const parent = ancestors[ancestors.length - 1];
    if (parent !== undefined) parents.set(node, parent);
  });
  const index = { source, parents };
  state.indexes.set(source.path, index);
  return index;
}

function where(file: FileIndex, node: Node): string {
  return `${file.source.path}:${file.source.lineIndex.position(node.start).line}`;
}

function short(file: FileIndex, node: Node): string {
  const text = nodeText(file.source, node).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const MAX_DEPTH = 20;

function originsOf(state: FlowState, file: FileIndex, node: Node, depth: number): Origin[] {
  state.budget -= 1;
  if (depth > MAX_DEPTH || state.budget < 0) return [unknown(`${short(file, node)} (${where(file, node)}): not followed further`)];
  const next = (child: Node): Origin[] => originsOf(state, file, child, depth + 1);
  switch (node.type) {
    case 'Literal':
      return [safe('literal')];
    case 'TemplateLiteral':
      return node.expressions.flatMap(next);
    case 'TaggedTemplateExpression':
      // Prisma.sql`…`, sql`…` (Drizzle, Kysely, slonik, postgres.js): fragments that parameterise their values.
      return [safe(`tagged template ${dottedName(node.tag) ?? ''}`)];
    case 'BinaryExpression':
      if (node.operator === '+') return [...next(node.left), ...next(node.right)];
      return [safe('arithmetic or comparison')];
    case 'UnaryExpression':
    case 'UpdateExpression':
      return [safe('number or boolean')];
    case 'ConditionalExpression':
      return [...next(node.consequent), ...next(node.alternate)];
    case 'LogicalExpression':
      return [...next(node.left), ...next(node.right)];
    case 'ParenthesizedExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
    case 'TSAsExpression':
    case 'TSTypeAssertion':
      return next(node.expression);
    case 'AwaitExpression':
      return next(node.argument);
    case 'ArrayExpression':
      return node.elements.flatMap((element) => (element === null ? [] : next(element.type === 'SpreadElement' ? element.argument : element)));
    case 'ObjectExpression':
      return node.properties.flatMap((property) => (property.type === 'SpreadElement' ? next(property.argument) : next(property.value)));
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return [safe('function')];
    case 'NewExpression':
      // `new URL(process.env.DATABASE_URL)`, `new Date(x)`: what it is built from.
      return dottedName(node.callee) === 'Date' ? [safe('date')] : node.arguments.flatMap((argument) => next(argument.type === 'SpreadElement' ? argument.argument : argument));
    case 'Identifier':
      return identifierOrigins(state, file, node, depth);
    case 'MemberExpression':
      return memberOrigins(state, file, node, depth);
    case 'CallExpression':
      return callOrigins(state, file, node, depth);
    case 'ThisExpression':
      return [unknown('this')];
    default:
      return [unknown(`${short(file, node)} (${where(file, node)})`)];
  }
}

/** The function, class method or program that encloses `node`, with the chain of ancestors up to it. */
function ancestorsOf(file: FileIndex, node: Node): Node[] {
  const chain: Node[] = [];
  for (let current = file.parents.get(node); current !== undefined; current = file.parents.get(current)) chain.push(current);
  return chain;
}

/** Names a binding pattern introduces, with the property path from the bound value (`{ a: { b } }` → b: ['a', 'b']). */
function patternNames(pattern: Node, prefix: readonly string[] = []): Array<{ name: string; path: readonly string[]; node: Node }> {
  switch (pattern.type) {
    case 'Identifier':
      return [{ name: pattern.name, path: prefix, node: pattern }];
    case 'AssignmentPattern':
      return patternNames(pattern.left, prefix);
    case 'RestElement':
      return patternNames(pattern.argument, prefix);
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) => {
        if (property.type === 'RestElement') return patternNames(property.argument, prefix);
        const key = propertyName(property);
        return patternNames(property.value, key === undefined ? prefix : [...prefix, key]);
      });
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => (element === null ? [] : patternNames(element, prefix)));
    case 'TSParameterProperty':
      return patternNames(pattern.parameter, prefix);
    default:
      return [];
  }
}

type Binding =
  | { kind: 'variable'; declarator: Node & { type: 'VariableDeclarator' }; path: readonly string[]; scope: Node }
  | { kind: 'parameter'; fn: Node; index: number; param: Node; path: readonly string[] }
  | { kind: 'loop'; loop: Node & { type: 'ForOfStatement' | 'ForInStatement' }; path: readonly string[] }
  | { kind: 'function'; fn: Node }
  | { kind: 'import'; source: string; imported: string }
  | { kind: 'catch' };

function paramsOf(fn: Node): readonly Node[] {
  if (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' || fn.type === 'FunctionDeclaration') return fn.params;
  return [];
}

/** Declarations of `name` directly in `scope` (not inside nested functions). */
function declarationsIn(scope: Node, name: string): Binding[] {
  const found: Binding[] = [];
  walkAst(scope, (node) => {
    if (node !== scope && isFunctionNode(node)) {
      if (node.type === 'FunctionDeclaration' && node.id?.name === name) found.push({ kind: 'function', fn: node });
      return false;
    }
    if (node.type === 'VariableDeclarator') {
      for (const bound of patternNames(node.id)) if (bound.name === name) found.push({ kind: 'variable', declarator: node, path: bound.path, scope });
    }
    if (node.type === 'ClassDeclaration' && node.id?.name === name) found.push({ kind: 'function', fn: node });
    return undefined;
  });
  return found;
}

function resolveBinding(file: FileIndex, node: Node & { type: 'Identifier' }): Binding | undefined {
  const name = node.name;
  for (const ancestor of ancestorsOf(file, node)) {
    if (ancestor.type === 'ForOfStatement' || ancestor.type === 'ForInStatement') {
      const left = ancestor.left;
      const pattern = left.type === 'VariableDeclaration' ? left.declarations[0]?.id : left;
      const bound = pattern === undefined ? undefined : patternNames(pattern).find((entry) => entry.name === name);
      if (bound !== undefined) return { kind: 'loop', loop: ancestor, path: bound.path };
    }
    if (ancestor.type === 'CatchClause' && ancestor.param !== null && patternNames(ancestor.param).some((entry) => entry.name === name)) return { kind: 'catch' };
    if (isFunctionNode(ancestor)) {
      const params = paramsOf(ancestor);
      for (const [index, param] of params.entries()) {
        const bound = patternNames(param).find((entry) => entry.name === name);
        if (bound !== undefined) return { kind: 'parameter', fn: ancestor, index, param, path: bound.path };
      }
      const local = declarationsIn(ancestor, name)[0];
      if (local !== undefined) return local;
    }
    if (ancestor.type === 'Program') {
      for (const statement of ancestor.body) {
        if (statement.type !== 'ImportDeclaration') continue;
        for (const specifier of statement.specifiers) {
          if (specifier.local.name !== name) continue;
          const imported = specifier.type === 'ImportSpecifier' ? (specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value)) : 'default';
          return { kind: 'import', source: statement.source.value, imported };
        }
      }
      const top = declarationsIn(ancestor, name)[0];
      if (top !== undefined) return top;
    }
  }
  return undefined;
}

/** Origins of the property `path` of a value expression: `{ a: x }` at ['a'] is x; anything else, the whole value. */
function originsAtPath(state: FlowState, file: FileIndex, value: Node, path: readonly string[], depth: number): Origin[] {
  if (path.length === 0) return originsOf(state, file, value, depth + 1);
  const [head, ...rest] = path;
  if (value.type === 'ObjectExpression') {
    // Later properties win: a spread before `event: 'composite'` cannot supply `event`.
    let origins: Origin[] = [];
    for (const property of value.properties) {
      if (property.type === 'SpreadElement') origins.push(...originsAtPath(state, file, property.argument, path, depth + 1));
      else if (propertyName(property) === head) origins = originsAtPath(state, file, property.value, rest, depth + 1);
    }
    return origins.length > 0 ? origins : [safe('absent property')];
  }
  if (value.type === 'AwaitExpression' || value.type === 'ParenthesizedExpression' || value.type === 'TSAsExpression' || value.type === 'TSNonNullExpression') {
    return originsAtPath(state, file, value.type === 'AwaitExpression' ? value.argument : value.expression, path, depth + 1);
  }
  // `...(cond && { a })`, `x ?? { a }`, `c ? { a } : { b }`: the property in each possible object.
  if (value.type === 'LogicalExpression') {
    const right = originsAtPath(state, file, value.right, path, depth + 1);
    return value.operator === '&&' ? right : [...originsAtPath(state, file, value.left, path, depth + 1), ...right];
  }
  if (value.type === 'ConditionalExpression') return [...originsAtPath(state, file, value.consequent, path, depth + 1), ...originsAtPath(state, file, value.alternate, path, depth + 1)];
  if (value.type === 'Literal' || value.type === 'ArrowFunctionExpression') return [safe('no such property')];
  // `const { event } = params`: the property of what the name holds, not all of it.
  if (value.type === 'Identifier') return identifierOrigins(state, file, value, depth + 1, path);
  return originsOf(state, file, value, depth + 1);
}

function identifierOrigins(state: FlowState, file: FileIndex, node: Node & { type: 'Identifier' }, depth: number, suffix: readonly string[] = []): Origin[] {
  if (node.name === 'undefined' || node.name === 'NaN' || node.name === 'Infinity') return [safe('literal')];
  const binding = resolveBinding(file, node);
  if (binding === undefined) return UPPER_CONSTANT.test(node.name) ? [safe(`constant ${node.name}`)] : [unknown(`${node.name} (${where(file, node)}): declaration not found`)];
  switch (binding.kind) {
    case 'catch':
    case 'function':
      return [safe(binding.kind)];
    case 'import':
      return importOrigins(state, file, binding.source, binding.imported, node.name, depth);
    case 'loop': {
      // `for (const key of Object.keys(COLUMNS))`: the elements of what is iterated.
      const right = binding.loop.right;
      return originsOf(state, file, right, depth + 1);
    }
    case 'variable': {
      const declarator = binding.declarator;
      const origins: Origin[] = [];
      if (declarator.init !== null) origins.push(...originsAtPath(state, file, declarator.init, [...binding.path, ...suffix], depth));
      // `let sql = '…'; sql += …`, `sql = cond ? a : b`, `parts.push(…)`: every value the name is given in its scope.
      if (declarator.id.type === 'Identifier') origins.push(...laterValues(state, file, binding.scope, declarator.id.name, depth));
      if (origins.length === 0) return [safe('declared without a value')];
      return origins;
    }
    case 'parameter':
      return parameterOrigins(state, file, binding.fn, binding.index, binding.param, [...binding.path, ...suffix], depth);
  }
}

/** Values assigned (`=`, `+=`) or pushed (`.push`, `.unshift`) to `name` within `scope`. */
function laterValues(state: FlowState, file: FileIndex, scope: Node, name: string, depth: number): Origin[] {
  const origins: Origin[] = [];
  walkAst(scope, (node) => {
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.left.name === name) origins.push(...originsOf(state, file, node.right, depth + 1));
    if (node.type === 'CallExpression') {
      const call = methodCall(node);
      if (call !== undefined && (call.method === 'push' || call.method === 'unshift') && call.object.type === 'Identifier' && call.object.name === name) {
        for (const argument of node.arguments) origins.push(...originsOf(state, file, argument.type === 'SpreadElement' ? argument.argument : argument, depth + 1));
      }
    }
    return undefined;
  });
  return origins;
}

/** A relative import resolved to a file of the project, if any. */
function resolveModule(project: Project, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.[cm]?js$/, '');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}/index.ts`, `${base}/index.js`]) if (project.has(candidate)) return candidate;
  return undefined;
}

function importOrigins(state: FlowState, file: FileIndex, specifier: string, imported: string, local: string, depth: number): Origin[] {
  if (UPPER_CONSTANT.test(local) || UPPER_CONSTANT.test(imported)) return [safe(`imported constant ${local}`)];
  if (CONFIG_MODULE.test(specifier) || CONFIG_NAME.test(local)) return [safe(`configuration ${local} from ${specifier}`)];
  const target = resolveModule(state.project, file.source.path, specifier);
  const other = target === undefined ? undefined : state.project.parseSource(target);
  if (other !== undefined) {
    const index = indexOf(state, other);
    for (const statement of other.program.body) {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : undefined;
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.id.name === imported && declarator.init !== null) return originsOf(state, index, declarator.init, depth + 1);
        }
      }
      if ((declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration' || declaration?.type === 'TSEnumDeclaration') && declaration.id?.name === imported) return [safe(`imported ${declaration.type === 'TSEnumDeclaration' ? 'enum' : 'declaration'} ${imported}`)];
    }
  }
  // Enums and classes by convention (`Role.Admin`): their members are fixed.
  if (/^[A-Z]/.test(local)) return [safe(`imported ${local}`)];
  return [unknown(`${local}, imported from ${specifier}`)];
}

/** True when a type annotation admits only fixed values: a union of literals, a number, a boolean, `keyof`, an enum or literal alias in the file. */
function isFixedType(file: FileIndex, annotation: Node | null | undefined, depth = 0): boolean {
  if (annotation === null || annotation === undefined || depth > 3) return false;
  switch (annotation.type) {
    case 'TSTypeAnnotation':
      return isFixedType(file, annotation.typeAnnotation, depth + 1);
    case 'TSNumberKeyword':
    case 'TSBooleanKeyword':
    case 'TSBigIntKeyword':
    case 'TSLiteralType':
    case 'TSUndefinedKeyword':
    case 'TSNullKeyword':
      return true;
    case 'TSUnionType':
      return annotation.types.every((member) => isFixedType(file, member, depth + 1));
    case 'TSTypeOperator':
      return annotation.operator === 'keyof';
    case 'TSIndexedAccessType':
      return false;
    case 'TSTypeReference': {
      const name = annotation.typeName.type === 'Identifier' ? annotation.typeName.name : undefined;
      if (name === undefined) return false;
      for (const statement of file.source.program.body) {
        const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
        if (declaration?.type === 'TSEnumDeclaration' && declaration.id.name === name) return true;
        if (declaration?.type === 'TSTypeAliasDeclaration' && declaration.id.name === name) return isFixedType(file, declaration.typeAnnotation, depth + 1);
      }
      return false;
    }
    default:
      return false;
  }
}

/** The type a parameter declares for the property at `path` (`{ sort }: { sort: 'asc' | 'desc' }`). */
function annotationAt(file: FileIndex, param: Node, path: readonly string[]): Node | null | undefined {
  const target = param.type === 'AssignmentPattern' ? param.left : param.type === 'TSParameterProperty' ? param.parameter : param;
  let annotation: Node | null | undefined = 'typeAnnotation' in target ? target.typeAnnotation : undefined;
  for (const key of path) {
    let type: Node | null | undefined = annotation?.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : annotation;
    if (type?.type === 'TSTypeReference' && type.typeName.type === 'Identifier') {
      const name = type.typeName.name;
      type = undefined;
      for (const statement of file.source.program.body) {
        const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
        if (declaration?.type === 'TSInterfaceDeclaration' && declaration.id.name === name) type = declaration.body;
        if (declaration?.type === 'TSTypeAliasDeclaration' && declaration.id.name === name) type = declaration.typeAnnotation;
      }
    }
    const members: readonly Node[] | undefined = type?.type === 'TSTypeLiteral' ? type.members : type?.type === 'TSInterfaceBody' ? type.body : undefined;
    const member: Node | undefined = members?.find((entry: Node) => entry.type === 'TSPropertySignature' && entry.key.type === 'Identifier' && entry.key.name === key);
    annotation = member?.type === 'TSPropertySignature' ? member.typeAnnotation : undefined;
    if (annotation === undefined) return undefined;
  }
  return annotation;
}

/** The name callers use for a function: its declaration, the variable or property it is assigned to, or its method name. */
function functionName(file: FileIndex, fn: Node): string | undefined {
  if (fn.type === 'FunctionDeclaration' && fn.id !== null) return fn.id.name;
  const parent = file.parents.get(fn);
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'MethodDefinition' || parent?.type === 'Property' || parent?.type === 'PropertyDefinition') return parent.key.type === 'Identifier' ? parent.key.name : stringValue(parent.key);
  if (parent?.type === 'AssignmentExpression') return dottedName(parent.left)?.split('.').pop();
  return undefined;
}

function isRequestObjectParam(file: FileIndex, param: Node): boolean {
  const target = param.type === 'AssignmentPattern' ? param.left : param;
  if (target.type !== 'Identifier') return false;
  const annotation = target.typeAnnotation === null || target.typeAnnotation === undefined ? '' : nodeText(file.source, target.typeAnnotation).replace(/^:\s*/, '');
  return REQUEST_TYPE.test(annotation) || REQUEST_NAME.test(target.name);
}

function decoratorNames(param: Node): string[] {
  const decorators = 'decorators' in param && Array.isArray(param.decorators) ? param.decorators : [];
  return decorators.flatMap((decorator: Node) => {
    if (decorator.type !== 'Decorator') return [];
    const expression = decorator.expression;
    const name = dottedName(expression.type === 'CallExpression' ? expression.callee : expression);
    return name === undefined ? [] : [name];
  });
}

function parameterOrigins(state: FlowState, file: FileIndex, fn: Node, index: number, param: Node, path: readonly string[], depth: number): Origin[] {
  const name = patternNames(param).find((entry) => entry.path.join('.') === path.join('.'))?.name ?? `#${index + 1}`;
  // Injected client input: Nest/routing-controllers/tsoa decorators.
  const decorator = decoratorNames(param).find((candidate) => INPUT_DECORATOR.test(candidate));
  if (decorator !== undefined) {
    if (isFixedType(file, annotationAt(file, param, path))) return [safe(`@${decorator}() parameter typed to fixed values`)];
    if ((decorator === 'Req' || decorator === 'Request') && path.length === 0) return [requestObject(`@${decorator}() ${name} (${where(file, param)})`)];
    return [input(`@${decorator}() parameter ${name} (${where(file, param)})`)];
  }
  if (isFixedType(file, annotationAt(file, param, path))) return [safe(`parameter ${name} typed to fixed values`)];
  // The request itself (handled by member access: `req.body` is input, `req.user` is the session).
  if (isRequestObjectParam(file, param)) {
    if (path.length === 0) return [requestObject(`request ${name} (${where(file, param)})`)];
    // `const { body } = req`, `const { user } = req`.
    const property = path[0] ?? '';
    if (SESSION_PROPS.has(property)) return [safe(`session ${property}`)];
    if (REQUEST_INPUT.has(property)) return [input(`${property} of request ${name} (${where(file, param)})`)];
  }
  // Destructured request in a handler: `({ body, query, params })`, Next's `{ params }`, Remix's `({ request, params })`.
  const head = path[0];
  if (head !== undefined && isHandlerLike(file, fn)) {
    if ((head === 'request' || head === 'req') && path.length === 1) return [requestObject(`request of the handler's argument (${where(file, param)})`)];
    if (REQUEST_INPUT.has(head)) return [input(`${path.join('.')} of the handler's argument (${where(file, param)})`)];
    // What an auth wrapper hands its handler (`withWorkspace(({ workspace, session }) => …)`) is server context; client input arrives as params, query, body, searchParams.
    if (index === 0) return [safe(`${head} from the handler's wrapper`)];
  }
  // A callback's parameter stands for the elements of what it iterates (`cols.map((c) => …)`, `rows.forEach((r) => …)`).
  const parent = file.parents.get(fn);
  if (parent?.type === 'CallExpression' && parent.arguments[0] === fn) {
    const call = methodCall(parent);
    if (call !== undefined && ELEMENT_CALLBACK.has(call.method)) {
      if (index > 0 && call.method !== 'reduce') return [safe('element index')];
      return originsOf(state, file, call.object, depth + 1);
    }
  }
  const key = param;
  const cached = state.parameterOrigins.get(key);
  if (cached === 'pending') return [];
  if (cached !== undefined && path.length === 0) return cached;
  state.parameterOrigins.set(key, 'pending');
  const origins = callerOrigins(state, file, fn, index, path, name, depth);
  if (path.length === 0) state.parameterOrigins.set(key, origins);
  else state.parameterOrigins.delete(key);
  return origins;
}

/** Route handlers by shape: an exported GET/POST/loader/action or a function passed to a route method. */
function isHandlerLike(file: FileIndex, fn: Node): boolean {
  const name = functionName(file, fn);
  if (name !== undefined && /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|loader|action|handler|default)$/.test(name)) return true;
  const parent = file.parents.get(fn);
  if (parent?.type === 'CallExpression') {
    const method = methodCall(parent)?.method;
    if (method !== undefined && /^(?:get|post|put|patch|delete|all|use|route|on|handle)$/.test(method)) return true;
    // `export const GET = withWorkspace(async ({ … }) => …)`: a wrapped route handler.
    const holder = file.parents.get(parent);
    if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') return /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|loader|action|handler)$/.test(holder.id.name);
    return holder?.type === 'ExportDefaultDeclaration';
  }
  return parent?.type === 'ExportDefaultDeclaration';
}

/** Origins of the values callers pass for parameter `index` (at `path`): the same file, then files of the scope that import it. */
function callerOrigins(state: FlowState, file: FileIndex, fn: Node, index: number, path: readonly string[], paramName: string, depth: number): Origin[] {
  const name = functionName(file, fn);
  const describe = `parameter ${paramName} of ${name ?? 'an anonymous function'}() (${where(file, fn)})`;
  if (name === undefined) return [unknown(`${describe}: its callers are not visible`)];
  const origins: Origin[] = [];
  let calls = 0;
  const visit = (caller: FileIndex): void => {
    walkAst(caller.source.program, (node) => {
      if (node.type !== 'CallExpression') return undefined;
      const callee = node.callee.type === 'Identifier' ? node.callee.name : methodCall(node)?.method;
      if (callee !== name) return undefined;
      const argument = node.arguments[index];
      calls += 1;
      if (argument === undefined) origins.push(safe('argument not passed'));
      else if (argument.type === 'SpreadElement') origins.push(...originsOf(state, caller, argument.argument, depth + 1));
      else origins.push(...originsAtPath(state, caller, argument, path, depth));
      return undefined;
    });
  };
  visit(file);
  const call = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\(`);
  for (const other of state.scope) {
    if (other === file.source.path || calls > 40) continue;
    const text = state.project.text(other);
    if (text === undefined || !call.test(text) || !importsFile(state.project, other, text, file.source.path)) continue;
    const parsed = state.project.parseSource(other);
    if (parsed !== undefined) visit(indexOf(state, parsed));
  }
  if (calls === 0) return [unknown(`${describe}: no caller found`)];
  return origins.map((origin) => (origin.kind === 'safe' ? origin : { kind: origin.kind, why: `${origin.why} → ${describe}` }));
}

/** True when `text` (of `importer`) imports `file` by a relative or aliased specifier. */
function importsFile(project: Project, importer: string, text: string, file: string): boolean {
  const bare = file.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
  const stem = bare.split('/').slice(-2).join('/');
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g)) {
    const specifier = match[1];
    if (specifier === undefined) continue;
    if (specifier.startsWith('.')) {
      if (resolveModule(project, importer, specifier) === file) return true;
    } else if (specifier.replace(/\.[cm]?[jt]sx?$/, '').endsWith(stem)) return true;
  }
  return false;
}

function memberOrigins(state: FlowState, file: FileIndex, node: Node & { type: 'MemberExpression' }, depth: number): Origin[] {
  const property = node.computed ? stringValue(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined;
  const object = node.object;
  const dotted = dottedName(node);
  if (dotted !== undefined && /^(?:process\.env|import\.meta\.env|Bun\.env)\b/.test(dotted)) return [safe(`configuration ${dotted}`)];
  if (property !== undefined && NUMERIC_METHOD.has(property)) return [safe(`${property} (a number)`)];
  if (object.type === 'Identifier' && UPPER_CONSTANT.test(object.name)) return [safe(`constant ${object.name}`)];
  if (object.type === 'ThisExpression' && property !== undefined) return thisOrigins(state, file, node, property, depth);
  // A framework context: Hono `c.req`, Koa `ctx.request`, `ctx.query`/`ctx.params`.
  if (object.type === 'Identifier' && CONTEXT_NAME.test(object.name) && property !== undefined) {
    if (property === 'req' || property === 'request') return [requestObject(`${object.name}.${property} (${where(file, node)})`)];
    if (property === 'query' || property === 'params') return [input(`${object.name}.${property} (${where(file, node)})`)];
  }
  if (!node.computed && object.type === 'Identifier' && property !== undefined) {
    // `Role.Admin` of an enum declared in the file.
    const enumDeclared = file.source.program.body.some((statement) => {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
      return declaration?.type === 'TSEnumDeclaration' && declaration.id.name === object.name;
    });
    if (enumDeclared) return [safe(`enum member ${object.name}.${property}`)];
  }
  const base = originsOf(state, file, object, depth + 1);
  return base.flatMap((origin) => {
    if (origin.requestObject !== true) return [origin];
    // On the request object itself: input properties are client input; what middleware set (`req.user`) is the session.
    if (property !== undefined && SESSION_PROPS.has(property)) return [safe(`session ${short(file, node)}`)];
    if (property !== undefined && REQUEST_INPUT.has(property)) return [input(`${short(file, node)} (${where(file, node)})`)];
    return [unknown(`${short(file, node)} (${where(file, node)})`)];
  });
}

/** `this.x` in a class (property initialiser, constructor assignment) or an object literal's method (its sibling property). */
function thisOrigins(state: FlowState, file: FileIndex, node: Node, property: string, depth: number): Origin[] {
  for (const ancestor of ancestorsOf(file, node)) {
    if (ancestor.type === 'ObjectExpression') {
      for (const entry of ancestor.properties) if (entry.type === 'Property' && propertyName(entry) === property) return originsOf(state, file, entry.value, depth + 1);
      return [unknown(`this.${property}`)];
    }
    if (ancestor.type === 'ClassBody') {
      const origins: Origin[] = [];
      for (const element of ancestor.body) {
        if (element.type === 'PropertyDefinition' && element.key.type === 'Identifier' && element.key.name === property) origins.push(element.value === null ? safe('declared') : originsOf(state, file, element.value, depth + 1)[0] ?? safe('declared'));
        if (element.type === 'MethodDefinition' && element.kind === 'constructor') {
          walkAst(element.value, (inner) => {
            if (inner.type === 'AssignmentExpression' && inner.left.type === 'MemberExpression' && inner.left.object.type === 'ThisExpression' && inner.left.property.type === 'Identifier' && inner.left.property.name === property) {
              origins.push(...originsOf(state, file, inner.right, depth + 1));
            }
            return undefined;
          });
          for (const param of element.value.params) if (param.type === 'TSParameterProperty' && patternNames(param).some((entry) => entry.name === property)) origins.push(safe(`injected ${property}`));
        }
      }
      return origins.length > 0 ? origins : [unknown(`this.${property}`)];
    }
  }
  return [unknown(`this.${property}`)];
}

function callOrigins(state: FlowState, file: FileIndex, node: Node & { type: 'CallExpression' }, depth: number): Origin[] {
  const callee = dottedName(node.callee);
  const call = methodCall(node);
  const args = node.arguments.map((argument) => (argument.type === 'SpreadElement' ? argument.argument : argument));
  if (callee !== undefined && NUMERIC_CALL.test(callee)) return [safe(`${callee}() (a number)`)];
  if (callee !== undefined && ESCAPE_CALL.test(callee) && !/(?:^|\.)(?:join|raw|sql|format)$/.test(callee)) return [safe(`escaped by ${callee}()`)];
  // pg-format / util.format: `%I` and `%L` quote; `%s` splices as is.
  if (callee !== undefined && /(?:^|\.)format$/.test(callee)) {
    const template = stringValue(args[0]);
    return template !== undefined && !template.includes('%s') ? [safe(`quoted by ${callee}('${template}')`)] : args.slice(1).flatMap((argument) => originsOf(state, file, argument, depth + 1));
  }
  if (callee === 'sql' || callee === 'Prisma.sql') return [safe(`${callee}() fragment`)];
  if (callee === 'String' || callee === 'JSON.stringify' || callee === 'encodeURIComponent' || callee === 'decodeURIComponent') return args[0] === undefined ? [safe('empty')] : originsOf(state, file, args[0], depth + 1);
  // Keys of an object are chosen by code unless the object is client input (`Object.keys(req.body)`).
  if (callee === 'Object.keys' || callee === 'Object.entries' || callee === 'Object.values') {
    const objectOrigins = args[0] === undefined ? [] : originsOf(state, file, args[0], depth + 1);
    const worst = worstOrigin(objectOrigins);
    if (worst.kind === 'request' && callee !== 'Object.values') return [{ kind: 'request', why: `keys of ${worst.why}` }];
    if (callee === 'Object.values') return objectOrigins;
    return [safe(`keys of ${args[0] === undefined ? 'an object' : short(file, args[0])}`)];
  }
  if (call !== undefined) {
    const method = call.method;
    if (SCHEMA_CALL.test(method)) return [{ kind: 'validated', why: `${short(file, node)} (${where(file, node)})` }];
    if (NUMERIC_METHOD.has(method)) return [safe(`${method}() (a number)`)];
    if (method === 'map' || method === 'flatMap') {
      // `ids.map(() => '?')`, `cols.map((c) => `${c} = ?`)`: what the callback returns, with its parameter bound to the elements.
      const callback = args[0];
      if (callback !== undefined && isFunctionNode(callback)) return returnOrigins(state, file, callback, depth);
      return originsOf(state, file, call.object, depth + 1);
    }
    if (method === 'join') return originsOf(state, file, call.object, depth + 1);
    // The request's own input methods: `req.json()`, `c.req.query('sort')`, `request.formData()`, `searchParams.get('q')`.
    if (REQUEST_METHODS.has(method) || PASS_THROUGH_METHODS.has(method)) {
      const receiver = originsOf(state, file, call.object, depth + 1);
      return receiver.map((origin) => (origin.requestObject === true ? input(`${short(file, node)} (${where(file, node)})`) : origin));
    }
    // knex `raw('?? = ?', [column, value])` with literal text binds its values; `raw(text)` is as safe as its text.
    if (method === 'raw') return args[0] === undefined ? [safe('empty')] : stringValue(args[0]) !== undefined ? [safe('raw with bindings')] : originsOf(state, file, args[0], depth + 1);
  }
  // `parseAnalyticsQuery(searchParams)`, `validateBody(req.body)`: a project's own schema helper.
  if (node.callee.type === 'Identifier' && /^(?:parse|validate|decode|assert)[A-Z]\w*$/.test(node.callee.name) && !/^parse(?:Int|Float)$/.test(node.callee.name)) {
    return [{ kind: 'validated', why: `${short(file, node)} (${where(file, node)})` }];
  }
  // A helper of this file: what it returns, with its parameters bound to this call's arguments.
  if (node.callee.type === 'Identifier') {
    const binding = resolveBinding(file, node.callee);
    if (binding?.kind === 'function' && isFunctionNode(binding.fn)) return returnOrigins(state, file, binding.fn, depth);
    if (binding?.kind === 'variable' && binding.declarator.init !== null && isFunctionNode(binding.declarator.init)) return returnOrigins(state, file, binding.declarator.init, depth);
    if (binding?.kind === 'import' && (CONFIG_MODULE.test(binding.source) || CONFIG_NAME.test(node.callee.name))) return [safe(`configuration ${node.callee.name}()`)];
  }
  return [unknown(`the result of ${short(file, node)} (${where(file, node)})`)];
}

/** What a function returns (every `return` and an expression body), its parameters resolved to their callers. */
function returnOrigins(state: FlowState, file: FileIndex, fn: Node, depth: number): Origin[] {
  if (fn.type === 'ArrowFunctionExpression' && fn.body.type !== 'BlockStatement') return originsOf(state, file, fn.body, depth + 1);
  const origins: Origin[] = [];
  walkAst(fn, (node) => {
    if (node !== fn && isFunctionNode(node)) return false;
    if (node.type === 'ReturnStatement' && node.argument !== null) origins.push(...originsOf(state, file, node.argument, depth + 1));
    return undefined;
  });
  return origins.length > 0 ? origins : [safe('returns nothing')];
}
