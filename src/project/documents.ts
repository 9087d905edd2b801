import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Note } from '../core/report.js';

/** A YAML file parsed with positions, so rules can point at the exact line of a key or value. */
export interface YamlFile {
  readonly path: string;
  readonly document: Document.Parsed;
  /** 1-based line of a YAML node (its start), or undefined when it has no range. */
  lineOf(node: YamlNode | null | undefined): number | undefined;
}

export function parseYamlFile(file: string, text: string, notes: Note[]): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const position = first?.linePos?.[0];
    notes.push({
      kind: 'parse-error',
      path: file,
      message: `invalid YAML${position === undefined ? '' : ` at line ${position.line}`}: ${first?.message.split('\n')[0] ?? 'parse error'}; file ignored`,
    });
    return undefined;
  }
  return {
    path: file,
    document,
    lineOf(node) {
      const start = node?.range?.[0];
      return start === undefined ? undefined : lineCounter.linePos(start).line;
    },
  };
}

/** The entries of a YAML mapping as `[key, value node]`, with string keys only. */
export function mapEntries(node: unknown): Array<[string, YamlNode | null, YamlNode | null]> {
  if (!isMap(node)) return [];
  const entries: Array<[string, YamlNode | null, YamlNode | null]> = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key !== 'string') continue;
    const keyNode = isScalar(pair.key) ? pair.key : null;
    const value = pair.value;
    entries.push([key, keyNode, isMap(value) || isSeq(value) || isScalar(value) ? value : null]);
  }
  return entries;
}

/** The value node at `key` of a YAML mapping, if present. */
export function mapGet(node: unknown, key: string): YamlNode | null | undefined {
  return mapEntries(node).find(([name]) => name === key)?.[2];
}

/** A scalar's value as a string (numbers included), else undefined. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function sequenceItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

export interface DockerfileInfo {
  readonly path: string;
  readonly dockerfile: Dockerfile;
}

export function parseDockerfile(file: string, text: string): DockerfileInfo {
  // dockerfile-ast is error-tolerant: malformed instructions become unknown ones, never exceptions.
  return { path: file, dockerfile: DockerfileParser.parse(text) };
}

export interface EnvEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface EnvFile {
  readonly path: string;
  readonly entries: readonly EnvEntry[];
  /** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`: documentation, not configuration. */
  readonly isTemplate: boolean;
}

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

export function parseEnvFile(file: string, text: string): EnvFile {
  const entries: EnvEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = ENV_LINE.exec(raw);
    if (match === null || match[1] === undefined) return;
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    entries.push({ key: match[1], value, line: index + 1 });
  });
  const base = file.split('/').pop() ?? file;
  return { path: file, entries, isTemplate: /\.(?:example|sample|template|dist|defaults?)$/i.test(base) || /example|sample|template/i.test(base) };
}

export interface MarkdownHeading {
  readonly level: number;
  readonly text: string;
  readonly line: number;
}

export interface MarkdownDoc {
  readonly path: string;
  readonly headings: readonly MarkdownHeading[];
  readonly text: string;
}

/** ATX headings outside fenced code blocks; enough structure for "does a doc cover X" rules. */
export function parseMarkdown(file: string, text: string): MarkdownDoc {
  const headings: MarkdownHeading[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch?.[1] !== undefined) {
      const marker = fenceMatch[1].slice(0, 3);
      if (fence === undefined) fence = marker;
      else if (fence === marker) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const heading = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined && heading[2] !== undefined) headings.push({ level: heading[1].length, text: heading[2], line: index + 1 });
  });
  return { path: file, headings, text };
}
