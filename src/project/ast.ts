import { visitorKeys, type CallExpression, type Expression, type Node, type ObjectExpression } from 'oxc-parser';
import { focusFile, isHiddenFile, tick } from '../core/file-budget.js';

/** The file each parsed program came from, so a walk charges its time to that file (see core/file-budget.ts). */
const programFiles = new WeakMap<object, string>();

/**
 * Records which file `program` was parsed from; `Project.parseSource` calls it for every tree it makes.
 *
 * @example rememberProgramFile(result.program, 'src/app.ts')
 */
export function rememberProgramFile(program: object, file: string): void {
  programFiles.set(program, file);
}

/** Narrows an unknown value (an AST child slot) to an oxc node. */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && 'start' in value;
}

/**
 * Depth-first walk over every node, with its ancestors (nearest last). Returning `false` from
 * `enter` skips the node's children.
 *
 * @example walkAst(program, (node) => { if (node.type === 'CallExpression') calls.push(node); });
 */
export function walkAst(root: Node, enter: (node: Node, ancestors: readonly Node[]) => boolean | void): void {
  const file = programFiles.get(root);
  if (file !== undefined) {
    // A file the running rule ran out of time on is not walked again (the rule is re-run without it).
    if (isHiddenFile(file)) return;
    focusFile(file);
  }
  const ancestors: Node[] = [];
  const visit = (node: Node): void => {
    tick();
    if (enter(node, ancestors) === false) return;
    const keys = visitorKeys[node.type];
    if (keys === undefined) return;
    ancestors.push(node);
    // Child slots come from oxc's visitor keys: iterating every property would be twice as slow.
    for (const key of keys) {
      const value: unknown = Reflect.get(node, key);
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) {
        visit(value);
      }
    }
    ancestors.pop();
  };
  visit(root);
}

/** The value of a string literal or a template literal without substitutions. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `a.b.c` for member chains of identifiers (and `this`), else undefined. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'MemberExpression' && !node.computed) {
    const object = dottedName(node.object);
    const property = node.property.type === 'Identifier' ? node.property.name : undefined;
    return object !== undefined && property !== undefined ? `${object}.${property}` : undefined;
  }
  if (node.type === 'MemberExpression' && node.computed) {
    const object = dottedName(node.object);
    const property = stringValue(node.property);
    return object !== undefined && property !== undefined ? `${object}.${property}` : undefined;
  }
  if (node.type === 'ParenthesizedExpression') return dottedName(node.expression);
  if (node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression') return dottedName(node.expression);
  return undefined;
}

/** For `x.y.get(...)`: the method name (`get`) and the receiver expression (`x.y`). */
export function methodCall(call: CallExpression): { object: Expression; method: string } | undefined {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression') return undefined;
  const method = callee.computed ? stringValue(callee.property) : callee.property.type === 'Identifier' ? callee.property.name : undefined;
  return method === undefined ? undefined : { object: callee.object, method };
}

/** The innermost call at the root of a chain such as `app.route('/x').get(h).post(h)`. */
export function chainRoot(call: CallExpression): CallExpression {
  let current = call;
  while (current.callee.type === 'MemberExpression' && current.callee.object.type === 'CallExpression') {
    current = current.callee.object;
  }
  return current;
}

/** The static name of an object property (`a: 1`, `'a': 1`), or undefined for computed keys and spreads. */
export function propertyName(node: Node): string | undefined {
  if (node.type !== 'Property' || node.computed) return undefined;
  return node.key.type === 'Identifier' ? node.key.name : stringValue(node.key);
}

/** The value of the property called `name` in an object literal, if written out statically. */
export function objectProperty(object: ObjectExpression, name: string): Expression | undefined {
  for (const property of object.properties) {
    if (property.type === 'Property' && propertyName(property) === name) return property.value;
  }
  return undefined;
}
