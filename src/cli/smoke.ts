/** `shipready smoke [flows…]`: proves after a deploy that a real user can still log in (see docs/smoke.md). */

import type { Command } from './command.js';

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'Run post-deploy flows (HTTP and browser steps in one session): can a real user still log in?',
  usage: [
    'shipready smoke [FLOW.yaml|DIR…] [options]',
    '  (default: smoke/*.yaml, else .shipready/smoke/*.yaml; files named _*.yaml are includes)',
    '  --browser PATH         Chromium for browser steps (default: chromium on PATH)',
    '  --concurrency N        flows run in parallel, at most N at a time (default 4)',
    '  --artifacts DIR        where a failing browser step\'s screenshot goes (default .shipready/smoke-artifacts)',
    '  --init                 write smoke/login.yaml from what scan knows of the app (login, health, frontend origin)',
    '  --force                with --init: overwrite an existing smoke/login.yaml',
    'Exit 0 when every flow passed, 1 when a step failed (the JSON report says assert, capture, connect, timeout or error),',
    '2 on a configuration problem (a missing environment variable is named). Only the hosts a flow names are contacted;',
    'secrets come from the environment or files and are masked in every report.',
  ].join('\n'),
  options: {
    browser: { type: 'string' },
    concurrency: { type: 'string' },
    artifacts: { type: 'string' },
    init: { type: 'boolean' },
    force: { type: 'boolean' },
  },
  async run(input) {
    const { runSmokeCommand } = await import('./smoke-run.js');
    return runSmokeCommand(input);
  },
};
