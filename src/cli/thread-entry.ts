/**
 * What bin/cli-thread.js loads, bundled into dist/bundle/cli.js by `npm run build`: one file instead of some
 * 450 modules, because resolving and compiling them was most of a small repository's scan time (edwinhern's
 * starter: 500 → 370 ms). The CLI and the temporary-directory registry come from one module graph, so the reaper
 * that bin/cli-thread.js registers watches the same registry the rehearsal writes to.
 *
 * @example const { run, watchTempDirs } = await import('../dist/bundle/cli.js');
 */
export { run } from './main.js';
export { watchTempDirs } from '../core/temp-dirs.js';
