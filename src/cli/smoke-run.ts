import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCS_BASE_URL, VERSION } from '../core/meta.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { smoke } from '../smoke/index.js';
import { checkWritable, initFacts, starterFlow, STARTER_FLOW_PATH } from '../smoke/init.js';
import { booleanOption, stringOption, type CommandInput, type CommandOutput } from './command.js';

/** The first executable `chromium` (or `chromium-browser`) on PATH: Debian's package installs /usr/bin/chromium. */
function chromiumOnPath(env: CommandInput['io']['env']): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((each) => each !== '')) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here; try the next directory
      }
    }
  }
  return undefined;
}

function runInit(input: CommandInput): Result<CommandOutput, UserError> {
  const root = path.resolve(input.io.cwd, input.positionals[0] ?? '.');
  const facts = initFacts(root);
  if (!facts.ok) return facts;
  const target = path.join(root, STARTER_FLOW_PATH);
  const writable = checkWritable(fs.existsSync(target), booleanOption(input.values, 'force'));
  if (!writable.ok) return writable;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, starterFlow(facts.value));
  } catch (error) {
    const code = error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : 'error';
    return err(userError('OUTPUT_UNWRITABLE', `cannot write ${STARTER_FLOW_PATH} (${code})`, 'check the folder is writable'));
  }
  const found = [facts.value.login === undefined ? undefined : `login ${facts.value.login.method} ${facts.value.login.path}`, facts.value.health === undefined ? undefined : `health ${facts.value.health.path}`, facts.value.frontendOrigin === undefined ? undefined : `frontend ${facts.value.frontendOrigin.origin}`].filter((each) => each !== undefined);
  return ok({ kind: 'text', text: `Wrote ${path.relative(input.io.cwd, target) || STARTER_FLOW_PATH} (${found.length === 0 ? 'no routes found: edit the paths' : found.join(', ')}).\nSet APP_URL, SMOKE_EMAIL and SMOKE_PASSWORD, then run: shipready smoke\n` });
}

/** The body of `shipready smoke`, loaded only when the command runs (see smoke.ts). */
export async function runSmokeCommand(input: CommandInput): Promise<Result<CommandOutput, UserError>> {
  const { values, io, common } = input;
  if (booleanOption(values, 'init')) return runInit(input);
  if (booleanOption(values, 'force')) return err(userError('USAGE', '--force only goes with --init'));
  const rawConcurrency = stringOption(values, 'concurrency');
  const concurrency = rawConcurrency === undefined ? undefined : Number(rawConcurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) return err(userError('USAGE', `--concurrency must be a whole number from 1 to 32, got "${rawConcurrency ?? ''}"`));
  const browserFlag = stringOption(values, 'browser');
  const browserPath = browserFlag === undefined ? chromiumOnPath(io.env) : path.resolve(io.cwd, browserFlag);
  if (browserFlag !== undefined && !fs.existsSync(browserPath ?? '')) return err(userError('USAGE', `--browser ${browserFlag}: no such file`, 'install chromium (apt-get install chromium) or give its path'));
  const run = await smoke(input.positionals, {
    cwd: io.cwd,
    env: io.env,
    version: VERSION,
    docsBaseUrl: DOCS_BASE_URL,
    now: io.now,
    ...(common.failOn === undefined ? {} : { failOn: common.failOn }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(browserPath === undefined ? {} : { browserPath }),
    artifactsDir: path.resolve(io.cwd, stringOption(values, 'artifacts') ?? '.shipready/smoke-artifacts'),
    ...(io.progress === undefined ? {} : { onFlow: (flow, index, total) => io.progress?.(`smoke ${index + 1}/${total}: ${flow.name} ${flow.status}`) }),
  });
  if (!run.ok) return run;
  return ok({ kind: 'report', report: run.value.report });
}
