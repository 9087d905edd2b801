// Probe limits the CLI shows in `--help`; kept apart so help never loads the network code.

export const DEFAULT_LOGIN_ATTEMPTS = 10;
export const MAX_LOGIN_ATTEMPTS = 20;
