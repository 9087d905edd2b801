import type { Command } from './command.js';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'static audit of a repository against the production-readiness checklist',
  usage: [
    'Usage: shipready scan [path] [options]',
    '',
    'Scan options:',
    '  --max-file-size SIZE   skip files larger than SIZE (default 1MiB; e.g. 512KiB, 2MiB)',
    '  --write-baseline       record every current finding in <path>/.shipready-baseline.json',
    '  --ports                print the host port map (every port compose files publish, by service);',
    '                         with --format json the full report carries it as the "ports" section',
    '  --since REF            migrations added or changed since the git ref REF are pending (default: the pull/merge',
    '                         request base CI names, else the branch point from the default branch)',
    '  --all-migrations       report the findings of every migration one by one; by default applied migrations',
    '                         get at most one low finding per rule',
  ].join('\n'),
  options: {
    'max-file-size': { type: 'string' },
    'write-baseline': { type: 'boolean' },
    ports: { type: 'boolean' },
    since: { type: 'string' },
    'all-migrations': { type: 'boolean' },
  },
  async run(input) {
    const { runScanCommand } = await import('./scan-run.js');
    return runScanCommand(input);
  },
};
