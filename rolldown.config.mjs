// Bundles the CLI into dist/bundle/ after tsc (see src/cli/thread-entry.ts for why). playwright-core (loaded only for
// smoke flows with browser steps) and native and WebAssembly
// packages stay external: they locate their binaries relative to their own files. The capture runner and its module
// hooks are entries of their own: they are started by path, as siblings of the module that starts them
// (src/migrations/capture/index.ts).
export default {
  input: { cli: 'dist/cli/thread-entry.js', runner: 'dist/migrations/capture/runner.js', 'ts-hooks': 'dist/migrations/capture/ts-hooks.js' },
  platform: 'node',
  external: [/^playwright-core(?:\/|$)/, /^oxc-parser(?:\/|$)/, /^@oxc-parser\//, /^libpg-query(?:\/|$)/, /^@electric-sql\//, /^pg(?:\/|$)/],
  output: { dir: 'dist/bundle', cleanDir: true, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
};
