// The CLI's work, on the thread bin/shipready.js starts for it (or, when no thread can be started, on the main
// thread). Everything the process owns (argv, environment, terminal flags, output, exit code) arrives from and
// goes back to bin/shipready.js as messages.
import { spawn } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

// Node 22.1+ keeps compiled code in the OS temp directory between runs (as tsc does): a faster start for
// a CLI that runs often. Older Node versions lack the function and start as before.
module.enableCompileCache?.();

/**
 * Runs the CLI for `request` ({ argv, cwd, env, pid, stdoutIsTTY, stderrIsTTY }) and resolves with
 * { exitCode, stdout, stderr }; progress lines go to `onProgress`.
 */
export async function runCli(request, onProgress) {
  const { run, watchTempDirs } = await import('../dist/bundle/cli.js');
  // A rehearsal's temporary PGlite directory can hold gigabytes. If this process dies first (Ctrl-C during
  // a long query, a CI timeout, the OOM killer), a detached reaper removes it.
  const reaper = fileURLToPath(new URL('../dist/cli/reaper.js', import.meta.url));
  watchTempDirs((dir) => spawn(process.execPath, [reaper, String(request.pid), dir], { detached: true, stdio: 'ignore' }).unref());
  return run(request.argv, {
    cwd: request.cwd,
    env: request.env,
    stdoutIsTTY: request.stdoutIsTTY,
    stderrIsTTY: request.stderrIsTTY,
    progress: onProgress,
    now: () => new Date(),
  });
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const result = await runCli(workerData, (line) => port.postMessage({ kind: 'progress', line }));
  port.postMessage({ kind: 'result', result });
}
