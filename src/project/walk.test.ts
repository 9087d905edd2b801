import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { Project } from './project.js';
import { err } from '../core/result.js';
import { realFileSystem, walk, type FileSystem } from './walk.js';

describe('walk', () => {
  it('honours nested .gitignore files and default ignores', () => {
    const tree = makeTree({
      '.gitignore': '*.log\n/secret/\n',
      'app.log': 'x',
      'secret/a.ts': 'x',
      'node_modules/dep/index.js': 'x',
      'dist/bundle.js': 'x',
      'packages/web/.gitignore': 'generated/\n!keep.log\n',
      'packages/web/generated/x.ts': 'x',
      'packages/web/src/a.ts': 'x',
      'packages/web/keep.log': 'x',
      'packages/web/secret/b.ts': 'x',
    });
    try {
      const result = walk(tree.dir);
      expect(result.ok && result.value.files.map((file) => file.path)).toEqual([
        '.gitignore',
        'packages/web/.gitignore',
        'packages/web/secret/b.ts',
        'packages/web/src/a.ts',
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('applies config ignore globs', () => {
    const tree = makeTree({ 'src/a.ts': 'x', 'fixtures/b.ts': 'x' });
    try {
      const result = walk(tree.dir, { ignore: ['fixtures/**'] });
      expect(result.ok && result.value.files.map((file) => file.path)).toEqual(['src/a.ts']);
    } finally {
      tree.cleanup();
    }
  });

  it('survives symlink loops and skips links that leave the root', () => {
    const tree = makeTree({ 'a/file.ts': 'x' });
    try {
      symlinkSync(path.join(tree.dir, 'a'), path.join(tree.dir, 'a', 'loop'));
      symlinkSync('/', path.join(tree.dir, 'escape'));
      const result = walk(tree.dir);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.files.map((file) => file.path)).toEqual(['a/file.ts']);
      expect(result.value.notes.some((note) => note.path === 'escape')).toBe(true);
    } finally {
      tree.cleanup();
    }
  });

  (process.platform === 'win32' ? it.skip : it)('skips FIFOs, devices and links to them with a note, never opening them', () => {
    const tree = makeTree({ 'src/a.ts': 'x', '.gitignore': 'ignored.ts\n' });
    try {
      execFileSync('mkfifo', [path.join(tree.dir, 'src', 'pipe.ts'), path.join(tree.dir, 'docker-compose.yml'), path.join(tree.dir, 'ignored.ts')]);
      symlinkSync(path.join(tree.dir, 'src', 'pipe.ts'), path.join(tree.dir, 'src', 'to-pipe.ts'));
      symlinkSync('/dev/zero', path.join(tree.dir, 'zero.sql'));
      const result = walk(tree.dir);
      expect(result.ok && result.value.files.map((file) => file.path)).toEqual(['.gitignore', 'src/a.ts']);
      expect(result.ok && result.value.notes.map((note) => [note.path, note.message])).toEqual([
        ['docker-compose.yml', 'a named pipe (FIFO), not a regular file; not read'],
        ['zero.sql', 'a character device, not a regular file; not read'],
        ['src/pipe.ts', 'a named pipe (FIFO), not a regular file; not read'],
        ['src/to-pipe.ts', 'a named pipe (FIFO), not a regular file; not read'],
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('follows file links inside the root and skips links out of it and link loops', () => {
    const outside = makeTree({ 'credentials': 'aws_secret_access_key = x' });
    const tree = makeTree({ 'src/a.ts': 'x' });
    try {
      symlinkSync(path.join(tree.dir, 'src', 'a.ts'), path.join(tree.dir, 'src', 'b.ts'));
      symlinkSync(path.join(outside.dir, 'credentials'), path.join(tree.dir, '.env'));
      symlinkSync(path.join(tree.dir, 'loop-b'), path.join(tree.dir, 'loop-a'));
      symlinkSync(path.join(tree.dir, 'loop-a'), path.join(tree.dir, 'loop-b'));
      const result = walk(tree.dir);
      expect(result.ok && result.value.files.map((file) => file.path)).toEqual(['src/a.ts', 'src/b.ts']);
      expect(result.ok && result.value.notes.map((note) => [note.path, note.message])).toEqual([
        ['.env', 'symbolic link to a file outside the scanned root'],
        ['loop-a', 'symbolic link loop'],
        ['loop-b', 'symbolic link loop'],
      ]);
    } finally {
      tree.cleanup();
      outside.cleanup();
    }
  });

  it('refuses an empty root instead of walking the working directory', () => {
    const result = walk('');
    expect(!result.ok && result.error.code).toBe('USAGE');
  });

  it('skips over-size files with a note, including a 20 MB minified bundle', () => {
    const tree = makeTree({ 'public/app.min.js': Buffer.alloc(20 * 1024 * 1024, 'a'), 'src/a.ts': 'x' });
    try {
      const result = walk(tree.dir);
      expect(result.ok && result.value.files.map((file) => file.path)).toEqual(['src/a.ts']);
      expect(result.ok && result.value.notes.map((note) => [note.kind, note.path])).toEqual([['skipped-file', 'public/app.min.js']]);
    } finally {
      tree.cleanup();
    }
  });

  it('fails with a typed error for a missing path and for a file', () => {
    const tree = makeTree({ 'a.txt': 'x' });
    try {
      const missing = walk(path.join(tree.dir, 'nope'));
      expect(!missing.ok && missing.error.code).toBe('PATH_NOT_FOUND');
      const file = walk(path.join(tree.dir, 'a.txt'));
      expect(!file.ok && file.error.code).toBe('PATH_NOT_DIRECTORY');
    } finally {
      tree.cleanup();
    }
  });
});

describe('Project.text', () => {
  it('notes binary content and invalid UTF-8 instead of failing', () => {
    const tree = makeTree({ 'data.txt': Buffer.from([0x61, 0x00, 0x62]), 'latin1.ts': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0xe9]) });
    try {
      const opened = Project.open(tree.dir);
      if (!opened.ok) throw new Error(opened.error.message);
      expect(opened.value.text('data.txt')).toBeUndefined();
      expect(opened.value.text('latin1.ts')).toContain('const');
      expect(opened.value.notes.map((note) => note.path)).toEqual(['data.txt', 'latin1.ts']);
    } finally {
      tree.cleanup();
    }
  });

  it('notes a file it cannot read (EACCES injected, since root can read anything)', () => {
    const tree = makeTree({ 'locked.ts': 'x', 'open.ts': 'y' });
    try {
      const fs: FileSystem = {
        ...realFileSystem,
        readRegularFile: (file, maxBytes) => (file.endsWith('locked.ts') ? err({ code: 'UNREADABLE', message: `${file} is not readable (EACCES)`, errno: 'EACCES' }) : realFileSystem.readRegularFile(file, maxBytes)),
      };
      const opened = Project.open(tree.dir, { fs });
      if (!opened.ok) throw new Error(opened.error.message);
      expect(opened.value.text('locked.ts')).toBeUndefined();
      expect(opened.value.text('open.ts')).toBe('y');
      expect(opened.value.notes).toEqual([{ kind: 'skipped-file', path: 'locked.ts', message: 'not readable (EACCES)' }]);
    } finally {
      tree.cleanup();
    }
  });
});

describe('walk: tracked files and ignore patterns', () => {
  const git = (cwd: string, ...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  };

  it('reads a committed file that .gitignore lists later, but not an ignored untracked one', () => {
    const tree = makeTree({
      'src/app.ts': 'export {};\n',
      '.env': 'API_TOKEN=committed-before-it-was-ignored\n',
      'config/local/secrets.json': '{}\n',
    });
    try {
      git(tree.dir, 'init', '-q');
      git(tree.dir, 'add', '.');
      git(tree.dir, 'commit', '-q', '-m', 'initial');
      writeFileSync(path.join(tree.dir, '.gitignore'), '.env\n.env.*\nconfig/local/\n');
      writeFileSync(path.join(tree.dir, '.env.local'), 'API_TOKEN=never-committed\n');
      writeFileSync(path.join(tree.dir, 'config/local/extra.json'), '{}\n');
      const opened = Project.open(tree.dir);
      expect(opened.ok && opened.value.files.map((file) => file.path)).toEqual(['.env', '.gitignore', 'config/local/secrets.json', 'src/app.ts']);
    } finally {
      tree.cleanup();
    }
  });
});
