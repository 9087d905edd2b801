import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/command.js';
import { makeTree } from './helpers.js';

function io(cwd: string, stderrIsTTY: boolean, lines: string[], stdoutIsTTY = false): CliIo {
  return { cwd, env: { NO_COLOR: '1' }, stdoutIsTTY, stderrIsTTY, progress: (line) => lines.push(line), now: () => new Date('2026-11-23T00:00:00Z') };
}

describe('progress on stderr', () => {
  const tree = makeTree({ 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }), 'src/index.ts': 'export const a = 1;\n' });
  afterAll(() => tree.cleanup());

  it('reports each rule while scanning when stderr is a terminal and the output is text', async () => {
    const lines: string[] = [];
    const result = await run(['scan', '.', '--fail-on', 'none'], io(tree.dir, true, lines));
    expect(result.exitCode).toBe(0);
    expect(lines.some((line) => /^\[\d+\/\d+\] security\/secret-committed$/.test(line))).toBe(true);
  });

  it('stays silent when stderr is not a terminal, and while JSON is printed on the same terminal', async () => {
    const lines: string[] = [];
    await run(['scan', '.', '--fail-on', 'none'], io(tree.dir, false, lines));
    await run(['scan', '.', '--fail-on', 'none', '--format', 'json'], io(tree.dir, true, lines, true));
    expect(lines).toEqual([]);
  });

  it('shows progress for JSON or SARIF piped elsewhere or written to --output', async () => {
    const piped: string[] = [];
    await run(['scan', '.', '--fail-on', 'none', '--format', 'json'], io(tree.dir, true, piped, false));
    expect(piped.length).toBeGreaterThan(0);
    const written: string[] = [];
    await run(['scan', '.', '--fail-on', 'none', '--format', 'sarif', '--output', 'report.sarif'], io(tree.dir, true, written, true));
    expect(written.length).toBeGreaterThan(0);
  });
});
