import { describe, expect, it } from 'vitest';
import { lastForegroundCommand, shellCommands } from './scripts.js';

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
