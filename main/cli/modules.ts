import type { CommandModule } from './args';
import { archiveCommands } from './archive-commands';
import { BACKUP_MODULE } from './backup-commands';
import { ARCHIVE_YEAR_MODULE } from './archive-year-commands';
import { CONSENTS_MODULE } from './consents-commands';
import { CONSENT_PRINT_COMMANDS } from './consent-print-commands';
import { DESTRUCTION_MODULE } from './destruction-commands';
import { EXTRACTS_MODULE } from './extracts-commands';
import { disclosureCommands } from './disclosure-commands';
import { exportCommands } from './export-commands';
import { importCommands } from './import-commands';
import { yearCloseCommands } from './year-close-commands';
import { yearReopenCommands } from './year-reopen-commands';
import { yearCommands } from './year-commands';
import { printVolumeCommands } from './print-volume-commands';

/**
 * Command groups that plug into the runner: each lists its commands and options and runs them
 * through the one dispatcher. Add a module here; the runner, `--help` and option parsing follow.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [CONSENTS_MODULE, EXTRACTS_MODULE, CONSENT_PRINT_COMMANDS, DESTRUCTION_MODULE, disclosureCommands, exportCommands, importCommands, yearCommands, yearCloseCommands, yearReopenCommands, ARCHIVE_YEAR_MODULE, archiveCommands, printVolumeCommands, BACKUP_MODULE];
