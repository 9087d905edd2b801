import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';
import backupDocumented from './data/backup-documented.js';
import composeDbVolume from './data/compose-db-volume.js';
import migrationsMissing from './data/migrations-missing.js';
import schemaPushDeploy from './data/schema-push-deploy.js';
import ciTests from './operations/ci-tests.js';
import composeFileAmbiguity from './operations/compose-file-ambiguity.js';
import deployVerification from './operations/deploy-verification.js';
import portConflict from './operations/port-conflict.js';
import rollbackDocumented from './operations/rollback-documented.js';
import tlsAutoRenewal from './operations/tls-auto-renewal.js';
import versionDrift from './operations/version-drift.js';
import dockerDevDependencies from './performance/docker-dev-dependencies.js';
import composeDependsHealthy from './reliability/compose-depends-healthy.js';
import composeRestartPolicy from './reliability/compose-restart-policy.js';
import containerHealthcheck from './reliability/container-healthcheck.js';
import dockerSignalHandling from './reliability/docker-signal-handling.js';
import dependencyAudit from './security/dependency-audit.js';
import dockerBuildSecrets from './security/docker-build-secrets.js';
import dockerUnpinnedBase from './security/docker-unpinned-base.js';
import envFileCommitted from './security/env-file-committed.js';
import proxyVersionDisclosure from './security/proxy-version-disclosure.js';
import adr from './team/adr.js';
import lockfile from './team/lockfile.js';
import oneCommandSetup from './team/one-command-setup.js';
import readmeSetup from './team/readme-setup.js';
import runtimeVersionPinned from './team/runtime-version-pinned.js';

/** Rules about containers, compose, CI/CD, TLS, proxies and team documents (issue "Scan rules, part 2"), in id order. */
export const infrastructureRules: readonly RegisteredRule<Project>[] = [
  backupDocumented,
  composeDbVolume,
  migrationsMissing,
  schemaPushDeploy,
  ciTests,
  composeFileAmbiguity,
  deployVerification,
  portConflict,
  rollbackDocumented,
  tlsAutoRenewal,
  versionDrift,
  dockerDevDependencies,
  composeDependsHealthy,
  composeRestartPolicy,
  containerHealthcheck,
  dockerSignalHandling,
  dependencyAudit,
  dockerBuildSecrets,
  dockerUnpinnedBase,
  envFileCommitted,
  proxyVersionDisclosure,
  adr,
  lockfile,
  oneCommandSetup,
  readmeSetup,
  runtimeVersionPinned,
];
