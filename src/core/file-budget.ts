/**
 * A time budget per rule and file, so that one file a rule handles badly (an input shape nobody foresaw, a
 * super-linear corner of its logic) costs that rule that file, not the whole scan.
 *
 * Why this design: JavaScript cannot interrupt a synchronous function from outside, and running each rule on a
 * thread of its own would copy the repository model into every thread. Rules spend their time in a few shared
 * places — reading a file (`Project.text`), walking its syntax tree (`walkAst`) and scanning texts
 * (`findText`, `findAllText`, `parseGated`) — so those places tick this clock, and a tick past the deadline
 * throws `FileBudgetExceeded` naming the file in focus. `runRules` catches it, notes the rule and the file, and
 * runs the rule again with that file hidden from it (`Project.text` answers undefined), so its findings on every
 * other file are complete. Work that never passes a tick (a rule's own loop over one huge string) is not bounded
 * here; the cost audits in `npm run bench` and the hostile-input suite keep such work linear instead.
 *
 * The clock is module state because rules run one at a time and synchronously (`runRules` awaits each, and no
 * scan rule is async): only the synchronous part of a rule's run is budgeted.
 */

/** Thrown by a tick past the deadline; caught by `runRules`, never by rules. */
export class FileBudgetExceeded extends Error {
  readonly file: string;
  readonly elapsedMs: number;

  constructor(file: string, elapsedMs: number) {
    super(`more than the time budget spent on ${file}`);
    this.name = 'FileBudgetExceeded';
    this.file = file;
    this.elapsedMs = elapsedMs;
  }
}

/** Per rule and file; ten times what the slowest rule takes on a 1 MiB file on a loaded two-core machine. */
export const DEFAULT_FILE_BUDGET_MS = 10_000;

/** Reading the clock costs more than a tick: it is read every this many ticks. */
const TICKS_PER_READ = 1024;

interface Clock {
  readonly limitMs: number;
  readonly now: () => number;
  readonly hidden: ReadonlySet<string>;
  file: string | undefined;
  startedAt: number;
  ticks: number;
}

let active: Clock | undefined;

export interface FileBudgetOptions {
  readonly limitMs: number;
  /** Milliseconds from an arbitrary origin; tests pass a fake clock. */
  readonly now: () => number;
  /** Files the rule must not see: ones it already ran out of time on. */
  readonly hidden: ReadonlySet<string>;
}

/**
 * Runs `body` (one rule's synchronous work) under a per-file deadline. A promise `body` returns runs unbudgeted
 * once it leaves the synchronous part.
 *
 * @example
 * try { withFileBudget({ limitMs: 10_000, now: () => performance.now(), hidden: new Set() }, () => rule.run(project, options, sink)); }
 * catch (error) { if (error instanceof FileBudgetExceeded) notes.push(…); }
 */
export function withFileBudget<T>(options: FileBudgetOptions, body: () => T): T {
  const previous = active;
  active = { limitMs: options.limitMs, now: options.now, hidden: options.hidden, file: undefined, startedAt: options.now(), ticks: 0 };
  try {
    return body();
  } finally {
    active = previous;
  }
}

/**
 * Puts `file` in focus: the time from now on is charged to it. Called when a file is read or its tree walked.
 *
 * @example focusFile('src/app.ts')
 */
export function focusFile(file: string): void {
  if (active === undefined || active.file === file) return;
  active.file = file;
  active.startedAt = active.now();
  active.ticks = 0;
}

/**
 * Whether the running rule must not see `file` (it ran out of time on it before).
 *
 * @example if (isHiddenFile(file)) return undefined;
 */
export function isHiddenFile(file: string): boolean {
  return active?.hidden.has(file) === true;
}

/**
 * One unit of work on the file in focus; throws `FileBudgetExceeded` once the file's time is up.
 *
 * @example for (const node of nodes) { tick(); visit(node); }
 */
export function tick(): void {
  if (active === undefined) return;
  active.ticks += 1;
  if (active.ticks % TICKS_PER_READ !== 0) return;
  const elapsed = active.now() - active.startedAt;
  if (elapsed > active.limitMs && active.file !== undefined) throw new FileBudgetExceeded(active.file, elapsed);
}
