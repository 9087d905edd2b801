#!/usr/bin/env node
// The only file that touches the process: argv in, output and exit code out.
import { Worker } from 'node:worker_threads';

/**
 * The work runs on a thread with a 1 GiB stack (reserved address space; only what is used is ever resident).
 * The parsers shipready uses (oxc, Postgres's, YAML's) recurse on the thread's stack: a hostile file nesting a
 * few thousand levels (caught first by src/project/nesting.ts) overflowed the main thread's 8 MB and killed the
 * process with SIGSEGV. With this stack a 1 MiB file (the default --max-file-size) parses at any nesting.
 */
const STACK_MB = 1024;

/**
 * A larger young generation than V8's default: parsing a repository allocates many short-lived trees, and with
 * the default semi-spaces the scavenger ran often enough to cost a tenth of a large scan (formbricks 2.7 s → 2.55 s).
 */
const YOUNG_GENERATION_MB = 32;

const request = {
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: { ...process.env },
  pid: process.pid,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
};

// A reader that stops early (`shipready scan . --format json | head`) closes the pipe: the output ends there,
// quietly, instead of in an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error?.code !== 'EPIPE') process.stderr.write(`shipready: cannot write output (${error?.code ?? 'error'})\n`);
    process.exit(error?.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
  });
}

let progressShown = false;
function progress(line) {
  progressShown = true;
  process.stderr.write(`\r\x1b[2K${line}`);
}

function finish(result) {
  // Clear the progress line so the report starts on a clean line.
  if (progressShown) process.stderr.write('\r\x1b[2K');
  if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr !== '') process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

async function runHere() {
  const { runCli } = await import('./cli-thread.js');
  finish(await runCli(request, progress));
}

function runOnThread() {
  return new Promise((resolve) => {
    let settled = false;
    let started = false;
    let worker;
    try {
      worker = new Worker(new URL('./cli-thread.js', import.meta.url), { workerData: request, resourceLimits: { stackSizeMb: STACK_MB, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }, stdout: false, stderr: false });
    } catch {
      // A machine that cannot give a thread that much address space (strict overcommit) still gets a run.
      resolve(runHere());
      return;
    }
    worker.on('online', () => {
      started = true;
    });
    worker.on('message', (message) => {
      if (message.kind === 'progress') progress(message.line);
      else if (message.kind === 'result') {
        settled = true;
        finish(message.result);
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      // A machine that cannot give a thread that much address space (strict overcommit) still gets a run.
      if (!started) {
        resolve(runHere());
        return;
      }
      const outOfMemory = error?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const debug = request.argv.includes('--debug');
      const detail = debug && error instanceof Error ? `\n${error.stack ?? ''}` : ' (rerun with --debug for the stack trace, and report it)';
      finish({
        exitCode: 2,
        stdout: '',
        stderr: outOfMemory ? 'shipready: out of memory (hint: lower --max-file-size, or ignore generated folders in config `ignore`)\n' : `shipready: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`,
      });
    });
    worker.on('exit', (code) => {
      if (!settled) finish({ exitCode: 2, stdout: '', stderr: `shipready: internal error: the worker thread exited (${code}) without a result (rerun with --debug, and report it)\n` });
      resolve();
    });
  });
}

// Help and version read no file: they skip the thread and stay instant.
const [first] = request.argv;
const readsNothing = first === undefined || ['--help', '-h', 'help', '--version', '-v', 'version'].includes(first) || request.argv.includes('--help') || request.argv.includes('-h');
await (readsNothing ? runHere() : runOnThread());
