// A process entry point, like the migration capture runner: `bin/` starts it, detached, for each temporary
// directory the engine creates (`watchTempDirs`). It removes the directory once the process that made it
// is gone — killed, crashed or interrupted with Ctrl-C while a long PGlite query blocked its event loop,
// so that no handler of its own could run — and exits as soon as the directory is removed normally.
//   node reaper.js <owner pid> <directory>
import { existsSync, rmSync } from 'node:fs';

const POLL_MS = 500;

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; only ESRCH means it is gone.
    return !(error instanceof Error && 'code' in error && error.code === 'ESRCH');
  }
}

const [pidText, dir] = process.argv.slice(2);
const owner = Number(pidText);
if (Number.isInteger(owner) && owner > 0 && dir !== undefined && dir !== '') {
  const timer = setInterval(() => {
    if (!existsSync(dir)) {
      clearInterval(timer);
    } else if (!ownerAlive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      clearInterval(timer);
    }
  }, POLL_MS);
}
