#!/usr/bin/env node
// Scans each pinned public repository of corpus.json and scores shipready's findings against our own
// judgements in labels.json: precision per rule and overall (debatable counts as wrong), false criticals,
// recall of the gaps we found by reading, findings per mature product, and scan time against the time
// recorded before the precision work. Only names, commits and judgements are committed; the code comes
// from local mirrors at run time (never committed).
//
//   npm run bench:real-world -- MIRRORS_DIR [--only owner/name] [--unlabelled] [--json FILE] [--runs N]
//                                          [--shipready PATH/TO/bin/shipready.js] [--against PATH/TO/bin/shipready.js]
//                                          [--record-baseline]
//
// --against BIN times another build (e.g. an older commit's) in alternation with this one, and compares scan
// time with it instead of the recorded baselineMs.
//
// MIRRORS_DIR holds one git directory per repository, as the search tool's fetch leaves them:
// MIRRORS_DIR/<owner>+<name>/repo (a bare repository) or MIRRORS_DIR/<owner>+<name> (a clone).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const AT_LEAST_MEDIUM = (finding) => SEVERITY_RANK[finding.severity] >= 2;

function usage(message) {
  if (message) console.error(`bench:real-world: ${message}`);
  console.error('usage: npm run bench:real-world -- MIRRORS_DIR [--only owner/name] [--unlabelled] [--json FILE] [--runs N] [--shipready BIN] [--against BIN] [--record-baseline]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { mirrors: undefined, only: [], unlabelled: false, json: undefined, runs: 1, shipready: path.join(REPO_ROOT, 'bin', 'shipready.js'), recordBaseline: false, against: undefined, cache: path.join(REPO_ROOT, '.bench', 'real-world') };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) usage(`${arg} needs a value`);
      return next;
    };
    if (arg === '--only') options.only.push(value());
    else if (arg === '--unlabelled') options.unlabelled = true;
    else if (arg === '--json') options.json = value();
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--shipready') options.shipready = path.resolve(value());
    else if (arg === '--cache') options.cache = path.resolve(value());
    else if (arg === '--against') options.against = path.resolve(value());
    else if (arg === '--record-baseline') options.recordBaseline = true;
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (options.mirrors === undefined) options.mirrors = path.resolve(arg);
    else usage(`unexpected argument ${arg}`);
  }
  if (options.mirrors === undefined) usage('MIRRORS_DIR is required');
  if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs takes a positive whole number');
  return options;
}

/** Git for the fetched repositories: no hooks, no filters, no pager, no system or global config. */
function git(args, cwd) {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'protocol.allow=never', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  });
}

