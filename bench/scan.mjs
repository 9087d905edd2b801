// Scan benchmark: a 20,000-file synthetic monorepo; files/s, MB/s and peak RSS, plus the time ratio
// against ripgrep running the same secret patterns when `rg` is installed (Debian package ripgrep).
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonorepo } from './generate-monorepo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TREE = path.join(ROOT, '.bench', 'monorepo');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** ripgrep versions of the provider detectors in src/core/secrets.ts (no look-arounds in rg's default engine). */
const RG_PATTERNS = [
  '\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\\b',
  '(?i)aws_?secret_?(?:access_?)?key["\']?\\s*[:=]\\s*["\']?[A-Za-z0-9/+=]{40}',
  '\\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\\b',
  '\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b',
  '\\bgithub_pat_[A-Za-z0-9_]{60,255}\\b',
  '\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b',
  'https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}',
  '\\bAIza[0-9A-Za-z_-]{35}',
  '\\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}',
  '\\bsk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,}',
  '\\bnpm_[A-Za-z0-9]{36}\\b',
  '\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
  '-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----',
  '(?i)\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?)://[^\\s\'"`<>]+',
  '(?i)[A-Za-z_][A-Za-z0-9_.-]{0,80}(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*\\s*(?:=|:|:=|=>)\\s*["\'`]?[A-Za-z0-9+/=_\\-.~!@#%^&*]{16,200}',
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function hasRipgrep() {
  return spawnSync('rg', ['--version']).status === 0;
}

function sampleScans(ruleSet) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const output = execFileSync(process.execPath, [path.join(ROOT, 'bench', 'scan-child.mjs'), TREE, ruleSet], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - started;
    samples.push({ ...JSON.parse(output), wallMs });
  }
  return samples;
}

export function runScanBenchmark() {
  const generated = generateMonorepo(TREE);
  console.log(`scan benchmark: generated ${generated} files in ${path.relative(ROOT, TREE)}`);
  const foundationMs = median(sampleScans('foundation').map((sample) => sample.wallMs));
  const applicationMs = median(sampleScans('application').map((sample) => sample.wallMs));
  const infrastructureMs = median(sampleScans('infrastructure').map((sample) => sample.wallMs));
  const samples = sampleScans('all');
  const wallMs = median(samples.map((sample) => sample.wallMs));
  const scanMs = median(samples.map((sample) => sample.durationMs));
  const maxRss = Math.max(...samples.map((sample) => sample.maxRssBytes));
  const { files, bytes, findings } = samples[0];
  const figures = {
    files,
    megabytes: bytes / 1e6,
    wallSeconds: wallMs / 1000,
    scanSeconds: scanMs / 1000,
    filesPerSecond: files / (wallMs / 1000),
    megabytesPerSecond: bytes / 1e6 / (wallMs / 1000),
    peakRssMiB: maxRss / (1024 * 1024),
    findings,
  };
  console.log(
    `scan: ${files} files, ${figures.megabytes.toFixed(1)} MB in ${figures.wallSeconds.toFixed(2)} s wall (${figures.scanSeconds.toFixed(2)} s in scan), ` +
      `${Math.round(figures.filesPerSecond)} files/s, ${figures.megabytesPerSecond.toFixed(1)} MB/s, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB, ${findings} findings (median of ${RUNS})`,
  );
  console.log(`  target: < 10 s and < 1024 MiB → ${figures.wallSeconds < 10 && figures.peakRssMiB < 1024 ? 'met' : 'NOT MET'}`);
  figures.foundationOnlySeconds = foundationMs / 1000;
  figures.applicationRulesCost = applicationMs / foundationMs - 1;
  figures.infrastructureRulesCost = infrastructureMs / foundationMs - 1;
  figures.wholeCatalogueCost = wallMs / foundationMs - 1;
  const percent = (value) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(0)}%`;
  console.log(
    `  foundation rules only: ${(foundationMs / 1000).toFixed(2)} s; + application-code rules (issue 3): ${(applicationMs / 1000).toFixed(2)} s (${percent(figures.applicationRulesCost)}); ` +
      `+ infrastructure rules (issue 4): ${(infrastructureMs / 1000).toFixed(2)} s (${percent(figures.infrastructureRulesCost)}); whole catalogue ${percent(figures.wholeCatalogueCost)} (each issue allows +20%)`,
  );
  if (hasRipgrep()) {
    const rgSamples = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      spawnSync('rg', ['--count-matches', '--no-messages', ...RG_PATTERNS.flatMap((pattern) => ['-e', pattern]), TREE], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      rgSamples.push(performance.now() - started);
    }
    const rgMs = median(rgSamples);
    figures.ripgrepSeconds = rgMs / 1000;
    figures.ratioToRipgrep = wallMs / rgMs;
    console.log(`  ripgrep with the ${RG_PATTERNS.length} secret patterns over the same tree: ${(rgMs / 1000).toFixed(2)} s → shipready takes ${figures.ratioToRipgrep.toFixed(1)}× as long (it also parses and runs every rule)`);
  } else {
    console.log('  ripgrep not installed (apt-get install ripgrep) — ratio skipped');
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) runScanBenchmark();
