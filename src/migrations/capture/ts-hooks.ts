/**
 * Module hooks the capture runner registers (`module.register`) to load TypeScript migrations with the
 * scanned project's own `typescript` package: each `.ts`/`.mts` file is transpiled on its own
 * (`transpileModule`, types dropped, no type check) with an inline source map, so stack lines still point
 * into the `.ts` file. When the parent passed `fallbackFrom` (tests only: fixture projects cannot commit
 * node_modules), a bare import the project cannot resolve (`import { Table } from 'typeorm'`) is resolved
 * from there, as the runner does for the framework itself. Runs in Node's loader thread; imports only
 * Node built-ins.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface TranspileOutput {
  readonly outputText: string;
}

interface TypeScriptApi {
  transpileModule(input: string, options: { fileName: string; compilerOptions: Record<string, unknown> }): TranspileOutput;
  readonly ModuleKind: Readonly<Record<string, unknown>>;
  readonly ScriptTarget: Readonly<Record<string, unknown>>;
}

function isTypeScriptApi(value: unknown): value is TypeScriptApi {
  return typeof value === 'object' && value !== null && 'transpileModule' in value && typeof value.transpileModule === 'function' && 'ModuleKind' in value && 'ScriptTarget' in value;
}

let typescript: TypeScriptApi | undefined;
let fallbackParent: string | undefined;

// `.cts` is left alone: Node 20 ignores a load hook's source for CommonJS.
const TS_FILE = /\.m?ts$/;

/**
 * Receives, from `module.register(…, { data })`, the resolved path of the project's `typescript` (for
 * TypeScript migrations) and the tests' `fallbackFrom`.
 */
export function initialize(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  if ('fallbackFrom' in data && typeof data.fallbackFrom === 'string') fallbackParent = pathToFileURL(data.fallbackFrom).href;
  const file = 'typescript' in data && typeof data.typescript === 'string' ? data.typescript : undefined;
  if (file === undefined) return;
  const loaded: unknown = createRequire(file)(file);
  if (isTypeScriptApi(loaded)) typescript = loaded;
}

function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
}

interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}

/**
 * TypeScript sources import siblings without an extension or with `.js`: try the `.ts` file too. A bare
 * specifier the project cannot resolve is retried from `fallbackFrom` when the tests set it.
 */
export async function resolve(specifier: string, context: unknown, next: (specifier: string, context: unknown) => Promise<ResolveResult>): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (fallbackParent !== undefined && isBareSpecifier(specifier)) {
      const base = typeof context === 'object' && context !== null ? context : {};
      return next(specifier, { ...base, parentURL: fallbackParent });
    }
    if (!specifier.startsWith('.')) throw error;
    const candidates = /\.js$/.test(specifier) ? [specifier.replace(/\.js$/, '.ts')] : [`${specifier}.ts`, `${specifier}/index.ts`];
    for (const candidate of candidates) {
      try {
        return await next(candidate, context);
      } catch {
        // Try the next spelling; the original error is rethrown below.
      }
    }
    throw error;
  }
}

interface LoadResult {
  readonly format?: string | null;
  readonly source?: string | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}

export async function load(url: string, context: unknown, next: (url: string, context: unknown) => Promise<LoadResult>): Promise<LoadResult> {
  if (typescript === undefined || !url.startsWith('file:') || !TS_FILE.test(url)) return next(url, context);
  const fileName = fileURLToPath(url);
  const output = typescript.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: typescript.ModuleKind['ESNext'],
      target: typescript.ScriptTarget['ES2022'],
      esModuleInterop: true,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
