import { readFileSync } from 'node:fs';

/** Where shipready lives: rule docs, SARIF `informationUri`, the probe's User-Agent and the JSON schema id hang off it. */
export const PROJECT_URL = 'https://github.com/shipready/shipready';

/** Prefix of every rule's docs link (rule `docs` paths are relative to the repository root). */
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/`;

function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/** The installed shipready version (from its package.json). */
export const VERSION = readVersion();
