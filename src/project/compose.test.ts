import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { composeEnvironment, effectiveEnvironment, parseShortPort } from './compose.js';
import { Project } from './project.js';

function environments(files: Record<string, string>): Record<string, string> {
  const tree = makeTree(files);
  try {
    const opened = Project.open(tree.dir);
    if (!opened.ok) throw new Error(opened.error.message);
    const composeFiles = opened.value.composeFiles();
    return Object.fromEntries(composeFiles.map((file) => [file.path, effectiveEnvironment(file, composeFiles)]));
  } finally {
    tree.cleanup();
  }
}

describe('compose environments', () => {
  it('reads the environment from the file name, else from the nearest folder that names one', () => {
    expect(composeEnvironment('docker-compose.prod.yml')).toBe('production');
    expect(composeEnvironment('docker/testing/compose.yml')).toBe('test');
    expect(composeEnvironment('docker/development/compose.yml')).toBe('development');
    expect(composeEnvironment('cypress/docker-compose.yml')).toBe('test');
    expect(composeEnvironment('deploy/compose.yml')).toBe('default');
  });

  it('takes a plain file beside a standalone production file for the dev stack, but not one a production overlay extends', () => {
    const base = 'services:\n  app:\n    build: .\n  db:\n    image: mongo:7\n';
    expect(environments({ 'docker-compose.yml': base, 'docker-compose.prod.yml': 'services:\n  app:\n    image: ghcr.io/acme/app:1\n' })['docker-compose.yml']).toBe('development');
    expect(environments({ 'docker-compose.yml': base, 'docker-compose.prod.yml': 'services:\n  app:\n    command: yarn start\n' })['docker-compose.yml']).toBe('default');
  });

  it('parses short port syntax', () => {
    expect(parseShortPort('127.0.0.1:5432:5432')).toMatchObject({ hostIp: '127.0.0.1', containerPort: '5432' });
  });
});
