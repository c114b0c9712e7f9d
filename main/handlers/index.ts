import type { Handlers } from '../context';
import * as app from './app';
import { archiveHandlers } from './archive';
import { backupHandlers } from './backup';
import { backupRestoreHandlers } from './backup-restore';
import { backupStatusHandlers } from './backup-status';
import * as audit from './audit';
import * as auth from './auth';
import * as codes from './codes';
import { consentHandlers } from './consents';
import { destructionHandlers } from './destruction';
import { disclosureHandlers } from './disclosure';
import { exchangeHandlers } from './exchange';
import { exchangeImportHandlers } from './exchange-import';
import { exchangePreviewHandlers } from './exchange-preview';
import { yearStructureHandlers } from './year-structure';
import { yearDraftHandlers } from './year-draft';
import * as contingent from './contingent';
import * as demo from './demo';
import * as print from './print';
import * as school from './school';
import * as users from './users';
import * as yearClose from './year-close';
import { yearReopen } from './year-reopen';

/** Every method of the contract has exactly one handler here; the type makes a gap a compile error. */
export const handlers: Handlers = {
  ...archiveHandlers,
  ...backupHandlers,
  ...backupRestoreHandlers,
  ...backupStatusHandlers,
  'app.status': app.status,
  'jobs.cancel': app.cancelJob,
  'auth.setup': auth.setup,
  'auth.login': auth.login,
  'auth.logout': auth.logout,
  'auth.me': auth.me,
  'auth.unlockScreen': auth.unlockScreen,
  'auth.changePassword': auth.changePassword,
  'school.overview': school.overview,
  'school.update': school.update,
  'settings.get': school.getSettings,
  'settings.update': school.updateSettings,
  'users.list': users.list,
  'users.create': users.create,
  'users.update': users.update,
  'users.lock': users.lock,
  'users.unlock': users.unlock,
  'users.resetPassword': users.resetPassword,
  'audit.list': audit.list,
  'audit.verify': audit.verify,
  'demo.generate': demo.generate,
  'classes.list': contingent.classesList,
  'pupils.search': contingent.pupilsSearch,
  'pupils.get': contingent.pupilsGet,
  'pupils.update': contingent.pupilsUpdate,
  'pupils.findExisting': contingent.pupilsFindExisting,
  'guardians.search': contingent.guardiansSearch,
  'guardians.link': contingent.guardiansLink,
  'guardians.update': contingent.guardiansUpdate,
  'guardians.unlink': contingent.guardiansUnlink,
  'orders.list': contingent.ordersList,
  'orders.get': contingent.ordersGet,
  'movement.admit': contingent.admit,
  'movement.transfer': contingent.transfer,
  'movement.leave': contingent.leave,
  'movement.cancel': contingent.cancel,
  'movement.report': contingent.report,
  'print.document': print.document,
  'codes.import': codes.codesImport,
  'codes.generate': codes.codesGenerate,
  'codes.list': codes.codesList,
  'codes.print': codes.codesPrint,
  'codes.mark': codes.codesMark,
  'codes.reissue': codes.codesReissue,
  ...consentHandlers,
  ...destructionHandlers,
  ...disclosureHandlers,
  ...exchangeHandlers,
  ...exchangeImportHandlers,
  ...exchangePreviewHandlers,
  ...yearStructureHandlers,
  ...yearDraftHandlers,
  'year.closePreview': yearClose.closePreview,
  'year.decide': yearClose.yearDecide,
  'year.close': yearClose.yearClose,
  'year.reopen': yearReopen,
};
