#!/usr/bin/env node
// The only file that touches the process: argv in, output and exit code out.
import { spawn } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps compiled code in the OS temp directory between runs (as tsc does): a faster start for
// a CLI that runs often. Older Node versions lack the function and start as before.
module.enableCompileCache?.();

const [{ run }, { watchTempDirs }] = await Promise.all([import('../dist/cli/main.js'), import('../dist/core/temp-dirs.js')]);

// A rehearsal's temporary PGlite directory can hold gigabytes. If this process dies first (Ctrl-C during
// a long query that blocks the event loop, a CI timeout, the OOM killer), a detached reaper removes it.
const reaper = fileURLToPath(new URL('../dist/cli/reaper.js', import.meta.url));
watchTempDirs((dir) => spawn(process.execPath, [reaper, String(process.pid), dir], { detached: true, stdio: 'ignore' }).unref());

let progressShown = false;
const result = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  progress: (line) => {
    progressShown = true;
    process.stderr.write(`\r\x1b[2K${line}`);
  },
  now: () => new Date(),
});
// Clear the progress line so the report starts on a clean line.
if (progressShown) process.stderr.write('\r\x1b[2K');
if (result.stdout !== '') process.stdout.write(result.stdout);
if (result.stderr !== '') process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
