// GitHub Actions workflow-command reporter: annotations on the PR diff. Docs: docs/reporters.md#github
import type { Finding, Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { cleanControl, groupFindings, repositoryRelativePath } from './shared.js';

type AnnotationCommand = 'error' | 'warning' | 'notice';

const COMMAND: Record<Severity, AnnotationCommand> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

/**
 * Escapes a command's message exactly as `@actions/core` (`escapeData`) does, so a newline in user text
 * cannot end the command and start another one.
 *
 * @example escapeData('50%\nnext') // '50%25%0Anext'
 */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Escapes a property value as `@actions/core` (`escapeProperty`) does: like data, plus `:` and `,`,
 * which would otherwise end the value.
 *
 * @example escapeProperty('a,b:c') // 'a%2Cb%3Ac'
 */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: AnnotationCommand, properties: ReadonlyArray<[string, string | number | undefined]>, message: string): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(cleanControl(String(value)))}`)
    .join(',');
  return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(cleanControl(message))}`;
}

function annotation(finding: Finding, report: Report): string {
  const location = finding.location;
  const text = `${finding.message} Fix: ${finding.fix}`;
  if (location?.kind !== 'file') {
    return command(COMMAND[finding.severity], [['title', finding.ruleId]], location === undefined ? text : `${location.url}: ${text}`);
  }
  return command(
    COMMAND[finding.severity],
    [
      // Annotations resolve paths from the repository root, also when a sub-folder was scanned.
      ['file', repositoryRelativePath(report, location.path)],
      ['line', location.line],
      ['endLine', location.endLine],
      ['col', location.column],
      ['endColumn', location.endColumn],
      ['title', finding.ruleId],
    ],
    text,
  );
}

/**
 * One workflow command per finding that counts (not suppressed, not already in the baseline), then a
 * notice with the verdict. GitHub turns these into annotations on the run and the PR diff.
 *
 * @example renderGithub(report) // '::error file=Dockerfile,line=12,title=security/docker-root-user::…\n'
 */
export function renderGithub(report: Report): string {
  const lines = groupFindings(report).current.map((finding) => annotation(finding, report));
  lines.push(command('notice', [['title', 'shipready']], report.verdict.summary));
  return `${lines.join('\n')}\n`;
}
