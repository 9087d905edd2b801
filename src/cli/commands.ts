import type { Command } from './command.js';
import { doctorCommand } from './doctor.js';
import { migrationsCommand } from './migrations.js';
import { probeCommand } from './probe.js';
import { scanCommand } from './scan.js';
import { smokeCommand } from './smoke.js';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [scanCommand, migrationsCommand, probeCommand, doctorCommand, smokeCommand];
