// Protects against endpoints that trust whatever the client sends: request input reaching the database with no schema at the boundary. Docs: docs/rules/security/input-validation.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from '../../project/ast.js';
import {
  classDeclarations,
  filesNaming,
  findText,
  isBackgroundJobPath,
  isFileRoute,
  isFrontendCode,
  isFunctionNode,
  namedFunctions,
  nodeText,
  packageFiles,
  packageScope,
  resolveFunction,
  resolveImport,
  routesIn,
  serverPackagesWithCode,
  type PackageScope,
} from '../../project/code-scope.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { ROUTE_HINT, type RouteDefinition } from '../../project/routes.js';
import { defineScanRule, listText } from '../support.js';

/** A call that validates against a schema: zod/valibot/yup/joi/superstruct/io-ts/typebox/ajv/express-validator/Hono validators. */
const VALIDATION_CALL =
  /(?<!JSON)\.(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|cast|decode|Check|assert|assertEquals)\s*[<(]|\b(?:validationResult|matchedData|plainToInstance|plainToClass|safeParse|parse|validate|assert|typia\.assert\w*|typia\.is|typia\.validate\w*)\s*[<(]|\.req\.valid\s*\(|\b\w*[Vv]alidat\w*\s*\(|\b(?:parse|assert|decode|check)(?!Int\b|Float\b)[A-Z]\w*\s*\(/;
/**
 * Cryptographic checks of what the client sent: a webhook signature (Stripe `constructEvent`, svix, QStash), a
 * signed token (`jwt.verify`, `jwtVerify`, `verifyIdToken`), a WebAuthn response. What passes them comes from
 * the signer, not from an arbitrary client.
 */
const VERIFICATION_CALL =
  /\bconstructEvent(?:Async)?\s*\(|\bverify\w*Signature\w*\s*\(|\bverifyWebhook\w*\s*\(|\b(?:webhooks?|wh|receiver|svix|jwt|jose)\.verify\w*\s*\(|\bjwtVerify\s*\(|\bverify\w*Token\w*\s*\(|\bverify(?:Registration|Authentication)Response\s*\(|\btimingSafeEqual\s*\(/;
/** Endpoints whose payload is a protocol message or a report, not a form: webhooks, SSO callbacks, CSP reports. Their question is the signature, not a schema. */
const PROTOCOL_PATH = /(?:^|\/)(?:webhooks?|saml|oauth2?|oidc|sso|csp-report|report-uri)(?:\/|$)/i;
/** Middleware in front of the handler that validates (zValidator, celebrate, validate(schema), express-validator chains). */
const VALIDATOR_MIDDLEWARE = /valid|schema|celebrate|typebox|\b(?:body|query|param|params|check|checkSchema|checkExact|oneOf)\s*\(/i;
/** Input reads through the conventional names (req, request, ctx, c) and decorators: the cheap gate before any file is parsed. */
const CONVENTIONAL_READ =
  /\b(?:req|request|ctx|context)\.(?:body|query|params)\b|\b(?:ctx|context)\.request\.(?:body|query)\b|\bc\.req\.(?:json|query|queries|param|parseBody|formData|text)\s*\(|\b(?:request|req)\.(?:json|formData|text)\s*\(\s*\)|@(?:Body|Query|Param|Headers|QueryParam|QueryParams|BodyParam|Params)\s*\(/g;
/** A route whose final handler is a name or a member (`router.post('/x', createProject)`, `…, userController.create)`): the handler may live in another file. */
const NAMED_HANDLER_ROUTE = /\.(?:get|post|put|patch|delete|all)\s*\(\s*['"`][^'"`\n]*['"`]\s*,(?:\s*[\w$.]+\s*(?:\([^()]*\))?\s*,)*\s*[\w$.]+\s*\)/;
/** What directly wraps a read that is validated in place: `Body.parse(req.body)`, `v.parse(Schema, ctx.request.body)`. */
const WRAPPED_BEFORE = /(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|cast|decode|assert|Check|plainToInstance|plainToClass)\w*(?:<[^<>()]*>)?\s*\(\s*(?:[\w$.]+\s*,\s*)*(?:await\s+)?$/;
/** ORM and model methods that write what they are given: a whole request body there is mass assignment. */
const WRITE_METHODS = new Set(['create', 'createMany', 'update', 'updateMany', 'upsert', 'insert', 'insertMany', 'save', 'merge', 'assign', 'set', 'findOneAndUpdate', 'findByIdAndUpdate', 'updateOne', 'bulkCreate', 'build', 'values', 'patch', 'replaceOne']);
/** Object keys through which a value becomes the row an ORM writes or the filter it runs. */
const WRITE_KEYS = new Set(['data', 'values', 'set', 'update', 'create', '$set']);
const FILTER_KEYS = new Set(['where', 'filter', '$match']);
/** Decorator parameters of Nest, routing-controllers and tsoa, by what they inject. */
const DECORATOR_KIND: ReadonlyMap<string, InputKind> = new Map([
  ['Body', 'body'], ['BodyParam', 'body'], ['Query', 'query'], ['QueryParam', 'query'], ['QueryParams', 'query'], ['Param', 'params'], ['Params', 'params'], ['Path', 'params'], ['Headers', 'headers'], ['HeaderParam', 'headers'], ['Header', 'headers'],
]);

type InputKind = 'body' | 'query' | 'params' | 'headers';
/**
 * How a read value is used: handed whole to a third-party library that parses it (an SDK, a protocol transport),
 * field by field, handed on whole, or written whole (mass assignment) / used whole as a filter.
 */
type Use = 'library' | 'fields' | 'whole' | 'write' | 'filter';

interface Read {
  readonly kind: InputKind;
  readonly text: string;
  readonly use: Use;
  /** What the use was seen in, for the detail (`prisma.project.create({ data })`, `createProject()` in src/services.ts). */
  readonly where: string;
  /** Field names read, when known (destructuring, member access). */
  readonly fields: readonly string[];
}

type Messages = { unvalidated: { method: string; path: string; reads: string }; practice: { pkg: string; routes: number } };

/** More unvalidated-body routes than this in one package are one practice, reported once (see the end of `check`). */
const PRACTICE_THRESHOLD = 8;

/** True when the file reads input somewhere that is not validated in place, so its handlers must be looked at. */
function hasUnwrappedRead(text: string): boolean {
  CONVENTIONAL_READ.lastIndex = 0;
  for (let match = CONVENTIONAL_READ.exec(text); match !== null; match = CONVENTIONAL_READ.exec(text)) {
    if (!WRAPPED_BEFORE.test(text.slice(Math.max(0, match.index - 120), match.index))) return true;
  }
  return false;
}

interface Handler {
  readonly source: ParsedSource;
  readonly node: Node;
}

interface Context {
  readonly project: Project;
  readonly scope: PackageScope;
  readonly nestGlobalPipe: boolean;
  readonly routingControllersValidation: boolean;
  /** Type names declared as interfaces or type aliases in the scope: a ValidationPipe cannot validate them. */
  readonly shapeTypes: Map<string, boolean>;
  /**
   * The scope's files without front-end code: where a call a handler makes can be resolved to. A browser hook that
   * happens to share a method's name (`handleRequest`) is never what server code runs.
   */
  readonly serverFiles: readonly string[];
}

/** The project file an import of `importer` names, unless it is front-end code. */
function importTarget(ctx: Context, importer: string, specifier: string): string | undefined {
  const target = resolveImport(ctx.project, ctx.serverFiles, importer, specifier);
  return target === undefined || isFrontendCode(ctx.project, target) ? undefined : target;
}

/** The function(s) a route argument stands for: inline, wrapped (`asyncHandler(async (req, res) => …)`), a name, or `controller.method`. */
function resolveHandlers(ctx: Context, source: ParsedSource, node: Node, depth = 0): Handler[] | undefined {
  if (depth > 3) return undefined;
  if (isFunctionNode(node)) return [{ source, node }];
  if (node.type === 'CallExpression') {
    const inner = node.arguments.filter((argument): argument is Node & typeof argument => isFunctionNode(argument));
    if (inner.length > 0) return inner.map((argument) => ({ source, node: argument }));
    const wrapped = node.arguments[0];
    return wrapped !== undefined && wrapped.type !== 'SpreadElement' && (wrapped.type === 'Identifier' || wrapped.type === 'MemberExpression') ? resolveHandlers(ctx, source, wrapped, depth + 1) : undefined;
  }
  if (node.type === 'Identifier') {
    const found = importedFunction(ctx, source, node.name) ?? resolveFunction(ctx.project, ctx.serverFiles, source, node.name);
    if (found === undefined) return undefined;
    return found.node.type === 'CallExpression' ? resolveHandlers(ctx, found.source, found.node, depth + 1) : [found];
  }
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const found = findMethod(ctx, source, node.object, node.property.name);
    if (found === undefined) return undefined;
    return found.node.type === 'CallExpression' ? resolveHandlers(ctx, found.source, found.node, depth + 1) : [found];
  }
  return undefined;
}

/**
 * A method or exported function called `name` on `object`: in the files `source` imports (a controller module,
 * a service class), else by name in the scope. Class methods, object-literal members and `exports.name = …`.
 */
const classFiles = new WeakMap<Context, Map<string, string | undefined>>();

/** The scope file that declares `class Name`, looked up once per name and package. */
function classFile(ctx: Context, className: string): string | undefined {
  let cache = classFiles.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    classFiles.set(ctx, cache);
  }
  if (!cache.has(className)) cache.set(className, findText(ctx.project, filesNaming(ctx.project, ctx.serverFiles, className), new RegExp(`\\bclass\\s+${className}\\b`))?.path);
  return cache.get(className);
}

function findMethod(ctx: Context, source: ParsedSource, object: Node, name: string): Handler | undefined {
  const candidates: string[] = [];
  for (const statement of source.program.body) {
    if (statement.type === 'ImportDeclaration') {
      const target = importTarget(ctx, source.path, statement.source.value);
      if (target !== undefined) candidates.push(target);
    }
  }
  for (const match of source.text.matchAll(/require\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g)) {
    const target = match[1] === undefined ? undefined : importTarget(ctx, source.path, match[1]);
    if (target !== undefined) candidates.push(target);
  }
  const objectName = dottedName(object)?.split('.').pop()?.toLowerCase().replace(/(?:service|controller|repository|repo|usecase|handler)s?$/, '') ?? '';
  // Files named like the receiver first (`userController` → user.controller.ts), then the other imports, then the file itself.
  const ordered = [...candidates.filter((file) => objectName !== '' && file.toLowerCase().replace(/[^a-z]/g, '').includes(objectName)), ...candidates, source.path];
  const className = object.type === 'Identifier' && /^[A-Z]/.test(object.name) ? object.name : undefined;
  // A class imported from a workspace package (`@acme/commands`): the file of the scope that declares it.
  const declaring = className === undefined ? undefined : classFile(ctx, className);
  if (declaring !== undefined) ordered.unshift(declaring);
  // A static call on a class (`UpsertCommand.create(…)`): its method, or its base class's, before any other `create`.
  // A file whose text does not name the class (or the method) cannot declare it: it is not parsed for the look-up.
  if (className !== undefined) {
    for (const file of filesNaming(ctx.project, ordered, className)) {
      const parsed = ctx.project.parseSource(file);
      const inherited = parsed === undefined ? undefined : inheritedMethod(ctx, parsed, className, name, 0);
      if (inherited !== undefined) return inherited;
    }
  }
  for (const file of filesNaming(ctx.project, ordered, name)) {
    const parsed = ctx.project.parseSource(file);
    if (parsed === undefined) continue;
    const found = methodIn(parsed, name);
    if (found !== undefined) return { source: parsed, node: found };
  }
  return resolveFunction(ctx.project, ctx.serverFiles, source, name);
}

/** `name` of class `className` declared in `source`, looked up its `extends` chain through the files it imports. */
function inheritedMethod(ctx: Context, source: ParsedSource, className: string, name: string, depth: number): Handler | undefined {
  if (depth > 4) return undefined;
  const declaration = classDeclarations(source).get(className);
  if (declaration === undefined || declaration.type !== 'ClassDeclaration') return undefined;
  for (const element of declaration.body.body) {
    if (element.type === 'MethodDefinition' && element.key.type === 'Identifier' && element.key.name === name) return { source, node: element.value };
  }
  const base = declaration.superClass;
  if (base === null || base.type !== 'Identifier') return undefined;
  const local = inheritedMethod(ctx, source, base.name, name, depth + 1);
  if (local !== undefined) return local;
  for (const statement of source.program.body) {
    if (statement.type !== 'ImportDeclaration' || !statement.specifiers.some((specifier) => specifier.local.name === base.name)) continue;
    // A relative or aliased module, else the workspace package's file that declares the class.
    const target = importTarget(ctx, source.path, statement.source.value) ?? findText(ctx.project, ctx.serverFiles, new RegExp(`\\bclass\\s+${base.name}\\b`))?.path;
    const other = target === undefined ? undefined : ctx.project.parseSource(target);
    if (other !== undefined) return inheritedMethod(ctx, other, base.name, name, depth + 1);
  }
  return undefined;
}

/** The function an imported name stands for: `import update from '@/lib/…/updateCollectionById'` → its default export. */
function importedFunction(ctx: Context, source: ParsedSource, local: string): Handler | undefined {
  for (const statement of source.program.body) {
    if (statement.type !== 'ImportDeclaration') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local.name !== local) continue;
      const target = importTarget(ctx, source.path, statement.source.value);
      const other = target === undefined ? undefined : ctx.project.parseSource(target);
      if (other === undefined) return undefined;
      if (specifier.type === 'ImportDefaultSpecifier') {
        for (const exported of other.program.body) {
          if (exported.type !== 'ExportDefaultDeclaration') continue;
          const declaration = exported.declaration;
          if (isFunctionNode(declaration) || declaration.type === 'CallExpression') return { source: other, node: declaration };
          if (declaration.type === 'Identifier') {
            const named = namedFunctions(other).get(declaration.name);
            return named === undefined ? undefined : { source: other, node: named };
          }
        }
        return undefined;
      }
      const imported = specifier.type === 'ImportSpecifier' ? (specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value) : local;
      const named = namedFunctions(other).get(imported);
      return named === undefined ? undefined : { source: other, node: named };
    }
  }
  return undefined;
}

function methodIn(source: ParsedSource, name: string): Node | undefined {
  return methodIndex(source).get(name) ?? namedFunctions(source).get(name);
}

const methodIndexes = new WeakMap<ParsedSource, Map<string, Node>>();

/**
 * Methods, function-valued properties and `exports.x =` functions of a file by name, first one kept, built in one
 * walk per file: route handlers ask the same files for many names.
 */
function methodIndex(source: ParsedSource): Map<string, Node> {
  const cached = methodIndexes.get(source);
  if (cached !== undefined) return cached;
  const methods = new Map<string, Node>();
  const keep = (name: string, node: Node): void => {
    if (!methods.has(name)) methods.set(name, node);
  };
  walkAst(source.program, (node) => {
    if (node.type === 'MethodDefinition' && node.key.type === 'Identifier') keep(node.key.name, node.value);
    if ((node.type === 'Property' || node.type === 'PropertyDefinition') && node.key.type === 'Identifier' && node.value !== null && (isFunctionNode(node.value) || node.value.type === 'CallExpression')) keep(node.key.name, node.value);
    if (node.type === 'AssignmentExpression' && /^(?:module\.)?exports\./.test(dottedName(node.left) ?? '') && (isFunctionNode(node.right) || node.right.type === 'CallExpression')) {
      const assigned = dottedName(node.left)?.split('.').pop();
      if (assigned !== undefined) keep(assigned, node.right);
    }
    return undefined;
  });
  methodIndexes.set(source, methods);
  return methods;
}

/**
 * True when a function validates one of `names`: a schema or signature check whose call mentions it
 * (`Schema.safeParse(body)`, `validateSync(plainToInstance(this, data))`), not one that checks something else.
 */
function validatesName(text: string, names: readonly string[], deep = false): boolean {
  if (names.length === 0) return false;
  const mentions = new RegExp(`\\b(?:${names.map((name) => name.replace(/\$/g, '\\$')).join('|')})\\b`);
  for (const pattern of [VALIDATION_CALL, VERIFICATION_CALL]) {
    const global = new RegExp(pattern.source, 'g');
    for (let match = global.exec(text); match !== null; match = global.exec(text)) {
      // Calls deep down are many and varied: there `decodeURIComponent(value)` must not pass for a `decode*` check.
      if (deep && /^decodeURI/.test(match[0])) continue;
      if (mentions.test(callArguments(text, match.index + match[0].length))) return true;
    }
  }
  return false;
}

/** The text of a call's arguments, from the match's `(` (after type arguments such as `<T, any>`) to the matching `)`, at most 300 characters. */
function callArguments(text: string, start: number): string {
  let open = start;
  if (text[start - 1] === '<') {
    open = text.indexOf('(', start);
    if (open < 0 || open > start + 120) return '';
    open += 1;
  }
  let depth = 1;
  let index = open;
  for (; index < text.length && index < open + 300 && depth > 0; index += 1) {
    const char = text[index];
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
  }
  return text.slice(open, index);
}

/** The names parameters bind (destructured ones included), their type annotations left out. */
function namesIn(source: ParsedSource, params: readonly Node[]): string[] {
  return params.flatMap((param) => [...nodeText(source, param).replace(/:[^,)=}]*/g, '').matchAll(/[A-Za-z_$][\w$]*/g)].map((match) => match[0]));
}


/** Steps over wrappers that do not change what a value is: `await`, `as`, `!`, parentheses, `req.body || {}`. */
function climb(node: Node, ancestors: readonly Node[]): { node: Node; parent: Node | undefined; index: number } {
  let current = node;
  let index = ancestors.length - 1;
  for (; index >= 0; index -= 1) {
    const parent = ancestors[index];
    if (parent === undefined) break;
    const transparent =
      parent.type === 'AwaitExpression' || parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'ParenthesizedExpression' || parent.type === 'TSSatisfiesExpression' ||
      (parent.type === 'LogicalExpression' && parent.left === current);
    if (!transparent) break;
    current = parent;
  }
  return { node: current, parent: ancestors[index], index };
}

/** The name of a call's method or function, for the detail. */
function calleeName(call: Node & { type: 'CallExpression' }): string {
  return dottedName(call.callee) ?? methodCall(call)?.method ?? 'a call';
}

interface UseSite {
  readonly use: Use;
  readonly where: string;
  readonly fields: readonly string[];
  /** When the value is handed whole to a function: the call and the argument position, to follow. */
  readonly passed?: { readonly call: Node & { type: 'CallExpression' }; readonly index: number };
}

/** How one occurrence of a value is used, from the node that holds it (after `climb`). */
function useAt(source: ParsedSource, node: Node, parent: Node | undefined, grandparent: Node | undefined, greatGrandparent?: Node): UseSite {
  if (parent === undefined) return { use: 'whole', where: 'the handler', fields: [] };
  if (parent.type === 'MemberExpression' && parent.object === node) {
    // `formData.get('lang')`, `searchParams.get('q')`: the field is the argument.
    const argument = grandparent?.type === 'CallExpression' && grandparent.callee === parent ? stringValue(grandparent.arguments[0]) : undefined;
    if (argument !== undefined) return { use: 'fields', where: nodeText(source, grandparent ?? parent).slice(0, 60), fields: [argument] };
    const key = parent.computed ? stringValue(parent.property) : parent.property.type === 'Identifier' ? parent.property.name : undefined;
    return { use: 'fields', where: nodeText(source, parent), fields: key === undefined ? [] : [key] };
  }
  if (parent.type === 'CallExpression' && parent.callee === node) return { use: 'fields', where: nodeText(source, parent).slice(0, 60), fields: [] };
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'ObjectPattern') {
    const fields = parent.id.properties.flatMap((property) => (property.type === 'Property' ? [propertyName(property) ?? ''] : []));
    const rest = parent.id.properties.some((property) => property.type === 'RestElement');
    return { use: rest ? 'whole' : 'fields', where: `destructured { ${fields.join(', ')} }`, fields };
  }
  if (parent.type === 'SpreadElement') {
    // `{ ...req.body }` written to the database, or handed on.
    const holder = grandparent?.type === 'ObjectExpression' ? grandparent : undefined;
    return { use: 'write', where: holder === undefined ? 'a spread' : `a spread into ${nodeText(source, holder).slice(0, 50)}`, fields: [] };
  }
  if (parent.type === 'Property' && parent.value === node) {
    const key = propertyName(parent);
    if (key !== undefined && WRITE_KEYS.has(key)) return { use: 'write', where: `${key}: ${nodeText(source, node).slice(0, 40)}`, fields: [] };
    if (key !== undefined && FILTER_KEYS.has(key)) return { use: 'filter', where: `${key}: ${nodeText(source, node).slice(0, 40)}`, fields: [] };
    // `Command.create({ dto: body })`: the object is handed on, and the value with it.
    if (grandparent?.type === 'ObjectExpression' && greatGrandparent?.type === 'CallExpression') {
      const index = greatGrandparent.arguments.findIndex((argument) => argument === grandparent);
      if (index >= 0) return { use: 'whole', where: `${calleeName(greatGrandparent)}({ ${key ?? '…'} })`, fields: [], passed: { call: greatGrandparent, index } };
    }
    return { use: 'whole', where: `${key ?? 'a property'}: …`, fields: [] };
  }
  if (parent.type === 'CallExpression') {
    const index = parent.arguments.findIndex((argument) => argument === node);
    const name = calleeName(parent);
    const method = methodCall(parent)?.method ?? name;
    if (name === 'Object.assign' || WRITE_METHODS.has(method)) return { use: 'write', where: `${name}()`, fields: [] };
    return { use: 'whole', where: `${name}()`, fields: [], passed: { call: parent, index } };
  }
  return { use: 'fields', where: nodeText(source, parent).slice(0, 60), fields: [] };
}

/** Every use of the value `name` (a variable or parameter) inside `scope`, not counting its declaration. */
function usesOf(source: ParsedSource, scope: Node, name: string): UseSite[] {
  const uses: UseSite[] = [];
  walkAst(scope, (node, ancestors) => {
    if (node.type !== 'Identifier' || node.name !== name) return undefined;
    const parent = ancestors[ancestors.length - 1];
    // Declarations, keys and properties named like the value are not uses of it.
    if (parent === undefined || (parent.type === 'VariableDeclarator' && parent.id === node) || (parent.type === 'MemberExpression' && parent.property === node && !parent.computed)) return undefined;
    if (parent.type === 'Property' && parent.key === node && !parent.shorthand) return undefined;
    if (isFunctionNode(parent) && 'params' in parent && parent.params.some((param) => param === node)) return undefined;
    const climbed = climb(node, ancestors);
    uses.push(useAt(source, climbed.node, climbed.parent, ancestors[climbed.index - 1], ancestors[climbed.index - 2]));
    return undefined;
  });
  return uses;
}

const MAX_FOLLOW = 3;

/**
 * Judges a value handed whole to `call` (argument `index`): validated inside the callee, written whole there
 * (mass assignment), used field by field, or not visible.
 */
function followPassed(ctx: Context, source: ParsedSource, call: Node & { type: 'CallExpression' }, index: number, depth: number): { validated: boolean; use: Use; where: string; fields: readonly string[] } {
  const name = calleeName(call);
  const callee = call.callee;
  const library = libraryOf(ctx, source, callee);
  if (library !== undefined) return { validated: false, use: 'library', where: `${name}() of ${library}`, fields: [] };
  const resolved =
    depth >= MAX_FOLLOW
      ? undefined
      : callee.type === 'Identifier'
        ? (importedFunction(ctx, source, callee.name) ?? resolveFunction(ctx.project, ctx.serverFiles, source, callee.name))
        : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier'
          ? findMethod(ctx, source, callee.object, callee.property.name)
          : undefined;
  if (resolved === undefined || !isFunctionNode(resolved.node) || !('params' in resolved.node)) return { validated: false, use: 'whole', where: `${name}() (not followed)`, fields: [] };
  const fn = resolved.node;
  const text = nodeText(resolved.source, fn);
  const at = `${name}() in ${resolved.source.path}`;
  const param = fn.params[index];
  if (param !== undefined && validatesName(text, namesIn(resolved.source, [param]))) return { validated: true, use: 'fields', where: at, fields: [] };
  if (param === undefined) return { validated: false, use: 'fields', where: at, fields: [] };
  const target = param.type === 'AssignmentPattern' ? param.left : param;
  if (target.type === 'ObjectPattern') {
    const fields = target.properties.flatMap((property) => (property.type === 'Property' ? [propertyName(property) ?? ''] : []));
    return { validated: guardsEveryField(text, fields), use: 'fields', where: `${at} (destructured)`, fields };
  }
  if (target.type !== 'Identifier') return { validated: false, use: 'whole', where: at, fields: [] };
  return judgeUses(ctx, resolved.source, fn, target.name, at, depth + 1);
}

/** Datastore clients and ORMs: what they are handed is a row or a filter to run, never a message they parse themselves. */
const DATASTORE_PACKAGE =
  /^(?:pg|postgres|mysql2?|mariadb|mongodb|mongoose|redis|ioredis|knex|sequelize|typeorm|kysely|drizzle-orm|@prisma\/client|@mikro-orm\/[\w-]+|objection|better-sqlite3|sqlite3?|@libsql\/client|@planetscale\/database|@neondatabase\/serverless|@vercel\/postgres|@vercel\/kv|@upstash\/redis|@supabase\/supabase-js|firebase-admin|@google-cloud\/firestore|@aws-sdk\/(?:client|lib)-dynamodb|dynamoose|@elastic\/elasticsearch|meilisearch|typesense|cassandra-driver|neo4j-driver)$/;

/** The npm package a bare specifier names (`@scope/pkg/sub` → `@scope/pkg`); undefined for relative paths, aliases and built-ins. */
function packageNameOf(specifier: string): string | undefined {
  if (/^(?:\.|\/|[@~#]\/|node:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length > 1 ? parts.slice(0, 2).join('/') : undefined) : parts[0];
}

/** The third-party dependency (not a workspace package, not a datastore client) that `local` is imported from in `source`. */
function importedLibrary(ctx: Context, source: ParsedSource, local: string): string | undefined {
  for (const statement of source.program.body) {
    if (statement.type !== 'ImportDeclaration' || !statement.specifiers.some((specifier) => specifier.local.name === local)) continue;
    const name = packageNameOf(statement.source.value);
    if (name === undefined || DATASTORE_PACKAGE.test(name) || ctx.project.packages().some((pkg) => pkg.manifest.name === name)) return undefined;
    return ctx.scope.members.some((member) => member.allDependencies.has(name)) ? name : undefined;
  }
  return undefined;
}

/** The identifier an expression is built from: `new Transport(…)` → Transport, `await sdk.client()` → sdk, `stripe.customers` → stripe. */
function rootIdentifier(node: Node): string | undefined {
  if (node.type === 'AwaitExpression') return rootIdentifier(node.argument);
  if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'ParenthesizedExpression') return rootIdentifier(node.expression);
  if (node.type === 'NewExpression' || node.type === 'CallExpression') return rootIdentifier(node.callee);
  if (node.type === 'MemberExpression') return rootIdentifier(node.object);
  return node.type === 'Identifier' ? node.name : undefined;
}

/**
 * The third-party library a call goes to: a function imported from it (`trackDownload(body)`), or a method of an
 * object it provides (`transport.handleRequest(req, res, body)` where `transport = new StreamableHTTPServerTransport()`
 * from the MCP SDK). Every declaration of the receiver in the file must be built from the library.
 */
function libraryOf(ctx: Context, source: ParsedSource, callee: Node): string | undefined {
  const root = rootIdentifier(callee);
  if (root === undefined) return undefined;
  const direct = importedLibrary(ctx, source, root);
  if (direct !== undefined || callee.type === 'Identifier') return direct;
  const libraries: Array<string | undefined> = [];
  walkAst(source.program, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === root) {
      const built = node.init === null ? undefined : rootIdentifier(node.init);
      libraries.push(built === undefined || built === root ? undefined : importedLibrary(ctx, source, built));
    }
    return undefined;
  });
  const [first] = libraries;
  return first !== undefined && libraries.every((library) => library === first) ? first : undefined;
}

const USE_RANK: Record<Use, number> = { library: 0, fields: 1, whole: 2, filter: 3, write: 4 };

/** The worst use of `name` in `scope`, following it into the functions it is handed to. */
function judgeUses(ctx: Context, source: ParsedSource, scope: Node, name: string, at: string, depth: number): { validated: boolean; use: Use; where: string; fields: readonly string[] } {
  const text = nodeText(source, scope);
  const uses = usesOf(source, scope, name);
  let worst: { use: Use; where: string } | undefined;
  const fields: string[] = [];
  for (const site of uses) {
    fields.push(...site.fields);
    let judged: { use: Use; where: string } = { use: site.use, where: site.where };
    if (site.passed !== undefined) {
      const followed = followPassed(ctx, source, site.passed.call, site.passed.index, depth);
      if (followed.validated) return { validated: true, use: 'fields', where: followed.where, fields: [] };
      judged = { use: followed.use, where: followed.where };
    }
    if (worst === undefined || USE_RANK[judged.use] > USE_RANK[worst.use]) worst = judged;
  }
  return { validated: guardsEveryField(text, fields), use: worst?.use ?? 'fields', where: worst?.where ?? at, fields };
}

/** Manual validation: every field read is checked with `typeof`, `Array.isArray`, `Number.isInteger`/`isFinite` or an `isX(field)` validator. */
function guardsEveryField(text: string, fields: readonly string[]): boolean {
  const named = fields.filter((field) => /^[A-Za-z_$][\w$]*$/.test(field));
  if (named.length === 0) return false;
  return named.every((field) =>
    new RegExp(`typeof\\s+(?:[\\w$]+\\.)?${field}\\b|\\.(?:includes|has)\\(\\s*${field}\\b|\\.(?:find|some|every|filter)\\(\\s*\\(?\\s*[\\w$]+\\s*\\)?\\s*=>\\s*[\\w$.]+\\s*===\\s*${field}\\b|['"\`]\\s*[=!]==\\s*${field}\\b|\\b${field}\\s*[=!]==\\s*['"\`]|Array\\.isArray\\(\\s*(?:[\\w$]+\\.)?${field}\\b|Number\\.is(?:Integer|Finite|SafeInteger)\\(\\s*(?:[\\w$]+\\.)?${field}\\b|\\bis[A-Z]\\w*\\(\\s*(?:[\\w$]+\\.)?${field}\\b`).test(text),
  );
}

/** The read expressions of a handler: `req.body`, `ctx.request.body`, `c.req.json()`, `request.formData()`, Next's `{ params }`, destructured `({ body })`. */
function findReads(ctx: Context, handler: Handler, koa: boolean): Read[] {
  const fn = handler.node;
  const source = handler.source;
  if (!isFunctionNode(fn) || !('params' in fn)) return [];
  const reads: Read[] = [];
  const add = (kind: InputKind, text: string, judged: { use: Use; where: string; fields: readonly string[] }): void => {
    reads.push({ kind, text, use: judged.use, where: judged.where, fields: judged.fields });
  };
  const requestNames = new Set<string>();
  const contextNames = new Set<string>();
  const first = fn.params[0];
  const firstTarget = first === undefined ? undefined : first.type === 'AssignmentPattern' ? first.left : first;
  if (firstTarget?.type === 'Identifier') {
    if (/^(?:c|ctx|context)$/.test(firstTarget.name)) contextNames.add(firstTarget.name);
    else requestNames.add(firstTarget.name);
  }
  // Destructured arguments: `({ body, query, params })` (Fastify/Next-style), `({ request, params })` (Remix), Next's second `{ params }`.
  fn.params.forEach((param, position) => {
    const target = param.type === 'AssignmentPattern' ? param.left : param;
    if (target.type !== 'ObjectPattern') return;
    for (const property of target.properties) {
      if (property.type !== 'Property') continue;
      const key = propertyName(property);
      const local = property.value.type === 'Identifier' ? property.value.name : undefined;
      if (key === 'request' && local !== undefined) requestNames.add(local);
      if ((key === 'body' || key === 'query' || key === 'params') && local !== undefined && (position === 0 || key === 'params')) {
        add(key, key, judgeUses(ctx, source, fn, local, key, 0));
      }
    }
  });
  const second = fn.params[1];
  if (second?.type === 'Identifier' && /^(?:context|ctx|props|segmentData)$/.test(second.name) && requestNames.size > 0) contextNames.add(`${second.name}#params`);

  walkAst(fn, (node, ancestors) => {
    let kind: InputKind | undefined;
    let readNode: Node = node;
    if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
      const object = dottedName(node.object);
      const property = node.property.name;
      if (object !== undefined && requestNames.has(object)) {
        if (property === 'body' && !koa) kind = 'body';
        if (property === 'query') kind = 'query';
        if (property === 'params') kind = 'params';
        if (property === 'headers' || property === 'cookies') kind = 'headers';
      }
      if (object !== undefined && requestNames.has(object.replace(/\.nextUrl$/, '')) && object.endsWith('.nextUrl') && property === 'searchParams') kind = 'query';
      const root = object?.split('.')[0];
      if (root !== undefined && contextNames.has(root)) {
        if (object === `${root}.request` && property === 'body') kind = 'body';
        if ((object === root || object === `${root}.request`) && (property === 'query' || property === 'params')) kind = property;
      }
      if (root !== undefined && contextNames.has(`${root}#params`) && object === root && property === 'params') kind = 'params';
      // Koa assignments (`ctx.body = …`) are the response, never a read.
      const parent = ancestors[ancestors.length - 1];
      if (kind !== undefined && parent?.type === 'AssignmentExpression' && parent.left === node) kind = undefined;
    } else if (node.type === 'NewExpression' && dottedName(node.callee) === 'URL') {
      // `new URL(request.url).searchParams`: the query string.
      const url = node.arguments[0];
      const object = url !== undefined && url.type === 'MemberExpression' ? dottedName(url.object) : undefined;
      if (object !== undefined && requestNames.has(object) && url?.type === 'MemberExpression' && url.property.type === 'Identifier' && url.property.name === 'url') kind = 'query';
    } else if (node.type === 'CallExpression') {
      const call = methodCall(node);
      const receiver = call === undefined ? undefined : dottedName(call.object);
      if (call !== undefined && receiver !== undefined) {
        const root = receiver.split('.')[0] ?? '';
        const isHonoRequest = contextNames.has(root) && receiver === `${root}.req`;
        const isRequest = requestNames.has(receiver) || isHonoRequest;
        if (isRequest && ['json', 'formData', 'text', 'parseBody', 'arrayBuffer'].includes(call.method)) kind = 'body';
        if (isHonoRequest && (call.method === 'query' || call.method === 'queries')) kind = 'query';
        if (isHonoRequest && call.method === 'param') kind = 'params';
        if (isHonoRequest && call.method === 'header') kind = 'headers';
        if (isHonoRequest && call.method === 'valid') return false;
      }
      readNode = node;
    }
    if (kind === undefined) return undefined;
    const climbed = climb(readNode, ancestors);
    const site = useAt(source, climbed.node, climbed.parent, ancestors[climbed.index - 1], ancestors[climbed.index - 2]);
    let judged: { use: Use; where: string; fields: readonly string[] } = site;
    if (climbed.parent?.type === 'VariableDeclarator' && climbed.parent.id.type === 'Identifier') {
      // `const body = await request.json()`: how the variable is used.
      const variable = judgeUses(ctx, source, fn, climbed.parent.id.name, site.where, 0);
      if (variable.validated) return false;
      judged = variable;
    } else if (site.passed !== undefined) {
      const followed = followPassed(ctx, source, site.passed.call, site.passed.index, 0);
      if (followed.validated) return false;
      judged = followed;
    }
    add(kind, nodeText(source, readNode).slice(0, 40), judged);
    return false;
  });
  return reads;
}

/** A decorator's name and its call arguments (`@Body('email')` → Body, ['email']). */
function decoratorOf(node: Node): { name: string; args: readonly Node[] } | undefined {
  if (node.type !== 'Decorator') return undefined;
  const expression = node.expression;
  const name = dottedName(expression.type === 'CallExpression' ? expression.callee : expression);
  return name === undefined ? undefined : { name, args: expression.type === 'CallExpression' ? expression.arguments : [] };
}

/** The class name a parameter is typed with, if any (`dto: CreateUserDto` → CreateUserDto). */
function typeName(source: ParsedSource, param: Node): string | undefined {
  const annotation = 'typeAnnotation' in param && param.typeAnnotation !== null && param.typeAnnotation !== undefined ? param.typeAnnotation : undefined;
  const text = annotation === undefined ? '' : nodeText(source, annotation).replace(/^:\s*/, '').trim();
  return /^[A-Z][\w$]*$/.test(text) ? text : undefined;
}

/** True when the type is declared as an interface or type alias somewhere in the scope: no class for a ValidationPipe to read. */
function isShapeType(ctx: Context, name: string): boolean {
  const cached = ctx.shapeTypes.get(name);
  if (cached !== undefined) return cached;
  // Only files that name the type at all are searched: the regexes over every file of a large scope cost more than the rest of the rule.
  const naming = filesNaming(ctx.project, ctx.scope.files, name);
  const found = findText(ctx.project, naming, new RegExp(`\\b(?:interface|type)\\s+${name}\\b`)) !== undefined && findText(ctx.project, naming, new RegExp(`\\bclass\\s+${name}\\b`)) === undefined;
  ctx.shapeTypes.set(name, found);
  return found;
}

/**
 * Reads of a decorator route's method: `@Body() dto: CreateDto`, `@Param('id') id`, `@Query() q`. A class-typed
 * parameter is validated by Nest's ValidationPipe (global, `@UsePipes`, or on the parameter), by routing-controllers
 * (validation on unless `validation: false`), and by tsoa (its generated routes check every parameter's type).
 */
function decoratorReads(ctx: Context, route: RouteDefinition, handler: Handler): Read[] {
  const fn = handler.node;
  if (!isFunctionNode(fn) || !('params' in fn)) return [];
  if (route.decoratorLibrary === 'tsoa') return [];
  const source = handler.source;
  const methodText = nodeText(source, fn);
  const reads: Read[] = [];
  for (const param of fn.params) {
    const decorators = 'decorators' in param && Array.isArray(param.decorators) ? param.decorators : [];
    for (const decorator of decorators) {
      const call = decoratorOf(decorator);
      const kind = call === undefined ? undefined : DECORATOR_KIND.get(call.name);
      if (call === undefined || kind === undefined) continue;
      const type = typeName(source, param);
      const pipeOnParam = call.args.some((argument) => /Pipe\b|pipe/i.test(nodeText(source, argument)));
      const validates =
        route.decoratorLibrary === 'routing-controllers'
          ? ctx.routingControllersValidation && type !== undefined && !isShapeType(ctx, type)
          : pipeOnParam || ((ctx.nestGlobalPipe || /@UsePipes\s*\(/.test(source.text)) && type !== undefined && !isShapeType(ctx, type));
      if (validates || VALIDATION_CALL.test(methodText)) continue;
      const field = stringValue(call.args[0]);
      const target = param.type === 'AssignmentPattern' ? param.left : param;
      const name = target.type === 'Identifier' ? target.name : undefined;
      const judged = field !== undefined || name === undefined ? { validated: false, use: 'fields' as Use, where: `@${call.name}('${field ?? ''}')`, fields: field === undefined ? [] : [field] } : judgeUses(ctx, source, fn, name, `@${call.name}()`, 0);
      if (judged.validated) continue;
      reads.push({ kind, text: `@${call.name}(${field === undefined ? '' : `'${field}'`})`, use: field !== undefined ? 'fields' : judged.use, where: judged.where, fields: judged.fields });
    }
  }
  return reads;
}

function hasSchemaOption(node: Node): boolean {
  return node.type === 'ObjectExpression' && node.properties.some((property) => property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === 'schema');
}

/**
 * How much an unvalidated read matters, as a senior reviewer would weigh it: a whole body written to the
 * database (mass assignment) or a whole query used as a filter (operator injection) is high; body fields used
 * one by one are medium (wrong types and sizes reach the code); ids and strings from the path, query or headers
 * handed to a parameterising ORM are low.
 */
function severityOf(read: Read): Severity {
  if (read.use === 'write' || read.use === 'filter') return 'high';
  if (read.use === 'library') return 'low';
  if (read.kind === 'body') return 'medium';
  return 'low';
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

function checkRoute(ctx: Context, route: RouteDefinition): Read[] {
  const source = ctx.project.parseSource(route.file);
  if (source === undefined || route.handlers.length === 0) return [];
  const final = route.handlers[route.handlers.length - 1];
  if (final === undefined) return [];
  const before = route.handlers.slice(0, -1);
  // Fastify: `app.post('/x', { schema }, handler)` or `route({ schema, handler })`.
  if (before.some(hasSchemaOption)) return [];
  if (route.style === 'route-object' && /\bschema\s*:/.test(source.text)) return [];
  if (before.some((node) => VALIDATOR_MIDDLEWARE.test(dottedName(node.type === 'CallExpression' ? node.callee : node) ?? nodeText(source, node)))) return [];
  const handlers = resolveHandlers(ctx, source, final);
  // A handler we cannot see (built at runtime): say nothing rather than guess.
  if (handlers === undefined) return [];
  const reads: Read[] = [];
  for (const handler of handlers) {
    if (route.style === 'nest-decorator' || route.style === 'controller-decorator') {
      const found = decoratorReads(ctx, route, handler);
      if (found.length > 0 && validatesDownstream(ctx, handler, found)) continue;
      reads.push(...found);
      continue;
    }
    const text = nodeText(handler.source, handler.node);
    if (VALIDATION_CALL.test(text) || VERIFICATION_CALL.test(text)) continue;
    const found = findReads(ctx, handler, route.framework === 'koa');
    // Manual checks count when every field the handler reads is type-checked.
    const fields = found.flatMap((read) => read.fields);
    if (found.length > 0 && found.every((read) => read.use === 'fields') && guardsEveryField(text, fields)) continue;
    if (found.length > 0 && validatesDownstream(ctx, handler, found)) continue;
    reads.push(...found);
  }
  return reads;
}

/**
 * True when the handler hands what it read to project code that validates: a command or use case built with
 * `XCommand.create({ … })` whose base class runs class-validator, a service whose method parses with zod. The
 * values are followed by name (the fields and variables the reads produced, the handler's parameters).
 */
function validatesDownstream(ctx: Context, handler: Handler, reads: readonly Read[]): boolean {
  const fn = handler.node;
  if (!isFunctionNode(fn) || !('params' in fn)) return false;
  // The fields read, the variables the reads were stored in, and the decorated parameters: not `req` itself, which auth helpers take.
  const tokens = new Set<string>(reads.flatMap((read) => read.fields));
  const readTexts = reads.map((read) => read.text).filter((text) => !text.startsWith('@'));
  for (const param of fn.params) {
    const decorated = 'decorators' in param && Array.isArray(param.decorators) && param.decorators.length > 0;
    const target = param.type === 'AssignmentPattern' ? param.left : param;
    if (decorated && target.type === 'Identifier') tokens.add(target.name);
  }
  // Variables holding what a call returned for the input (`const event = await getEvent(c.req.param('id'))`) are
  // looked for in the first callee, as before, but never followed further: they hold the app's data, not the client's.
  const results = new Set<string>();
  walkAst(fn, (node) => {
    if (node.type === 'VariableDeclarator' && node.init !== null && readTexts.some((text) => nodeText(handler.source, node.init ?? node).includes(text))) {
      const value = unwrapValue(node.init);
      const isResult = (value.type === 'CallExpression' || value.type === 'NewExpression') && !readTexts.includes(nodeText(handler.source, value).slice(0, 40));
      for (const match of nodeText(handler.source, node.id).matchAll(/[A-Za-z_$][\w$]*/g)) (isResult ? results : tokens).add(match[0]);
    }
    return undefined;
  });
  if (tokens.size === 0 && results.size === 0) return false;
  return passesToValidation(ctx, handler.source, fn, new Set([...tokens, ...results]), tokens, 0, { followed: 0, seen: new Set([fn]) });
}

/** A value without the wrappers that do not change it: `await`, `as`, `!`, parentheses. */
function unwrapValue(node: Node): Node {
  if (node.type === 'AwaitExpression') return unwrapValue(node.argument);
  if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'ParenthesizedExpression' || node.type === 'TSSatisfiesExpression') return unwrapValue(node.expression);
  return node;
}

/** How far `passesToValidation` follows a value: calls deep, and calls resolved in all for one route. */
const MAX_DOWNSTREAM_DEPTH = 3;
const MAX_DOWNSTREAM_CALLS = 24;

function mentionsAny(names: ReadonlySet<string>): RegExp {
  return new RegExp(`\\b(?:${[...names].map((name) => name.replace(/\$/g, '\\$')).join('|')})\\b`);
}

/**
 * `names` and the variables built from them in `fn` (`const updated = { ...link, tags: newData.tags }`): a value
 * handed on inside a new object or array is still the client's.
 */
function derivedNames(source: ParsedSource, fn: Node, names: ReadonlySet<string>): Set<string> {
  const all = new Set(names);
  for (let pass = 0; pass < 2; pass += 1) {
    const mentions = mentionsAny(all);
    walkAst(fn, (node) => {
      // A call's result is the callee's data (a row looked up by the value), not the value itself.
      const value = node.type === 'VariableDeclarator' && node.init !== null ? unwrapValue(node.init) : undefined;
      if (node.type === 'VariableDeclarator' && value !== undefined && value.type !== 'CallExpression' && value.type !== 'NewExpression' && mentions.test(nodeText(source, value))) {
        for (const match of nodeText(source, node.id).replace(/:[^,}=]*/g, '').matchAll(/[A-Za-z_$][\w$]*/g)) all.add(match[0]);
      }
      return undefined;
    });
  }
  return all;
}

/**
 * True when `fn` hands a value named in `names` to project code that validates it: a service whose method parses
 * it with zod, or, up to MAX_DOWNSTREAM_DEPTH calls deep, a controller that passes it (or an object built from it)
 * on to one that does (linkwarden's `updateLinks` → `updateLinkById`, which runs `UpdateLinkSchema.safeParse`).
 * Calls resolve through imports and names in the server's files, never into front-end code or a library.
 */
function passesToValidation(ctx: Context, source: ParsedSource, fn: Node, names: ReadonlySet<string>, followable: ReadonlySet<string>, depth: number, budget: { followed: number; seen: Set<Node> }): boolean {
  const mentions = mentionsAny(names);
  const follows = followable.size === 0 ? undefined : mentionsAny(followable);
  let validated = false;
  walkAst(fn, (node) => {
    if (validated || budget.followed > MAX_DOWNSTREAM_CALLS) return false;
    if (node.type !== 'CallExpression' || !node.arguments.some((argument) => mentions.test(nodeText(source, argument)))) return undefined;
    const callee = node.callee;
    const resolved =
      callee.type === 'Identifier'
        ? (importedFunction(ctx, source, callee.name) ?? resolveFunction(ctx.project, ctx.serverFiles, source, callee.name))
        : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.object.type !== 'ThisExpression'
          ? findMethod(ctx, source, callee.object, callee.property.name)
          : undefined;
    budget.followed += 1;
    // Only the parameters that receive the values count: `getSession(req, linkId)` parsing a cookie of `req` validates nothing of `linkId`.
    const target = resolved?.node;
    if (resolved === undefined || target === undefined || budget.seen.has(target) || !isFunctionNode(target) || !('params' in target)) return undefined;
    budget.seen.add(target);
    const receiving = node.arguments.flatMap((argument, index) => {
      const param = target.params[index];
      return param !== undefined && mentions.test(nodeText(source, argument)) ? [param] : [];
    });
    if (validatesName(nodeText(resolved.source, target), namesIn(resolved.source, receiving), depth > 0)) validated = true;
    else if (follows !== undefined && depth + 1 < MAX_DOWNSTREAM_DEPTH) {
      // Only a value handed on as it is (`newData`, `req.body.newData`) is followed further; an object built around it
      // at the call (`send({ teamId, data })`) is a new message whose later checks say nothing about the input.
      const passedOn = node.arguments.flatMap((argument, index) => {
        const param = target.params[index];
        const value = argument.type === 'SpreadElement' ? argument : unwrapValue(argument);
        return param !== undefined && (value.type === 'Identifier' || value.type === 'MemberExpression') && follows.test(nodeText(source, value)) ? [param] : [];
      });
      const received = derivedNames(resolved.source, target, new Set(namesIn(resolved.source, passedOn)));
      if (received.size > 0 && passesToValidation(ctx, resolved.source, target, received, received, depth + 1, budget)) validated = true;
    }
    return undefined;
  });
  return validated;
}

function describe(reads: readonly Read[]): string {
  const kinds = [...new Set(reads.map((read) => read.text))];
  return listText(kinds.slice(0, 4)) + (kinds.length > 4 ? ' and more' : '');
}

export default defineScanRule({
  id: 'security/input-validation',
  title: 'Route handlers validate their input against a schema',
  description:
    'A handler that uses req.body, query or params without a schema trusts the client: a whole body written to the ORM sets any column (mass assignment), wrong types reach the database, oversized values reach bcrypt.',
  category: 'security',
  severity: 'high',
  checklist: 'input-validation',
  docs: 'docs/rules/security/input-validation.md',
  fix: 'Parse the input at the boundary with a schema (zod `Body.parse(req.body)`, Fastify `schema: { body }`, Hono `zValidator`, Nest `ValidationPipe` + DTO classes) and write only the parsed fields.',
  options: noOptions,
  messages: {
    unvalidated: ({ method, path, reads }: Messages['unvalidated']) => `${method} ${path} uses ${reads} without validating it against a schema`,
    practice: ({ pkg, routes }: Messages['practice']) => `${routes} route handlers of ${pkg} use body fields without a schema`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const contexts = new Map<string, Context>();
    const pending: Array<{ pkg: string; input: Parameters<typeof ctx.report>[0] }> = [];
    // Only files that declare routes and read input without validating it in place are parsed.
    const candidates = serverPackagesWithCode(project)
      .flatMap((pkg) => packageFiles(project, pkg))
      .filter((file) => {
        const text = project.text(file) ?? '';
        return (isFileRoute(file) || ROUTE_HINT.test(text)) && (hasUnwrappedRead(text) || NAMED_HANDLER_ROUTE.test(text));
      });
    for (const route of routesIn(project, candidates)) {
      if (route.framework === 'unknown' && route.style !== 'controller-decorator') continue;
      const pkg = project.packageOf(route.file);
      if (pkg === undefined) continue;
      let context = contexts.get(pkg.dir);
      if (context === undefined) {
        const scope = packageScope(project, pkg);
        context = {
          project,
          scope,
          nestGlobalPipe: pkg.frameworks.includes('nestjs') && findText(project, scope.files, /useGlobalPipes\s*\([^)]*Pipe|\bAPP_PIPE\b/) !== undefined,
          routingControllersValidation: findText(project, scope.files, /\bvalidation\s*:\s*false\b/) === undefined,
          shapeTypes: new Map(),
          serverFiles: scope.files.filter((file) => !isFrontendCode(project, file)),
        };
        contexts.set(pkg.dir, context);
      }
      const reads = checkRoute(context, route);
      if (reads.length === 0) continue;
      const routePath = route.path ?? '(dynamic path)';
      const worst = reads.map(severityOf).reduce<Severity>((highest, next) => (SEVERITY_RANK[next] > SEVERITY_RANK[highest] ? next : highest), 'info');
      const decisive = reads.find((read) => severityOf(read) === worst) ?? reads[0];
      // Background jobs are called by the app's own scheduler or queue; protocol endpoints by a signer. Their payload is worth a look, not a fix now.
      const internal = isBackgroundJobPath(route.file) ? 'a background job (cron, queue, worker path) the app calls itself' : PROTOCOL_PATH.test(routePath) ? 'a webhook, SSO or report endpoint, whose sender signs or is a browser report' : undefined;
      const severity: Severity = internal !== undefined && SEVERITY_RANK[worst] > SEVERITY_RANK.low ? 'low' : worst;
      const why =
        decisive === undefined
          ? ''
          : decisive.use === 'write'
            ? `${decisive.text} reaches a database write whole (${decisive.where}): any field the client adds is written (mass assignment, high).`
            : decisive.use === 'filter'
              ? `${decisive.text} is used whole as a query filter (${decisive.where}): the client chooses the operators (high).`
              : decisive.use === 'library'
                ? `${decisive.text} is only handed whole to a third-party library (${decisive.where}), which parses its own input; nothing of it reaches the database or the app's own code (low).`
                : decisive.kind === 'body'
                ? `Body fields are used unchecked (${decisive.where}): wrong types and sizes reach the code and the database (medium).`
                : `Only path, query or header values are read (${decisive.where}); handed to a parameterising ORM they are low risk (low).`;
      const internalNote = internal === undefined ? '' : ` The route is ${internal} (low).`;
      pending.push({ pkg: pkg.displayName, input: {
        messageId: 'unvalidated',
        data: { method: route.method, path: routePath, reads: describe(reads) },
        location: { path: route.file, line: route.line, column: route.column, endLine: route.endLine, endColumn: route.endColumn },
        severity,
        detail:
          `The handler of ${route.method} ${routePath} (${route.style}, ${route.framework}${route.decoratorLibrary === undefined ? '' : `, ${route.decoratorLibrary}`}) uses ${describe(reads)}. ${why}${internalNote} Looked for a schema check in the middleware before it, in the handler and in the functions it hands the input to ` +
          '(.parse/.safeParse/.validate, validate*()/parse*() helpers, express-validator, zValidator/c.req.valid, Fastify `schema`, Nest ValidationPipe with DTO classes, routing-controllers validation, typeof checks on every field); found none.',
        key: `${route.method} ${routePath}`,
      } });
    }
    // The same medium gap on many routes of one package is one practice to change (a validation layer), not a
    // ticket per route: it is reported once at medium with the count, and each route stays listed at low.
    // Mass assignment (high) is reported route by route: each one is exploitable on its own.
    const mediumByPackage = new Map<string, number>();
    for (const { pkg, input } of pending) if (input.severity === 'medium') mediumByPackage.set(pkg, (mediumByPackage.get(pkg) ?? 0) + 1);
    for (const [pkg, count] of mediumByPackage) {
      if (count <= PRACTICE_THRESHOLD) continue;
      const routes = pending.filter((entry) => entry.pkg === pkg && entry.input.severity === 'medium');
      const first = routes[0]?.input;
      if (first === undefined) continue;
      const names = routes.slice(0, 6).map((entry) => (entry.input.key ?? '').toString());
      ctx.report({
        messageId: 'practice',
        data: { pkg, routes: count },
        ...(first.location === undefined ? {} : { location: first.location }),
        severity: 'medium',
        detail: `${count} route handlers of ${pkg} use body fields without a schema (${names.join(', ')}${count > names.length ? `, and ${count - names.length} more` : ''}); each is listed at low. One validation layer (a schema per route, parsed at the boundary) fixes them all.`,
        key: 'practice',
      });
      for (const entry of routes) pending[pending.indexOf(entry)] = { pkg, input: { ...entry.input, severity: 'low' } };
    }
    for (const { input } of pending) ctx.report(input);
  },
});
