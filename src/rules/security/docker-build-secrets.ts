// Protects against secrets baked into image layers: every ARG used by RUN and every ENV is readable with `docker history`/`docker inspect` by anyone who can pull the image. Docs: docs/rules/security/docker-build-secrets.md
import type { Instruction } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { findSecrets } from '../../core/secrets.js';
import { dockerStages, instructionLocation, productionDockerfiles, stageChain } from '../../project/dockerfile.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const SECRET_NAME = /secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|encryption[_-]?key|credentials?|client[_-]?secret/i;
/** Names that point at a secret rather than hold it, or are public by design. */
const NOT_A_SECRET = /(?:_FILE|_PATH|_DIR|_NAME|_ID|_HEADER|_LENGTH|_TTL|_EXPIR\w*|_URL_ENV|_ENABLED|_REQUIRED|_PERIOD|_TIMEOUT|_SECONDS|_MINUTES|_HOURS|_DAYS|_INTERVAL|_COUNT|_SIZE)$|PUBLISHABLE[_-]?KEY$|SITE[_-]?KEY$|PUBLIC[_-]?KEY$|^(?:VITE_|NEXT_PUBLIC_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|EXPO_PUBLIC_)/i;
/** Variables a browser bundle receives: whatever is copied into them is public by construction. */
const CLIENT_PUBLIC = /^(?:VITE_|NEXT_PUBLIC_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|EXPO_PUBLIC_)/i;

/**
 * ARG/ENV names whose value the Dockerfile also hands to a client-public variable (`ENV VITE_POSTHOG_API_KEY $POSTHOG_API_KEY`):
 * the value ships in the front-end bundle anyway (Infisical's PostHog project key), so it is not a secret the image leaks.
 */
