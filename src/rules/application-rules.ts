import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';
import gracefulShutdown from './reliability/graceful-shutdown.js';
import inputValidation from './security/input-validation.js';
import errorHandler from './reliability/error-handler.js';
import rateLimit from './security/rate-limit.js';
import authRateLimit from './security/auth-rate-limit.js';
import securityHeaders from './security/security-headers.js';
import sqlInjection from './security/sql-injection.js';
import hardcodedCredential from './security/hardcoded-credential.js';
import frontendLocalhostDefault from './operations/frontend-localhost-default.js';
import corsCredentials from './security/cors-credentials.js';
import csrf from './security/csrf.js';
import structuredLogging from './operations/structured-logging.js';
import correlationId from './operations/correlation-id.js';
import envDocumented from './operations/env-documented.js';
import envValidated from './operations/env-validated.js';
import processErrorHandlers from './reliability/process-error-handlers.js';
import outboundTimeout from './reliability/outbound-timeout.js';
import strictNullChecks from './reliability/strict-null-checks.js';
import errorTracking from './operations/error-tracking.js';
import nPlusOne from './performance/n-plus-one.js';
import seedNotIdempotent from './data/seed-not-idempotent.js';

/** Rules about what application code is missing before production (issue "Scan rules, part 1"). */
export const applicationRules: readonly RegisteredRule<Project>[] = [gracefulShutdown, inputValidation, errorHandler, rateLimit, authRateLimit, securityHeaders, sqlInjection, hardcodedCredential, frontendLocalhostDefault, corsCredentials, csrf, structuredLogging, correlationId, envDocumented, envValidated, processErrorHandlers, outboundTimeout, strictNullChecks, errorTracking, nPlusOne, seedNotIdempotent];
