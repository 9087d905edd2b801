import type { Project } from './project.js';

/** One nginx directive (`server_tokens off;`) or block (`server { … }`) with its 1-based line. */
export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  /** Children of a block directive; undefined for simple directives. */
  readonly block: readonly NginxDirective[] | undefined;
}

export interface NginxConfig {
  readonly path: string;
  readonly directives: readonly NginxDirective[];
}

interface Token {
  readonly text: string;
  readonly line: number;
  readonly quoted: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '\n') {
      line += 1;
      index += 1;
    } else if (/\s/.test(char)) {
      index += 1;
    } else if (char === '#') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '{' || char === '}' || char === ';') {
      tokens.push({ text: char, line, quoted: false });
      index += 1;
    } else if (char === '"' || char === "'") {
      const start = line;
      let value = '';
      index += 1;
      while (index < text.length && text[index] !== char) {
        if (text[index] === '\\' && index + 1 < text.length) {
          value += text[index + 1] ?? '';
          index += 2;
          continue;
        }
        if (text[index] === '\n') line += 1;
        value += text[index] ?? '';
        index += 1;
      }
      index += 1;
      tokens.push({ text: value, line: start, quoted: true });
    } else {
      let value = '';
      // `${DOMAIN}` (envsubst templates) and `$var` stay inside one word.
      while (index < text.length && !/[\s;{}]/.test(text[index] ?? '') || (text[index] === '{' && text[index - 1] === '$')) {
        if (text[index] === '{' && text[index - 1] === '$') {
          const close = text.indexOf('}', index);
          const end = close < 0 ? text.length : close + 1;
          value += text.slice(index, end);
          index = end;
          continue;
        }
        value += text[index] ?? '';
        index += 1;
      }
      tokens.push({ text: value, line, quoted: false });
    }
  }
  return tokens;
}

/**
 * Parses nginx configuration into directives with lines; tolerant of errors (an unclosed block ends at
 * the end of the file), since a scan must not fail on a half-written config.
 *
 * @example parseNginx('nginx.conf', 'http { server_tokens off; }').directives[0]?.block?.[0]?.name // 'server_tokens'
 */
export function parseNginx(path: string, text: string): NginxConfig {
  const tokens = tokenize(text);
  let position = 0;
  const parseBlock = (): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    while (position < tokens.length) {
      const token = tokens[position];
      if (token === undefined) break;
      if (token.text === '}' && !token.quoted) {
        position += 1;
        return directives;
      }
      if ((token.text === ';' || token.text === '{') && !token.quoted) {
        position += 1;
        continue;
      }
      const name = token.text;
      const line = token.line;
      const args: string[] = [];
      position += 1;
      let block: NginxDirective[] | undefined;
      while (position < tokens.length) {
        const next = tokens[position];
        if (next === undefined) break;
        if (!next.quoted && next.text === ';') {
          position += 1;
          break;
        }
        if (!next.quoted && next.text === '{') {
          position += 1;
          block = parseBlock();
          break;
        }
        if (!next.quoted && next.text === '}') break;
        args.push(next.text);
        position += 1;
      }
      directives.push({ name, args, line, block });
    }
    return directives;
  };
  return { path, directives: parseBlock() };
}

/** Every directive named `name` at any depth, with the chain of enclosing block names. */
export function findDirectives(directives: readonly NginxDirective[], name: string, parents: readonly string[] = []): Array<{ directive: NginxDirective; parents: readonly string[] }> {
  const found: Array<{ directive: NginxDirective; parents: readonly string[] }> = [];
  for (const directive of directives) {
    if (directive.name === name) found.push({ directive, parents });
    if (directive.block !== undefined) found.push(...findDirectives(directive.block, name, [...parents, directive.name]));
  }
  return found;
}

const NGINX_PATH = /(?:^|\/)nginx[^/]*(?:\/.*)?\.conf(?:\.template)?$|(?:^|\/)nginx\.conf(?:\.template)?$|(?:^|\/)(?:conf\.d|sites-(?:available|enabled)|nginx)\/[^/]+$/i;
const NGINX_HINT = /\b(?:server|http|location|upstream)\s*(?:[^\s{;]+\s*)?\{/;

const cache = new WeakMap<Project, readonly NginxConfig[]>();

/**
 * nginx configuration files in the repository: `nginx.conf`, files under nginx folders, `conf.d/`,
 * `sites-available/` (also `.template` files the official image renders), that contain blocks.
 *
 * @example for (const config of nginxConfigs(project)) findDirectives(config.directives, 'server');
 */
export function nginxConfigs(project: Project): readonly NginxConfig[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const configs: NginxConfig[] = [];
  for (const file of project.files) {
    if (!NGINX_PATH.test(file.path) && !/\.conf(?:\.template)?$/i.test(file.path)) continue;
    const text = project.text(file.path);
    if (text === undefined || !NGINX_HINT.test(text)) continue;
    if (!NGINX_PATH.test(file.path) && !/\b(?:proxy_pass|listen|server_name|root)\b/.test(text)) continue;
    configs.push(parseNginx(file.path, text));
  }
  cache.set(project, configs);
  return configs;
}
