import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { Project } from './project.js';
import { lastForegroundCommand, shellCommands, taskScriptEntries } from './scripts.js';

describe('shellCommands', () => {
  it('splits at && || ; and newlines, marks & as background and drops subshell brackets', () => {
    expect(shellCommands('node env.mjs && (webapp-server & caddy run --config /etc/caddy/Caddyfile)')).toEqual([
      { text: 'node env.mjs', background: false },
      { text: 'webapp-server', background: true },
      { text: 'caddy run --config /etc/caddy/Caddyfile', background: false },
    ]);
    expect(shellCommands('a || b; c\nd').map((command) => command.text)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps quotes, $(…), redirections and pipelines whole', () => {
    expect(shellCommands(`echo "a && b" && node "$(pwd)/x; y.js" 2>&1 | tee log`).map((command) => command.text)).toEqual(['echo "a && b"', 'node "$(pwd)/x; y.js" 2>&1 | tee log']);
    expect(shellCommands('{ node a.js; } &>/dev/null').map((command) => command.text)).toEqual(['node a.js']);
  });
});

describe('lastForegroundCommand', () => {
  it('is the command the shell waits on last, without environment assignments in front', () => {
    expect(lastForegroundCommand('npx prisma migrate deploy && NODE_ENV=production node dist/main.js')).toBe('node dist/main.js');
    expect(lastForegroundCommand('node worker.js &')).toBeUndefined();
  });
});

function tasksOf(files: Record<string, string>): string[] {
  const tree = makeTree(files);
  try {
    const opened = Project.open(tree.dir);
    if (!opened.ok) throw new Error(opened.error.message);
    return [...taskScriptEntries(opened.value).values()].map((entry) => `${entry.path} ${entry.script}`);
  } finally {
    tree.cleanup();
  }
}

describe('taskScriptEntries', () => {
  it('resolves the file a migration or seed script runs, past runner flags and without an extension', () => {
    expect(
      tasksOf({
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { 'migration:up': 'ts-node -r tsconfig-paths/register database/migrate up', 'db:seed': 'cross-env NODE_ENV=development tsx ./prisma/seed.ts' },
        }),
        'database/migrate.ts': "console.log('done');\n",
        'prisma/seed.ts': "console.log('seeded');\n",
      }),
    ).toEqual(['database/migrate.ts migration:up', 'prisma/seed.ts db:seed']);
  });

  it('leaves out a file that a serving script also runs, and files in a workspace package resolve from its folder', () => {
    expect(
      tasksOf({
        'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
        'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/cli.js serve', 'cli:import': 'node src/cli.js import', 'db:reset': 'node scripts/reset.mjs' } }),
        'apps/api/src/cli.js': "console.log('x');\n",
        'apps/api/scripts/reset.mjs': "console.log('reset');\n",
      }),
    ).toEqual(['apps/api/scripts/reset.mjs db:reset']);
  });

  it('does not take a worker or a server started by a script for a task', () => {
    expect(
      tasksOf({
        'package.json': JSON.stringify({ name: 'api', scripts: { worker: 'node dist/worker.js', 'dev:api': 'tsx watch src/server.ts' } }),
        'src/server.ts': "console.log('listening');\n",
      }),
    ).toEqual([]);
  });
});
