// Protects against production errors nobody hears about: no error tracking SDK anywhere the server can load it. Docs: docs/rules/operations/error-tracking.md
import { noOptions } from '../../core/rule.js';
import { packageScope, scopeDependsOn, serverPackagesWithCode, type PackageScope } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, manifestAnchor } from '../support.js';

/** Error tracking and APM agents (entries ending in `/` match every package of the scope). */
const TRACKERS = [
  // Sentry clients published outside @sentry/: the Hono middleware, the Workers client it wraps, and the LogTape sink.
  '@hono/sentry', 'toucan-js', '@logtape/sentry',
  '@sentry/', '@bugsnag/', 'rollbar', '@honeybadger-io/', 'newrelic', 'dd-trace', 'elastic-apm-node', '@appsignal/nodejs', 'airbrake', '@airbrake/', '@highlight-run/', 'raygun',
  '@opentelemetry/sdk-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-grpc', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/auto-instrumentations-node', '@vercel/otel', '@axiomhq/', '@logtail/', 'applicationinsights', '@google-cloud/error-reporting', '@azure/monitor-opentelemetry',
];
/** Agents preloaded outside package.json dependencies: NODE_OPTIONS / --require in Dockerfiles and scripts. */
const PRELOAD = /(?:--require|-r|--import)\s+(?:newrelic|dd-trace\/init|elastic-apm-node\/start|@opentelemetry\/auto-instrumentations-node\/register|@sentry\/node\/preload)/;

/** Dockerfiles by name (read as text: only a preload flag is looked for). */
const DOCKERFILE = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]+)?$|\.(?:Dockerfile|Containerfile)$/i;

type Messages = { missing: { pkg: string } };

function preloaded(scope: PackageScope, dockerfilesPreload: boolean): boolean {
  return dockerfilesPreload || Object.values(scope.pkg.manifest.scripts).some((script) => PRELOAD.test(script));
}

export default defineScanRule({
  id: 'operations/error-tracking',
  title: 'Errors are reported to an error tracker',
  description:
    'Without error tracking, a production exception is one line in a log nobody is reading; users find the bug first and report it as "something is broken". A tracker groups errors, alerts on new ones and keeps the stack and request.',
  category: 'operations',
  severity: 'low',
  checklist: 'monitoring',
  docs: 'docs/rules/operations/error-tracking.md',
  fix: 'Add an error tracker to the server (Sentry, Bugsnag, Rollbar, Honeybadger, or OpenTelemetry traces/errors exported to your backend), initialised before the framework loads, and alert on new issues.',
  options: noOptions,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} reports errors to no error tracker`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const root = project.packages().find((pkg) => pkg.dir === '');
    // Read once for all packages: a preload in any Dockerfile counts for the image's package (which one is not modelled).
    const dockerfilesPreload = project.filesWhere((file) => DOCKERFILE.test(file)).some((file) => PRELOAD.test(project.text(file.path) ?? ''));
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      const withRoot: PackageScope = root === undefined || scope.members.includes(root) ? scope : { ...scope, members: [...scope.members, root] };
      if (scopeDependsOn(withRoot, TRACKERS) !== undefined || preloaded(scope, dockerfilesPreload)) continue;
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName },
        location: manifestAnchor(project, pkg, pkg.frameworks[0]),
        detail:
          `Looked in package.json of ${listText(withRoot.members.map((member) => member.displayName))} for Sentry, Bugsnag, Rollbar, Honeybadger, New Relic, Datadog, Elastic APM, AppSignal, Airbrake, Highlight, OpenTelemetry SDK/exporters, …, ` +
          'and for agents preloaded with --require/--import in package scripts and Dockerfiles; found none.',
      });
    }
  },
});
