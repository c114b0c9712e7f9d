import type { exchangeImportMethods } from '../../common/api/exchange-import-contract';
import type { Handler } from '../context';
import { runImport } from '../exchange/import/run';
import { BUILTIN_PROFILES } from '../exchange/profiles/builtin';

type Methods = keyof typeof exchangeImportMethods;

/**
 * Imports a file by a profile (formats.md): a dry run reports and writes nothing; a real run
 * writes everything in the call's one transaction. The audit log gets what was done (ids, field
 * names, counts), never the file's values: the runner records it, not the dispatcher's default
 * entry, which would hold the file itself.
 */
const importData: Handler<'exchange.import'> = async (ctx, params) => runImport(ctx, params);

/** The built-in profiles, for the mapping screen to start a user's profile from. */
const profiles: Handler<'exchange.profiles'> = async () => ({ profiles: BUILTIN_PROFILES.map((p) => structuredClone(p)) });

export const exchangeImportHandlers: { [M in Methods]: Handler<M> } = {
  'exchange.import': importData,
  'exchange.profiles': profiles,
};