function publishedToClient(instructions: readonly Instruction[]): Set<string> {
  const names = new Set<string>();
  for (const instruction of instructions) {
    if (instruction.getKeyword() !== 'ENV') continue;
    for (const variable of variables(instruction)) {
      if (!CLIENT_PUBLIC.test(variable.name)) continue;
      for (const match of (variable.value ?? '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (match[1] !== undefined) names.add(match[1]);
    }
  }
  return names;
}

interface Variable {
  readonly name: string;
  readonly value: string | undefined;
}

/** `ARG NAME[=default]` or `ENV NAME=value …` / legacy `ENV NAME value`. */
function variables(instruction: Instruction): Variable[] {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  if (instruction.getKeyword() === 'ARG') {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(content);
    return match?.[1] === undefined ? [] : [{ name: match[1], value: match[2]?.replace(/^["']|["']$/g, '') }];
  }
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(?!\S*=)(.+)$/.exec(content);
  if (legacy?.[1] !== undefined) return [{ name: legacy[1], value: legacy[2] }];
  return [...content.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].flatMap((match) =>
    match[1] === undefined ? [] : [{ name: match[1], value: (match[2] ?? '').replace(/^["']|["']$/g, '') }],
  );
}

/** The .dockerignore that applies to a Dockerfile's usual build context (its own folder, then the repository root). */
function dockerignoreOf(project: Project, dockerfile: string): string | undefined {
  const dir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : '';
  return [`${dir === '' ? '' : `${dir}/`}${dockerfile.split('/').pop() ?? ''}.dockerignore`, `${dir === '' ? '' : `${dir}/`}.dockerignore`, '.dockerignore'].find((candidate) => project.has(candidate));
}

/** True when the .dockerignore excludes `.env` (`.env`, `.env*`, `*.env`, `**\/.env`, or everything but an allow-list). */
function ignoresEnvFiles(project: Project, dockerfile: string): boolean {
  const file = dockerignoreOf(project, dockerfile);
  if (file === undefined) return false;
  const lines = (project.text(file) ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  return lines.some((line) => /^(?:\*\*\/|\/)?(?:\.env|\.env\*|\.env\.\*|\*\.env|\.env\*\*|\*)$/.test(line) || line === '**');
}

/**
 * Whether anything after `declared` in the stage can record the ARG: every RUN gets the stage's ARGs in its
 * environment (and `docker history` shows them), and any instruction may expand `$name` / `${name}`.
 */
function usedLater(instructions: readonly Instruction[], declared: Instruction, name: string): boolean {
  const reference = new RegExp(`\\$\\{?${name.replace(/[^\w]/g, '')}\\b`);
  const after = instructions.filter((instruction) => instruction.getRange().start.line > declared.getRange().start.line);
  return after.some((instruction) => instruction.getKeyword() === 'RUN' || reference.test(instruction.getArgumentsContent() ?? ''));
}

type Messages = { baked: { name: string; keyword: string; file: string }; copiesEnvFile: { file: string } };

export default defineScanRule({
  id: 'security/docker-build-secrets',
  title: 'No secrets in Dockerfile ARG/ENV',
  description:
    'Secrets are not passed as build ARGs or set as ENV in the image: both end up in the image metadata and layer history, readable by anyone who can pull it. Use BuildKit secret mounts at build time and runtime environment variables.',
  category: 'security',
  severity: 'high',
  checklist: 'secrets',
  docs: 'docs/rules/security/docker-build-secrets.md',
  fix: 'At build time use a secret mount: `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci` (`docker build --secret id=npm_token,env=NPM_TOKEN`). At run time pass secrets as environment (compose `env_file`, the platform\'s secret store), never `ENV` in the Dockerfile.',
  options: noOptions,
  messages: {
    baked: ({ name, keyword, file }: Messages['baked']) => `${file}: ${keyword} ${name} bakes a secret into the image (visible in docker history/inspect)`,
    copiesEnvFile: ({ file }: Messages['copiesEnvFile']) => `${file} copies the whole build context, and no .dockerignore keeps .env out: a local .env is baked into the image`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0,
  check(ctx) {
    for (const { path, dockerfile } of productionDockerfiles(ctx.project)) {
      const stages = dockerStages(dockerfile);
      const final = stages[stages.length - 1];
      const shipped = new Set(final === undefined ? [] : stageChain(stages, final));
      const published = publishedToClient(stages.flatMap((stage) => stage.instructions));
      const copyAll = final?.instructions.find((instruction) => (instruction.getKeyword() === 'COPY' || instruction.getKeyword() === 'ADD') && /^(?:--\S+\s+)*\.\/?\s+\S+$/.test((instruction.getArgumentsContent() ?? '').trim()));
      if (copyAll !== undefined && !ignoresEnvFiles(ctx.project, path)) {
        ctx.report({
          messageId: 'copiesEnvFile',
          data: { file: path },
          location: instructionLocation(path, copyAll),
          severity: 'medium',
          detail: `\`${copyAll.getKeyword()} ${copyAll.getArgumentsContent() ?? ''}\` at ${path}:${copyAll.getRange().start.line + 1} copies the build context into the shipped stage, and ${dockerignoreOf(ctx.project, path) ?? 'no .dockerignore beside the build context'} excludes .env: whoever builds the image from a checkout with a .env (every developer, a CI job that writes one) ships its secrets in a layer anyone who pulls the image can read.`,
          fix: 'Add `.env` and `.env.*` (keeping `!.env.example`) to .dockerignore, or copy only what the image needs (package files, the build output).',
        });
      }
      for (const stage of stages) {
        for (const instruction of stage.instructions) {
          const keyword = instruction.getKeyword();
          if (keyword !== 'ARG' && keyword !== 'ENV') continue;
          for (const variable of variables(instruction)) {
            const literal = variable.value === undefined ? undefined : findSecrets(`${variable.name}=${variable.value}`, { syntax: 'shell' }).find((match) => match.strength !== 'weak' && match.dismissed === undefined);
            const secretName = SECRET_NAME.test(variable.name) && !NOT_A_SECRET.test(variable.name) && !published.has(variable.name);
            // Build stages that are not shipped only leak literal values (which are in git anyway).
            const value = variable.value ?? '';
            // `ENV TOKEN_ROTATION_DAYS=30`, `ENV PASSWORD_RESET=true`: settings about secrets, not secrets.
            const isSetting = /^(?:\d+|true|false|yes|no|on|off)$/i.test(value);
            // `ARG TOKEN_ROTATION_DAYS=0`: an ARG whose default is a setting is a setting, like such an ENV.
            const namedAndShipped = secretName && shipped.has(stage) && (keyword === 'ARG' ? !isSetting || value === '' : value !== '' && !isSetting);
            if (literal === undefined && !namedAndShipped) continue;
            // An ARG with no RUN after it and no reference to it is recorded nowhere in the image.
            const unused = keyword === 'ARG' && literal === undefined && !usedLater(stage.instructions, instruction, variable.name);
            ctx.report({
              messageId: 'baked',
              data: { name: variable.name, keyword, file: path },
              location: instructionLocation(path, instruction),
              ...(unused ? { severity: 'low' as const } : {}),
              detail: `${keyword} ${variable.name} at ${path}:${instruction.getRange().start.line + 1}${
                literal !== undefined ? ` has a secret-looking value (${literal.description})` : ` has a secret-looking name in ${stage === final ? 'the final stage' : 'a stage the final stage builds on'}`
              }; ${keyword === 'ENV' ? 'ENV values are stored in the image config' : 'ARG values used by RUN are recorded in the layer history'}.${
                unused ? ' No RUN follows it in the stage and nothing expands it, so a value passed with --build-arg is not recorded today (low): remove the ARG before a RUN is added after it.' : ''
              }`,
              ...(literal !== undefined ? { secrets: [literal.value] } : {}),
              key: `${variable.name}:${instruction.getRange().start.line}`,
            });
          }
        }
      }
    }
  },
});
