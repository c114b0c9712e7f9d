import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPORT_PROFILE_TITLES, EXPORT_PROFILES, type ExportProfile } from '../../common/api/exchange-contract';
import { writeDurably } from '../../db/durable-file';
import { classIdByLabel, optionText, requireOption, type CommandModule } from './args';
import { UsageError } from './errors';

/**
 * `export --profile P --out F`: the built-in exports (roster, movement, kiasuo) to a file,
 * written durably (temp file, fsync, rename). The file holds personal data: only its path and
 * the number of records are printed.
 */
export const exportCommands: CommandModule = {
  commands: ['export'],
  options: {
    profile: { type: 'string' },
    out: { type: 'string' },
    class: { type: 'string' },
    'admitted-since': { type: 'string' },
    'without-codes': { type: 'boolean' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  async run(key, values, argument, session) {
    if (key !== 'export') throw new UsageError(`Неизвестная команда «${key}».`);
    if (argument !== undefined) throw new UsageError(`Лишний аргумент «${argument}»: профиль задаётся параметром --profile.`);
    const profile = requireOption(values, 'profile');
    if (!(EXPORT_PROFILES as readonly string[]).includes(profile)) {
      throw new UsageError(`Профиль выгрузки «${profile}» неизвестен: ${EXPORT_PROFILES.join(', ')}.`);
    }
    const out = resolve(requireOption(values, 'out'));
    const label = optionText(values, 'class');
    const admittedSince = optionText(values, 'admitted-since');
    const from = optionText(values, 'from');
    const to = optionText(values, 'to');
    const result = await session.call('exchange.export', {
      profile: profile as ExportProfile,
      ...(label ? { classId: await classIdByLabel(session, label) } : {}),
      ...(admittedSince ? { admittedSince } : {}),
      ...(values['without-codes'] === true ? { withoutCodes: true } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    const bytes = Buffer.from(result.contentBase64, 'base64');
    await writeDurably(out, async (tmp) => writeFileSync(tmp, bytes));
    return [
      { profile, file: out, rows: result.rows },
      `Выгрузка «${EXPORT_PROFILE_TITLES[profile as ExportProfile]}»: записей ${result.rows} → ${out}`,
    ];
  },
};
