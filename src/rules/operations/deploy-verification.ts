// Protects against "it starts" being taken for "it works": a deploy that never checks the app answers afterwards. Docs: docs/rules/operations/deploy-verification.md
import { noOptions } from '../../core/rule.js';
import { ciFiles, stepLine, type CiStep } from '../../project/ci.js';
import type { Project } from '../../project/project.js';
import { referencedFiles, shellUnits, unitLine, type ShellUnit } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

/** Commands that ship a release to a server or platform. */
const DEPLOY_COMMAND =
  /(?:^|[\s;&|"'(])ssh\s[^\n]*(?:docker|compose|pm2|systemctl|git\s+pull|deploy|release|restart|\bup\b)|\b(?:rsync|scp)\b[^\n]*\s[\w.-]+@[\w.${}-]+:|\bkubectl\s+(?:apply|set\s+image|rollout\s+restart|replace)\b|\bhelm\s+(?:upgrade|install)\b|\bdocker\s+stack\s+deploy\b|\bvercel\b[^\n]*(?:--prod|deploy)|\bnetlify\s+deploy\b[^\n]*--prod|\brailway\s+up\b|\bheroku\s+container:release\b|\bgit\s+push\s+(?:-\S+\s+)*(?:heroku|dokku|production)\b|\b(?:serverless|sls)\s+deploy\b|\baws\s+ecs\s+update-service\b|\baz\s+(?:webapp|containerapp)\s+(?:deploy|update|up)\b|\bcaprover\s+deploy\b|\bdocker[- ]compose\b[^\n]*\bup\b|\bpm2\s+(?:reload|restart|deploy)\b/i;

/** Actions that deploy. */
const DEPLOY_ACTION =
  /^(?:appleboy\/ssh-action|easingthemes\/ssh-deploy|amondnet\/vercel-action|azure\/webapps-deploy|azure\/k8s-deploy|aws-actions\/amazon-ecs-deploy-task-definition|akhileshns\/heroku-deploy|dokku\/github-action|cloudflare\/wrangler-action|nwtgck\/actions-netlify|burnett01\/rsync-deployments)@/i;

/** Deploy commands that compose can also run for tests: only deploys in a deploy-looking job or script. */
const CONTEXT_ONLY = /\bdocker[- ]compose\b[^\n]*\bup\b|\bpm2\s+(?:reload|restart)\b/i;
// `prod` as a word, not a file name (`prod.log`, `prod.env` are not a deploy context).
const DEPLOY_CONTEXT = /deploy|release|production|\bprod\b(?!\.\w)|rollout|\bship\b|\bcd\b/i;

/** `compose up --exit-code-from api` / `--abort-on-container-exit`: runs the stack to completion (a test run), never a deploy. */
const RUN_TO_COMPLETION = /--exit-code-from\b|--abort-on-container-exit\b/;

/** Checks after a deploy: a `shipready smoke` flow, a health/smoke request, a rollout status, or a deploy that waits for health itself. */
const VERIFY =
  /\bshipready\s+smoke\b|\bcurl\b[^\n]*(?:--fail|\s-[A-Za-z]*f[A-Za-z]*\b)|\bwget\b|\bhealth|readyz|livez|\bsmoke|\bwait-on\b|\bkubectl\s+rollout\s+status\b|\bkubectl\s+wait\b|--wait\b|--atomic\b|\baws\s+ecs\s+wait\b|wait-for-service-stability:\s*true|\bfly(?:ctl)?\s+deploy\b(?![^\n]*--detach)|\bkamal\s+deploy\b|\bgcloud\s+run\s+deploy\b|\bplaywright\s+test\b|\bcypress\s+run\b|\bnewman\s+run\b|\bk6\s+run\b/i;

/** `up -d`, `--detach`, `--wait`: compose returns and the stack keeps running; anything else attaches to the logs. */
const DETACHED = /\s(?:-[A-Za-z]*d[A-Za-z]*|--detach|--wait)\b/;
/** A compose or pm2 command aimed at another machine (`DOCKER_HOST=ssh://…`, `--context prod`, `-H tcp://…`). */
const REMOTE = /\bDOCKER_HOST=|\bdocker\s+(?:--context|-c|-H|--host)\s|\bcompose\s+(?:[^\n]*\s)?--context\s/;

function deployMatch(text: string, inContext: boolean): RegExpExecArray | undefined {
  const match = DEPLOY_COMMAND.exec(text);
  if (match === null) return undefined;
  if (CONTEXT_ONLY.test(match[0]) && (!inContext || RUN_TO_COMPLETION.test(match[0]))) return undefined;
  // hagopj13's `docker:prod` runs `docker-compose … up` in the foreground on the developer's machine: a local run, not a release.
  if (/\bdocker[- ]compose\b/.test(match[0]) && !/^[\s;&|"'(]*ssh\s/.test(match[0]) && !DETACHED.test(match[0]) && !REMOTE.test(text)) return undefined;
  // The ssh alternative starts with the separator before `ssh`, possibly the previous line's newline.
  match.index += match[0].length - match[0].replace(/^[\s;&|"'(]+/, '').length;
  return match;
}

/** Repository scripts a piece of shell runs (`./deploy/release.sh`, `ssh host /opt/app/deploy/release.sh`, `bash ci/deploy`). */
function calledScripts(project: Project, text: string, scripts: readonly ShellUnit[]): Array<{ path: string; text: string }> {
  const byName = scripts.filter((unit) => unit.kind === 'script' && text.includes(unit.name)).map((unit) => ({ path: unit.file, text: unit.text }));
  const byPath = referencedFiles(project, text);
  return [...byName, ...byPath.filter((file) => !byName.some((unit) => unit.path === file.path))];
}

function verifies(project: Project, text: string, scripts: readonly ShellUnit[], depth = 0): boolean {
  if (VERIFY.test(text)) return true;
  if (depth > 2) return false;
  return calledScripts(project, text, scripts).some((file) => file.text !== text && verifies(project, file.text, scripts, depth + 1));
}

/** Whether a script's own name or folder says it deploys (not the whole path: `examples/production-app/Makefile` is not a deploy). */
function namedLikeDeploy(unit: ShellUnit): boolean {
  const parts = unit.file.split('/');
  const folder = parts.length > 1 ? (parts[parts.length - 2] ?? '') : '';
  return DEPLOY_CONTEXT.test(unit.name) || (unit.kind === 'script' && (DEPLOY_CONTEXT.test(folder) || DEPLOY_CONTEXT.test(parts[parts.length - 1] ?? '')));
}

/**
 * Deploys of a pre-built static bundle (Netlify's publish-dir, `netlify deploy --dir`, Cloudflare Pages, S3 sync):
 * the platform publishes atomically once the upload is complete and keeps the previous deploy one click away, and
 * there is no server that has to come up. A smoke request against the URL still catches a broken build or a wrong
 * API URL baked into it, so the finding stays, at low.
 */
function staticBundle(step: CiStep | undefined, text: string): string | undefined {
  if (step?.uses !== undefined && /^nwtgck\/actions-netlify@/i.test(step.uses) && !step.inputMap.has('functions-dir')) return `Netlify deploy of ${step.inputMap.get('publish-dir') ?? 'a static folder'}`;
  if (step?.uses !== undefined && /^cloudflare\/(?:wrangler|pages)-action@/i.test(step.uses) && /\bpages\s+(?:deploy|publish)\b/.test(step.inputMap.get('command') ?? '')) return 'Cloudflare Pages deploy';
  if (/\bnetlify\s+deploy\b[^\n]*--dir\b/.test(text) && !/--functions\b/.test(text)) return 'Netlify deploy of a static folder';
  if (/\bwrangler\s+pages\s+(?:deploy|publish)\b/.test(text)) return 'Cloudflare Pages deploy';
  return undefined;
}

function stepText(step: CiStep): string {
  return [step.run, step.uses ?? '', step.name ?? '', step.inputs].join('\n');
}

type Messages = { unverified: { where: string } };

export default defineScanRule({
  id: 'operations/deploy-verification',
  title: 'Deploys verify the app works afterwards',
  description:
    'A deploy workflow or script checks the result after deploying: a health or smoke request against the deployed URL, a rollout status, or a deploy command that waits for health checks (`docker compose up --wait`, `helm --atomic`, `fly deploy`).',
  category: 'operations',
  severity: 'high',
  checklist: 'ci-cd',
  docs: 'docs/rules/operations/deploy-verification.md',
  fix: 'After the deploy step, check from outside that the new version answers and that a real user can still log in, and fail the job (and roll back) if not:\n  - name: Verify\n    run: npx shipready smoke smoke/login.yaml   # a login flow (shipready smoke --init writes one); exits 1 when a step fails\n    env: { APP_URL: https://app.example.com, SMOKE_EMAIL: ${{ vars.SMOKE_EMAIL }}, SMOKE_PASSWORD: ${{ secrets.SMOKE_PASSWORD }} }\n  or, for a health check only: curl --fail --retry 12 --retry-delay 5 --retry-all-errors "$APP_URL/healthz"',
  options: noOptions,
  messages: {
    unverified: ({ where }: Messages['unverified']) => `${where} deploys but never verifies that the new version is up and answering`,
  },
  applies: (project: Project) => ciFiles(project).length > 0 || shellUnits(project).some(namedLikeDeploy),
  check(ctx) {
    const scripts = shellUnits(ctx.project);
    const verifiedScripts = new Set<string>();
    for (const file of ciFiles(ctx.project)) {
      const jobs = new Map<string, CiStep[]>();
      for (const step of file.steps) jobs.set(step.job, [...(jobs.get(step.job) ?? []), step]);
      const fileText = file.steps.map(stepText).join('\n');
      for (const [job, steps] of jobs) {
        const inContext = DEPLOY_CONTEXT.test(file.path.split('/').pop() ?? '') || DEPLOY_CONTEXT.test(job) || steps.some((step) => DEPLOY_CONTEXT.test(step.name ?? ''));
        let deploy: { step: CiStep; line: number } | undefined;
        for (const step of steps) {
          if (step.uses !== undefined && DEPLOY_ACTION.test(step.uses)) {
            deploy = { step, line: step.line };
            break;
          }
          const match = deployMatch(step.run, inContext);
          if (match !== undefined) {
            deploy = { step, line: stepLine(step, match.index) };
            break;
          }
        }
        if (deploy === undefined) continue;
        // A later job of the same workflow (`needs: deploy`) may do the checking.
        if (verifies(ctx.project, fileText, scripts)) {
          for (const file of calledScripts(ctx.project, fileText, scripts)) verifiedScripts.add(file.path);
          continue;
        }
        const bundle = staticBundle(deploy.step, deploy.step.run);
        const severity = bundle === undefined ? undefined : 'low';
        ctx.report({
          messageId: 'unverified',
          data: { where: `Job "${job}" of ${file.path}` },
          location: { path: file.path, line: deploy.line },
          detail: `Deploy step at ${file.path}:${deploy.line} (${deploy.step.uses ?? deploy.step.run.split('\n').find((line) => DEPLOY_COMMAND.test(line))?.trim() ?? 'deploy'}). Looked in every step of ${file.path} and in the repository scripts it calls for a curl --fail/wget/health/smoke request, kubectl rollout status, --wait/--atomic, aws ecs wait or a self-verifying deploy (fly/kamal/gcloud run): none found.${
            bundle === undefined ? '' : ` ${bundle}: the platform publishes it atomically and there is no server to come up, so this is low; a smoke request against the URL still catches a broken bundle.`
          }`,
          key: job,
          ...(severity === undefined ? {} : { severity }),
        });
      }
    }
    for (const unit of scripts) {
      if (verifiedScripts.has(unit.file)) continue;
      if (!namedLikeDeploy(unit)) continue;
      const match = deployMatch(unit.text, true);
      if (match === undefined || verifies(ctx.project, unit.text, scripts)) continue;
      // A package.json `postdeploy` script runs right after `deploy`.
      if (unit.kind === 'npm' && scripts.some((other) => other.file === unit.file && other.name === `post${unit.name}` && verifies(ctx.project, other.text, scripts))) continue;
      const where = unit.kind === 'script' ? unit.file : unit.kind === 'make' ? `Makefile target "${unit.name}" (${unit.file})` : `npm script "${unit.name}" (${unit.file})`;
      ctx.report({
        messageId: 'unverified',
        data: { where },
        location: { path: unit.file, line: unitLine(unit, match.index) },
        detail: `Deploy command "${match[0].trim()}" at ${unit.file}:${unitLine(unit, match.index)}. Looked in ${where} and the scripts it calls for a curl --fail/wget/health/smoke request, kubectl rollout status, --wait/--atomic or aws ecs wait: none found; no CI job that calls it verifies either.`,
        key: `${unit.kind}:${unit.name}`,
      });
    }
  },
});
