#!/usr/bin/env node
// The only file that touches the process: argv in, output and exit code out.
import module from 'node:module';

// Node 22.1+ keeps compiled code in the OS temp directory between runs (as tsc does): a faster start for
// a CLI that runs often. Older Node versions lack the function and start as before.
module.enableCompileCache?.();
const { run } = await import('../dist/cli/main.js');

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
