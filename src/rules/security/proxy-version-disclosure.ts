// Protects against advertising the exact nginx version in every response and error page, which points scanners at known CVEs. Docs: docs/rules/security/proxy-version-disclosure.md
import { noOptions } from '../../core/rule.js';
import { findDirectives, nginxConfigs } from '../../project/nginx.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

type Messages = { disclosed: { file: string } };

export default defineScanRule({
  id: 'security/proxy-version-disclosure',
  title: 'nginx does not disclose its version',
  description: 'nginx configurations set `server_tokens off`, so the `Server` header and error pages do not name the exact nginx version.',
  category: 'security',
  severity: 'low',
  checklist: 'security-headers',
  docs: 'docs/rules/security/proxy-version-disclosure.md',
  fix: 'Add `server_tokens off;` in the http block of nginx.conf, or at the top of the conf.d file (it is included in the http context and applies to every server).',
  options: noOptions,
  messages: {
    disclosed: ({ file }: Messages['disclosed']) => `${file}: nginx sends its version in the Server header and error pages (no server_tokens off)`,
  },
  applies: (project: Project) => nginxConfigs(project).length > 0,
  check(ctx) {
    const configs = nginxConfigs(ctx.project);
    // A top-level (conf.d, included into http) or http-level `server_tokens off` covers every server.
    const global = configs.some((config) =>
      findDirectives(config.directives, 'server_tokens').some(({ directive, parents }) => directive.args[0] === 'off' && parents.every((parent) => parent === 'http')),
    );
    if (global) return;
    for (const config of configs) {
      const servers = findDirectives(config.directives, 'server').filter(({ parents }) => !parents.includes('upstream') && !parents.includes('stream'));
      const exposed = servers.filter(({ directive }) => !findDirectives(directive.block ?? [], 'server_tokens').some(({ directive: tokens }) => tokens.args[0] === 'off'));
      const first = exposed[0];
      if (first === undefined) continue;
      ctx.report({
        messageId: 'disclosed',
        data: { file: config.path },
        location: { path: config.path, line: first.directive.line },
        detail: `${exposed.length} server block(s) in ${config.path} (first at line ${first.directive.line}) without \`server_tokens off\`; none of the ${configs.length} nginx configuration file(s) in the repository sets it at the http or top level.`,
        key: config.path,
      });
    }
  },
});
