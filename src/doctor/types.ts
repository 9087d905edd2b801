// The model of a diagnosis: components found in the configuration, each walked layer by layer. docs/doctor.md

/** What a dependency is, which decides its layers and where it sits in the graph (databases below the API). */
export type ComponentKind = 'postgres' | 'mysql' | 'redis' | 'mongodb' | 'amqp' | 'kafka' | 'smtp' | 'http' | 'containers';

/** Where a component sits: the lowest failing tier is the root cause, the tiers above it are blocked by it. */
export type ComponentRole = 'containers' | 'database' | 'cache' | 'queue' | 'mail' | 'storage' | 'api' | 'frontend';

export const ROLE_TIER: Readonly<Record<ComponentRole, number>> = { containers: -1, database: 0, cache: 0, queue: 0, mail: 0, storage: 0, api: 1, frontend: 2 };

export type LayerName = 'config' | 'dns' | 'tcp' | 'tls' | 'handshake' | 'auth' | 'query' | 'migrations' | 'seed' | 'http' | 'health' | 'bundle' | 'cors' | 'containers' | 'internal';

/** `warn`: works, but will not for long or not for everyone (a certificate expiring in days, no password set). */
export type LayerStatus = 'pass' | 'warn' | 'fail' | 'blocked' | 'skipped';

export interface LayerResult {
  readonly layer: LayerName;
  readonly status: LayerStatus;
  /** What was observed, one line, redacted. */
  readonly output: string;
  /** The command or change that fixes a failure. */
  readonly hint?: string;
  /** The error's name: `ECONNREFUSED`, `28P01`, `CERT_HAS_EXPIRED`, `WRONGPASS`. */
  readonly code?: string;
  readonly ms?: number;
  readonly observedValue?: number | string;
  readonly observedUnit?: string;
}

/** A dependency to check; `url` holds credentials and is never printed (`display` is its redacted form). */
export interface Component {
  /** The variable it came from (`DATABASE_URL`), prefixed by its compose service when it came from one (`api: DATABASE_URL`). */
  readonly name: string;
  readonly kind: ComponentKind;
  readonly role: ComponentRole;
  readonly url: URL;
  readonly display: string;
  /** Where the value was read: `.env:3`, `docker-compose.yml service api`, `process environment`, `--url`. */
  readonly source: string;
  /** The compose service whose container runs with this value, when it came from compose. */
  readonly service?: string;
}

export interface ComponentReport {
  readonly name: string;
  readonly kind: ComponentKind;
  readonly role: ComponentRole;
  readonly target: string;
  readonly source: string;
  readonly status: 'pass' | 'warn' | 'fail';
  readonly layers: readonly LayerResult[];
  /** Set on a failing component above the root cause: it may only fail because the cause does. */
  readonly blockedBy?: string;
}

export interface DoctorResult {
  readonly components: readonly ComponentReport[];
  /** The lowest failing component and layer, when something fails. */
  readonly cause?: { readonly component: string; readonly layer: LayerName; readonly code?: string; readonly output: string };
  /** Every configuration source read, in the order later ones override earlier ones. */
  readonly sources: readonly string[];
  readonly notes: readonly string[];
  readonly attempts: number;
  readonly ms: number;
}
