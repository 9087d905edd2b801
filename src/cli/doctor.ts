/** `shipready doctor [path]`: diagnoses "I can't log in" layer by layer (see docs/doctor.md). */

import type { Command } from './command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Diagnose a broken stack layer by layer: config → DNS → TCP → TLS → handshake → auth → query → migrations → seed, and the API',
  usage: [
    'shipready doctor [path] [options]',
    '  --env-file FILE        read FILE first (repeatable); then .env, .env.<NODE_ENV>, the compose file, the process environment',
    '  --compose-file FILE    the compose file production uses (repeatable; default COMPOSE_FILE, else compose.yaml / docker-compose.yml)',
    '  --url NAME=URL         add a component or replace the one named NAME (repeatable)',
    '  --timeout T            per layer, e.g. 3 or 1500ms (default 3s)',
    '  --wait T               retry until everything passes or T has passed, e.g. 120s (for CI gates)',
    '  --seed-query SQL       one read-only SELECT whose first column counts seeded rows or is a boolean (default: does the users table have a row)',
    '  --health-path PATH     the API health route (default: /healthz, /health, /api/health, /readyz, /status)',
    '  --login-path PATH      the API login route the CORS preflight from the frontend origin asks about (default: the API URL path)',
    '  --ca FILE              PEM of an extra CA to trust (private PKI)',
    '  -v, --verbose          show every layer of passing components, with timings and the sources read',
    'Exit 0 when every component passes, 1 when one fails, 2 on bad input. Only the hosts the configuration names are contacted;',
    'SQL runs in a read-only transaction; nothing is written.',
  ].join('\n'),
  options: {
    'env-file': { type: 'string', multiple: true },
    'compose-file': { type: 'string', multiple: true },
    url: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    wait: { type: 'string' },
    'seed-query': { type: 'string' },
    'health-path': { type: 'string' },
    ca: { type: 'string' },
    'login-path': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(input) {
    const { runDoctorCommand } = await import('./doctor-run.js');
    return runDoctorCommand(input);
  },
};
