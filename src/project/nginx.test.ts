import { describe, expect, it } from 'vitest';
import { findDirectives, parseNginx } from './nginx.js';

describe('parseNginx', () => {
  it('keeps lines, nesting, quoted arguments and envsubst variables', () => {
    const config = parseNginx(
      'default.conf.template',
      [
        '# comment { not a block }',
        'server_tokens off;',
        'server {',
        '  listen 443 ssl;',
        '  server_name ${DOMAIN};',
        '  add_header X-Frame-Options "DENY; really" always;',
        '  location / { proxy_pass http://app:3000; }',
        '}',
      ].join('\n'),
    );
    expect(config.directives.map((directive) => [directive.name, directive.line])).toEqual([
      ['server_tokens', 2],
      ['server', 3],
    ]);
    const server = config.directives[1];
    expect(server?.block?.map((directive) => [directive.name, directive.args, directive.line])).toEqual([
      ['listen', ['443', 'ssl'], 4],
      ['server_name', ['${DOMAIN}'], 5],
      ['add_header', ['X-Frame-Options', 'DENY; really', 'always'], 6],
      ['location', ['/'], 7],
    ]);
    expect(findDirectives(config.directives, 'proxy_pass').map(({ directive, parents }) => [directive.line, parents])).toEqual([[7, ['server', 'location']]]);
  });

  it('survives an unclosed block', () => {
    const config = parseNginx('broken.conf', 'http {\n  server {\n    listen 80;\n');
    expect(findDirectives(config.directives, 'listen').map(({ directive }) => directive.line)).toEqual([3]);
  });
});
