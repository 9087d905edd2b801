// Protects against the silent certificate expiry: certbot renewals that need the web server stopped, or that never reload it. Docs: docs/rules/operations/tls-auto-renewal.md
import { noOptions } from '../../core/rule.js';
import { composeServices } from '../../project/compose.js';
import { nginxConfigs } from '../../project/nginx.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Files where certbot is configured: scripts, renewal configs, cron/systemd units, compose, CI, Makefiles, Dockerfiles. */
const OPS_FILE = /\.(?:sh|bash|ya?ml|conf|ini|service|timer|cron|mk|toml|txt)$|(?:^|\/)(?:Makefile|makefile|crontab|Procfile|Dockerfile[^/]*|[^/]*\.Dockerfile|cron\.d\/[^/]+)$/;
const STANDALONE = /--standalone\b|(?:--authenticator|-a)[\s=]+standalone\b|^\s*authenticator\s*=\s*standalone\b/;
const ISSUE = /\bcertbot\b[^\n]*\b(?:certonly|run|renew)\b|\bcertbot\s+--(?:nginx|apache|webroot|standalone)\b|^\s*authenticator\s*=/;
/** Lines that set how certificates are obtained (a bare `certbot renew` reuses settings stored on the server, which the repository cannot show). */
const CONFIGURES = /\bcertbot\b[^\n]*\b(?:certonly|run)\b|\bcertbot\b[^\n]*(?:--webroot|--standalone|--dns-[\w-]+|--authenticator|\s-a\s|--nginx|--apache)|^\s*authenticator\s*=/;
/** The nginx/apache installers reload the server themselves; hooks reload it after renewals. */
const RELOADS = /\bnginx\s+-s\s+reload\b|--(?:deploy|post|renew)-hook\b|\b(?:deploy|post|renew)_hook\s*=|renewal-hooks\/(?:deploy|post)|--(?:nginx|apache)\b|(?:--authenticator|-a|--installer|-i)[\s=]+(?:nginx|apache)\b|^\s*installer\s*=\s*(?:nginx|apache)/;
const PROXY_IMAGE = /(?:^|\/)(?:nginx|nginx-unprivileged|openresty|httpd|apache)(?::|@|$)/i;
const WEB_SERVER_TEXT = /\b(?:systemctl|service)\s+(?:stop|start|reload|restart)\s+(?:nginx|apache2|httpd)\b|\bnginx\s+-s\s+reload\b/;

interface LogicalLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Lines with shell continuations (`\`) joined, comments dropped, each with the line it starts on. */
function logicalLines(file: string, text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, index) => {
    if (pending === undefined && /^\s*#/.test(raw)) return;
    const continued = /\\\s*$/.test(raw);
    const content = raw.replace(/\\\s*$/, ' ');
    pending = pending === undefined ? { line: index + 1, text: content } : { line: pending.line, text: `${pending.text} ${content.trim()}` };
    if (!continued) {
      lines.push({ file, ...pending });
      pending = undefined;
    }
  });
  if (pending !== undefined) lines.push({ file, ...pending });
  return lines;
}

function certbotLines(project: Project): LogicalLine[] {
  const lines: LogicalLine[] = [];
  for (const entry of project.files) {
    if (!OPS_FILE.test(entry.path)) continue;
    const text = project.text(entry.path);
    if (text === undefined || !(text.includes('certbot') || /authenticator\s*=/.test(text))) continue;
    lines.push(...logicalLines(entry.path, text));
  }
  return lines;
}

function runsWebServer(project: Project, lines: readonly LogicalLine[]): boolean {
  if (nginxConfigs(project).length > 0) return true;
  if (project.composeFiles().some((file) => composeServices(file).some((service) => service.image !== undefined && PROXY_IMAGE.test(service.image)))) return true;
  return lines.some((line) => WEB_SERVER_TEXT.test(line.text));
}

type Messages = { standalone: { file: string }; noReload: { file: string } };

export default defineScanRule({
  id: 'operations/tls-auto-renewal',
  title: 'TLS certificates renew without downtime and get picked up',
  description:
    'certbot is configured so renewals work while the web server runs (webroot or DNS authenticator, not standalone) and a deploy hook reloads the server, so the renewed certificate is served before the old one expires.',
  category: 'operations',
  severity: 'medium',
  checklist: 'tls',
  docs: 'docs/rules/operations/tls-auto-renewal.md',
  fix: 'Use the webroot authenticator with a location for /.well-known/acme-challenge/ and a reload hook: `certbot certonly --webroot -w /var/www/certbot -d example.org --deploy-hook "nginx -s reload"` (in Docker: `docker compose exec nginx nginx -s reload`).',
  options: noOptions,
  messages: {
    standalone: ({ file }: Messages['standalone']) => `${file}: certbot uses the standalone authenticator, which needs port 80 free, so renewals fail (or need the web server stopped) while nginx runs`,
    noReload: ({ file }: Messages['noReload']) => `${file}: certbot renews certificates but nothing reloads the web server, which keeps serving the old certificate until it expires`,
  },
  applies: (project: Project) => certbotLines(project).some((line) => ISSUE.test(line.text)),
  check(ctx) {
    const lines = certbotLines(ctx.project);
    const issuing = lines.filter((line) => ISSUE.test(line.text));
    if (issuing.length === 0) return;
    const webServer = runsWebServer(ctx.project, lines);
    const standalone = issuing.filter((line) => STANDALONE.test(line.text));
    for (const line of webServer ? standalone : []) {
      ctx.report({
        messageId: 'standalone',
        data: { file: line.file },
        location: { path: line.file, line: line.line },
        detail: `${line.file}:${line.line}: "${line.text.trim().slice(0, 160)}" uses the standalone authenticator, and the repository runs a web server (nginx configuration, a proxy image in compose, or systemctl nginx/apache commands). Renewal with the same settings binds port 80 itself.`,
        key: `${line.file}:${line.line}`,
      });
    }
    if (standalone.length > 0 && webServer) return;
    // Hooks may live anywhere certbot is configured: the issuing command, renew cron lines, renewal confs.
    if (lines.some((line) => RELOADS.test(line.text))) return;
    if (!webServer) return;
    const first = issuing.find((line) => CONFIGURES.test(line.text));
    if (first === undefined) return;
    ctx.report({
      messageId: 'noReload',
      data: { file: first.file },
      location: { path: first.file, line: first.line },
      detail: `Read ${issuing.length} certbot command(s)/renewal config(s) (first ${first.file}:${first.line}): none has --deploy-hook/--post-hook/--renew-hook, deploy_hook/post_hook/renew_hook, a renewal-hooks/deploy script or the nginx/apache installer.`,
    });
  },
});
