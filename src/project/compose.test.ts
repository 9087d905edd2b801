import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { canRunTogether, composeEnvironment, composePurpose, effectiveEnvironment, parseShortPort } from './compose.js';
import { coActivatedProfiles, composeFileEnvironment, composeStacks } from './compose-stacks.js';
import { Project } from './project.js';

function open(files: Record<string, string>) {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

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

describe('parseShortPort', () => {
  it('keeps ${VAR:-default} parts whole instead of reading the first part as a host IP', () => {
    expect(parseShortPort('${DOCKER_MONGO_PORT:-27017}:27017')).toEqual({ hostIp: undefined, hostPort: '${DOCKER_MONGO_PORT:-27017}', containerPort: '27017', protocol: 'tcp' });
    expect(parseShortPort('${BIND:-127.0.0.1}:${PORT:-3000}:3000/udp')).toEqual({ hostIp: '${BIND:-127.0.0.1}', hostPort: '${PORT:-3000}', containerPort: '3000', protocol: 'udp' });
    expect(parseShortPort('${PORT}:${PORT}')).toEqual({ hostIp: undefined, hostPort: '${PORT}', containerPort: '${PORT}', protocol: 'tcp' });
  });

  it('still reads plain host IPs, IPv6 hosts and container-only ports', () => {
    expect(parseShortPort('127.0.0.1:5432:5432')).toEqual({ hostIp: '127.0.0.1', hostPort: '5432', containerPort: '5432', protocol: 'tcp' });
    expect(parseShortPort('[::1]:6379:6379')).toEqual({ hostIp: '::1', hostPort: '6379', containerPort: '6379', protocol: 'tcp' });
    expect(parseShortPort('3000')).toEqual({ hostIp: undefined, hostPort: undefined, containerPort: '3000', protocol: 'tcp' });
  });
});

describe('composeStacks', () => {
  it('combines -f lists, COMPOSE_FILE, include and the override file, and nothing else', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ scripts: { 'docker:prod': 'docker-compose -f docker-compose.yml -f docker-compose.prod.yml up' } }),
      'docker-compose.yml': 'services:\n  app:\n    build: .\n',
      'docker-compose.prod.yml': 'services:\n  app:\n    command: yarn start\n',
      'docker-compose.override.yml': 'services:\n  app:\n    command: yarn dev\n',
      'ops/.env': 'COMPOSE_FILE=compose.yml:compose.metrics.yml\n',
      'ops/compose.yml': 'include:\n  - compose.db.yml\nservices:\n  proxy:\n    image: caddy:2.8\n',
      'ops/compose.metrics.yml': 'services:\n  grafana:\n    image: grafana/grafana:11.3.0\n',
      'ops/compose.db.yml': 'services:\n  db:\n    image: postgres:16.4\n',
      'cypress/docker-compose.yml': 'services:\n  app:\n    build: ..\n',
    });
    try {
      const stacks = composeStacks(project).map((stack) => `${stack.kind}: ${stack.files.map((file) => file.path).join(' + ')}`);
      expect(stacks.sort()).toEqual([
        'merged: docker-compose.yml + docker-compose.override.yml',
        'merged: docker-compose.yml + docker-compose.prod.yml',
        'merged: ops/compose.yml + ops/compose.db.yml',
        'merged: ops/compose.yml + ops/compose.metrics.yml',
      ]);
    } finally {
      cleanup();
    }
  });

  it('makes a neutral base file part of the deployment when a script merges it with a production file', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ scripts: { 'docker:prod': 'docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d' } }),
      'docker-compose.yml': 'services:\n  app:\n    build: .\n',
      'docker-compose.prod.yml': 'services:\n  app:\n    image: ghcr.io/acme/app:1\n    command: yarn start\n',
    });
    try {
      const base = project.composeFiles().find((file) => file.path === 'docker-compose.yml');
      if (base === undefined) throw new Error('no base file');
      expect(effectiveEnvironment(base, project.composeFiles())).toBe('development');
      expect(composeFileEnvironment(project, base)).toBe('default');
    } finally {
      cleanup();
    }
  });

  it('reads a header comment that says the file is for local development only', () => {
    const { project, cleanup } = open({
      'apps/web/docker-compose.yml': '# This is meant for local development only. Do not use this in production.\nservices:\n  mysql:\n    image: mysql:8.0\n',
      'docker-compose.yml': '# Self-hosting stack\nservices:\n  app:\n    image: ghcr.io/acme/app:1.0.0\n',
    });
    try {
      expect(project.composeFiles().map((file) => [file.path, composeFileEnvironment(project, file)])).toEqual([
        ['docker-compose.yml', 'default'],
        ['apps/web/docker-compose.yml', 'development'],
      ]);
    } finally {
      cleanup();
    }
  });
});

