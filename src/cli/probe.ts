/** `shipready probe URL…`: checks live deployments with bounded traffic (see docs/probe.md). */

import { MAX_LOGIN_ATTEMPTS } from '../probe/defaults.js';
import type { Command } from './command.js';

export const probeCommand: Command = {
  name: 'probe',
  summary: 'Check a live deployment: TLS, headers (with an Observatory-compatible grade), exposed files, health, errors',
  usage: [
    'shipready probe URL [URL…] [options]',
    '  --targets FILE         one URL per line (# comments allowed)',
    '  --max-requests N       request cap per target (default 100)',
    '  --concurrency N        parallel requests per target (default 4)',
    '  --timeout T            per request, e.g. 10 or 1500ms (default 10s)',
    '  --ca FILE              PEM of an extra CA to trust (private PKI)',
    '  --save-capture FILE    write every request/response used to FILE (JSON)',
    '  --from-capture FILE    grade a saved capture offline (no network)',
    '  --health-path PATH     health endpoint to check (default: /healthz, /health, /readyz, /livez, /api/health, /status)',
    `  --login-path PATH      opt in: POST failed logins (max ${MAX_LOGIN_ATTEMPTS}) to see if they get throttled`,
    '  --login-attempts N     attempts for --login-path (default 10)',
    '  --deep                 also run testssl.sh when installed',
    'Only the given hosts are contacted; about 10 requests/s; 429/Retry-After honoured.',
  ].join('\n'),
  options: {
    targets: { type: 'string' },
    'max-requests': { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    ca: { type: 'string' },
    'save-capture': { type: 'string' },
    'from-capture': { type: 'string' },
    'health-path': { type: 'string' },
    'login-path': { type: 'string' },
    'login-attempts': { type: 'string' },
    deep: { type: 'boolean' },
  },
  async run(input) {
    const { runProbeCommand } = await import('./probe-run.js');
    return runProbeCommand(input);
  },
};
