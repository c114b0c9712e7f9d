import type { CommandModule } from './args';

/**
 * Command groups that plug into the runner: each lists its commands and options and runs them
 * through the one dispatcher. Add a module here; the runner, `--help` and option parsing follow.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [];