describe('compose profiles', () => {
  it('runs two services together when either has no profile or they share one, not when their profiles are disjoint', () => {
    expect(canRunTogether([], ['debug'], [])).toBe(true);
    expect(canRunTogether(['app', 'full'], ['full'], [])).toBe(true);
    expect(canRunTogether(['bundle'], ['split', 'api'], [])).toBe(false);
    expect(canRunTogether(['bundle'], ['split'], [['bundle', 'split']])).toBe(true);
    expect(canRunTogether(['bundle'], ['split'], [['*']])).toBe(true);
  });

  it('reads the profiles a repository activates together from env files, commands and docs', () => {
    const { project, cleanup } = open({
      'docker-compose.yml': 'services:\n  api:\n    profiles: [api]\n    build: .\n',
      '.env': 'COMPOSE_PROFILES=api,worker\n',
      'Makefile': 'up:\n\tdocker compose --profile api --profile=admin up -d\none:\n\tdocker compose --profile api up -d\n',
      'README.md': '```sh\nCOMPOSE_PROFILES=web,docs docker compose up\n```\n',
    });
    try {
      expect([...coActivatedProfiles(project)].map((set) => [...set].sort().join(',')).sort()).toEqual(['admin,api', 'api,worker', 'docs,web']);
    } finally {
      cleanup();
    }
  });
});

describe('composePurpose', () => {
  const purposes = (files: Record<string, string>): Record<string, string> => {
    const { project, cleanup } = open(files);
    try {
      const composeFiles = project.composeFiles();
      return Object.fromEntries(
        composeFiles.map((file) => {
          const purpose = composePurpose(file, composeFiles);
          return [file.path, `${purpose.environment}/${purpose.basis}`];
        }),
      );
    } finally {
      cleanup();
    }
  };
  const app = 'services:\n  app:\n    build: .\n  db:\n    image: postgres:16\n';

  it('reads headers that say the file is not for production, and not a profile list that mentions local development', () => {
    expect(
      purposes({
        'a/compose.yml': `# THIS IS NOT TO BE USED FOR PERSONAL DEPLOYMENTS!\n# Internal image for internal testing deployments\n${app}`,
        'b/compose.yml': `# Not to be used for production.\n${app}`,
        'c/compose.yml': `# For testing only\n\n${app}`,
        'd/compose.yml': `# This compose file is meant for local development.\n${app}`,
        'e/compose.yml': `# Self-host preset. Profiles:\n# - default: everything (recommended)\n# - just-backend: all services except the web app for local development\n${app}`,
      }),
    ).toEqual({ 'a/compose.yml': 'development/header', 'b/compose.yml': 'development/header', 'c/compose.yml': 'development/header', 'd/compose.yml': 'development/header', 'e/compose.yml': 'default/none' });
  });

  it('takes backing services on loopback for a local stack, but not when a port is public or an app is built', () => {
    const backing = (port: string, extra = '') => `services:\n  redis:\n    image: redis:7\n    ports:\n      - "${port}:6379"\n  pg:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"\n${extra}`;
    expect(
      purposes({
        'loopback/compose.yml': backing('127.0.0.1:6379'),
        'public/compose.yml': backing('6379'),
        'with-app/compose.yml': backing('127.0.0.1:6379', '  api:\n    build: .\n    ports:\n      - "127.0.0.1:3000:3000"\n'),
        'no-ports/compose.yml': 'services:\n  pg:\n    image: postgres:16\n',
      }),
    ).toEqual({ 'loopback/compose.yml': 'development/backing-only', 'public/compose.yml': 'default/none', 'with-app/compose.yml': 'default/none', 'no-ports/compose.yml': 'default/none' });
  });
});