function mirrorOf(mirrors, repo) {
  const base = path.join(mirrors, repo.replace('/', '+'));
  for (const candidate of [path.join(base, 'repo'), base]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** A clone of the mirror checked out at the pinned commit; HEAD is on the default branch, so nothing is pending. */
function materialise(options, entry) {
  const dir = path.join(options.cache, `${entry.repo.replace('/', '+')}@${entry.commit.slice(0, 12)}`);
  if (existsSync(path.join(dir, '.git'))) return dir;
  const mirror = mirrorOf(options.mirrors, entry.repo);
  if (mirror === undefined) return undefined;
  mkdirSync(options.cache, { recursive: true });
  git(['clone', '--quiet', '--no-checkout', mirror, dir]);
  git(['checkout', '--quiet', '--detach', entry.commit], dir);
  return dir;
}

function timedScan(bin, dir) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`shipready scan ${dir} (${bin}) exited ${result.status}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
  return { ms, stdout: result.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Scans `dir` `--runs` times; with `--against BIN` the other build runs as often, alternating which goes first, so
 * that a machine getting busier or quieter during the run weighs on both alike.
 */
function scan(options, dir) {
  const times = [];
  const againstTimes = [];
  let report;
  for (let run = 0; run < options.runs; run++) {
    if (options.against !== undefined && run % 2 === 0) againstTimes.push(timedScan(options.against, dir).ms);
    const own = timedScan(options.shipready, dir);
    times.push(own.ms);
    report = JSON.parse(own.stdout);
    if (options.against !== undefined && run % 2 === 1) againstTimes.push(timedScan(options.against, dir).ms);
  }
  return { report, ms: median(times), ...(options.against === undefined ? {} : { baselineMs: Math.round(median(againstTimes)) }) };
}

/** How a finding is named in labels.json: rule, place and message id (stable for a pinned commit). */
export function findingKey(finding) {
  const where = finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line ?? ''}` : finding.location?.kind === 'url' ? finding.location.url : '';
  return `${finding.ruleId} ${where} ${finding.messageId}`;
}

function gapFound(gap, findings) {
  const minimum = SEVERITY_RANK[gap.minSeverity ?? 'low'];
  return findings.some((finding) => {
    if (finding.suppression !== undefined || SEVERITY_RANK[finding.severity] < minimum) return false;
    if (!(Array.isArray(gap.rule) ? gap.rule : [gap.rule]).includes(finding.ruleId)) return false;
    if (gap.path === undefined || gap.path === '' || gap.path === '.') return true;
    const where = finding.location?.kind === 'file' ? finding.location.path : '';
    if (where === gap.path || where.startsWith(gap.path.endsWith('/') ? gap.path : `${gap.path}/`)) return true;
    // A finding about the package that holds the gap (anchored at its package.json, README or server entry) finds it too.
    const folder = where.includes('/') ? where.slice(0, where.lastIndexOf('/') + 1) : '';
    return /(?:^|\/)(?:package\.json|README\.md)$/.test(where) && gap.path.startsWith(folder);
  });
}

function percent(part, whole) {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`;
}

function pad(text, width) {
  return String(text).padEnd(width);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const corpusFile = path.join(HERE, 'corpus.json');
  const corpus = JSON.parse(readFileSync(corpusFile, 'utf8'));
  const labels = JSON.parse(readFileSync(path.join(HERE, 'labels.json'), 'utf8'));
  const entries = corpus.repositories.filter((entry) => options.only.length === 0 || options.only.includes(entry.repo));
  const perRule = new Map();
  const tally = (ruleId) => {
    let row = perRule.get(ruleId);
    if (row === undefined) {
      row = { findings: 0, true: 0, false: 0, debatable: 0, unlabelled: 0, mature: { findings: 0, true: 0 } };
      perRule.set(ruleId, row);
    }
    return row;
  };
  const results = [];
  let falseCriticals = 0;
  let gapsTotal = 0;
  let gapsFound = 0;
  const missed = [];
  const unlabelled = [];
  for (const entry of entries) {
    const dir = materialise(options, entry);
    if (dir === undefined) {
      console.error(`skipped ${entry.repo}: no mirror under ${options.mirrors}`);
      continue;
    }
    const { report, ms, baselineMs } = scan(options, dir);
    const repoLabels = labels.repositories?.[entry.repo] ?? { findings: {}, gaps: [] };
    const active = report.findings.filter((finding) => finding.suppression === undefined);
    const medium = active.filter(AT_LEAST_MEDIUM);
    const counts = { true: 0, false: 0, debatable: 0, unlabelled: 0 };
    const migrationRules = new Map();
    for (const finding of medium) {
      const key = findingKey(finding);
      const verdict = repoLabels.findings?.[key]?.verdict;
      const row = tally(finding.ruleId);
      row.findings += 1;
      if (entry.kind === 'mature') row.mature.findings += 1;
      if (verdict === 'true' || verdict === 'false' || verdict === 'debatable') {
        row[verdict] += 1;
        counts[verdict] += 1;
        if (verdict === 'true' && entry.kind === 'mature') row.mature.true += 1;
        if (verdict !== 'true' && finding.severity === 'critical') falseCriticals += 1;
      } else {
        row.unlabelled += 1;
        counts.unlabelled += 1;
        unlabelled.push({ repo: entry.repo, key, severity: finding.severity, message: finding.message });
      }
    }
    for (const finding of active) if (finding.ruleId.startsWith('migrations/')) migrationRules.set(finding.ruleId, (migrationRules.get(finding.ruleId) ?? 0) + 1);
    // A gap withdrawn on re-reading stays in the file with the reason, and counts for nothing.
    const gaps = (repoLabels.gaps ?? []).filter((gap) => gap.withdrawn === undefined);
    for (const gap of gaps) {
      gapsTotal += 1;
      if (gapFound(gap, active)) gapsFound += 1;
      else missed.push({ repo: entry.repo, gap });
    }
    results.push({
      repo: entry.repo,
      kind: entry.kind,
      ms,
      baselineMs: baselineMs ?? entry.baselineMs,
      verdict: report.verdict.summary,
      medium: medium.length,
      counts,
      maxMigrationFindingsPerRule: Math.max(0, ...migrationRules.values()),
    });
    if (options.recordBaseline && options.against === undefined) entry.baselineMs = Math.round(ms);
  }
  if (options.recordBaseline) writeFileSync(corpusFile, `${JSON.stringify(corpus, null, 2)}\n`);

  console.log('Repositories');
  for (const result of results) {
    const ratio = result.baselineMs === undefined ? '' : ` (${((result.ms / result.baselineMs - 1) * 100).toFixed(0)} % vs ${result.baselineMs} ms ${options.against === undefined ? 'before' : 'for --against'})`;
    console.log(`  ${pad(result.repo, 52)} ${pad(result.kind, 11)} ${String(result.medium).padStart(4)} ≥medium  true ${result.counts.true}, false ${result.counts.false}, debatable ${result.counts.debatable}, unlabelled ${result.counts.unlabelled}  ${Math.round(result.ms)} ms${ratio}`);
    console.log(`  ${' '.repeat(52)} ${result.verdict}`);
  }
  console.log('\nBy rule (findings at medium or above; precision counts debatable as wrong)');
  console.log(`  ${pad('rule', 48)} ${pad('findings', 9)}${pad('true', 6)}${pad('false', 6)}${pad('debat.', 7)}${pad('unlab.', 7)}precision`);
  const rows = [...perRule.entries()].sort((a, b) => b[1].findings - a[1].findings || (a[0] < b[0] ? -1 : 1));
  for (const [ruleId, row] of rows) {
    const labelled = row.true + row.false + row.debatable;
    console.log(`  ${pad(ruleId, 48)} ${pad(row.findings, 9)}${pad(row.true, 6)}${pad(row.false, 6)}${pad(row.debatable, 7)}${pad(row.unlabelled, 7)}${percent(row.true, labelled)}`);
  }
  const sum = (pick) => rows.reduce((total, [, row]) => total + pick(row), 0);
  const labelledAll = sum((row) => row.true + row.false + row.debatable);
  const matureResults = results.filter((result) => result.kind === 'mature');
  const matureTrue = matureResults.reduce((total, result) => total + result.counts.true, 0);
  const matureLabelled = matureResults.reduce((total, result) => total + result.counts.true + result.counts.false + result.counts.debatable, 0);
  const precision = labelledAll === 0 ? 0 : sum((row) => row.true) / labelledAll;
  const maturePrecision = matureLabelled === 0 ? 0 : matureTrue / matureLabelled;
  const recall = gapsTotal === 0 ? 0 : gapsFound / gapsTotal;
  const worstMature = Math.max(0, ...matureResults.map((result) => result.medium));
  const worstMigration = Math.max(0, ...matureResults.map((result) => result.maxMigrationFindingsPerRule));
  const slowest = results.filter((result) => result.baselineMs !== undefined).map((result) => result.ms / result.baselineMs - 1);
  const met = (ok) => (ok ? 'met' : 'NOT MET');
  console.log('\nOverall');
  console.log(`  findings at medium or above: ${sum((row) => row.findings)} (${sum((row) => row.unlabelled)} unlabelled)`);
  console.log(`  precision, all repositories: ${percent(sum((row) => row.true), labelledAll)} — target ≥ 90 %: ${met(precision >= 0.9)}`);
  console.log(`  precision, mature products:  ${percent(matureTrue, matureLabelled)} — target ≥ 90 %: ${met(maturePrecision >= 0.9)}`);
  console.log(`  false criticals: ${falseCriticals} — target 0: ${met(falseCriticals === 0)}`);
  console.log(`  recall of our gaps: ${gapsFound}/${gapsTotal} = ${percent(gapsFound, gapsTotal)} — target ≥ 85 %: ${met(recall >= 0.85)}`);
  console.log(`  most findings ≥ medium on a mature product: ${worstMature} — target ≤ 40: ${met(worstMature <= 40)}`);
  console.log(`  most migration findings of one rule on a mature product: ${worstMigration} — target ≤ 1: ${met(worstMigration <= 1)}`);
  if (slowest.length > 0) console.log(`  scan time vs before, worst: ${(Math.max(...slowest) * 100).toFixed(0)} %, median: ${(slowest.sort((a, b) => a - b)[Math.floor(slowest.length / 2)] * 100).toFixed(0)} % — target ≤ +10 %: ${met(Math.max(...slowest) <= 0.1)}`);
  if (missed.length > 0) {
    console.log('\nGaps not found');
    for (const { repo, gap } of missed) console.log(`  ${repo}: ${Array.isArray(gap.rule) ? gap.rule.join('|') : gap.rule} ${gap.path ?? ''} — ${gap.note}`);
  }
  if (options.unlabelled && unlabelled.length > 0) {
    console.log('\nUnlabelled findings');
    for (const item of unlabelled) console.log(`  ${item.repo}\t${item.key}\t${item.severity}\t${item.message}`);
  }
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify({ results, rules: Object.fromEntries(perRule), falseCriticals, gapsFound, gapsTotal, missed, unlabelled }, null, 2)}\n`);
}

main();
