import { createElement } from 'react';
import { ApiError } from '../../common/api/errors';
import type { BlockedHolder, CodeRow } from '../../common/api/contract';
import { comparePeople } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { AccessSlipsDocument, type AccessSlip, type AccessSlipsData } from '../../templates/access-slips';
import { renderHtml } from '../../templates/layout';
import { classById } from '../contingent/classes';
import { activeCodeOf, codeView, freshCode, pupilsOfClassOn, storeCode, ACTIVE_STATUSES } from '../codes/codes';
import { codeBlockReason } from '../consents/eligibility';
import { emptyCounts } from '../../common/exchange/report';
import { runImport } from '../exchange/import/run';
import type { Handler, HandlerContext } from '../context';
import { pdfEngine } from '../print/chromium';
import { countPdfPages } from '../print/engine';
import { fontFaceCss } from '../print/fonts';
import { setPdfInfo } from '../print/metadata';
import { readSchool } from './school';
import { localDay } from '../../common/domain/local-day';

const today = (ctx: HandlerContext) => localDay(ctx.now());

const STATUS_LABELS: Record<CodeRow['status'], string> = {
  new: 'не выдан',
  issued: 'выдан',
  revoked: 'отозван',
  disclosed: 'разглашён',
};

const fio = (p: { last_name: string; first_name: string; middle_name: string | null }) => [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

function roleOf(holderKind: 'pupil' | 'guardian', kinship: string | null): string {
  if (holderKind === 'pupil') return 'обучающийся';
  return kinship === 'мать' || kinship === 'отец' ? 'родитель' : 'законный представитель';
}

interface CodeWithPeople {
  row: CodeRow;
  secret: string;
  pupilNames: { lastName: string; firstName: string; middleName: string | null };
}

/** Codes with their holders' names; the secret stays inside main, for the slips only. */
async function codesOf(db: Db, where: { classPupilIds?: number[]; codeId?: number }): Promise<CodeWithPeople[]> {
  let q = db
    .selectFrom('access_code as a')
    .innerJoin('pupil as p', 'p.id', 'a.pupil_id')
    .leftJoin('guardian as g', 'g.id', 'a.guardian_id')
    .leftJoin('pupil_guardian as pg', (j) => j.onRef('pg.pupil_id', '=', 'a.pupil_id').onRef('pg.guardian_id', '=', 'a.guardian_id'))
    .select([
      'a.id',
      'a.holder_kind',
      'a.pupil_id',
      'a.guardian_id',
      'a.code_secret',
      'a.status',
      'a.valid_until',
      'a.imported_at',
      'a.issued_at',
      'a.revoked_at',
      'a.revoke_reason',
      'a.disclosed_at',
      'p.last_name as p_last',
      'p.first_name as p_first',
      'p.middle_name as p_middle',
      'g.last_name as g_last',
      'g.first_name as g_first',
      'g.middle_name as g_middle',
      'pg.kinship',
    ]);
  if (where.codeId !== undefined) q = q.where('a.id', '=', where.codeId);
  if (where.classPupilIds !== undefined) {
    if (where.classPupilIds.length === 0) return [];
    q = q.where('a.pupil_id', 'in', where.classPupilIds);
  }
  const rows = await q.execute();
  const list = rows.map((r) => {
    const pupil = fio({ last_name: r.p_last, first_name: r.p_first, middle_name: r.p_middle });
    const holder = r.holder_kind === 'guardian' ? fio({ last_name: r.g_last ?? '', first_name: r.g_first ?? '', middle_name: r.g_middle }) : pupil;
    return {
      secret: r.code_secret,
      pupilNames: { lastName: r.p_last, firstName: r.p_first, middleName: r.p_middle },
      row: {
        id: r.id,
        holderKind: r.holder_kind,
        role: roleOf(r.holder_kind, r.kinship),
        holder,
        pupilId: r.pupil_id,
        guardianId: r.guardian_id,
        pupil,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status],
        validUntil: r.valid_until,
        importedAt: r.imported_at,
        issuedAt: r.issued_at,
        revokedAt: r.revoked_at,
        revokeReason: r.revoke_reason,
        disclosedAt: r.disclosed_at,
      } satisfies CodeRow,
    };
  });
  // The pupil, then their guardians, pupils in alphabetical order; newest code first.
  return list.sort(
    (a, b) =>
      comparePeople(a.pupilNames, b.pupilNames) ||
      a.row.pupilId - b.row.pupilId ||
      (a.row.holderKind === b.row.holderKind ? 0 : a.row.holderKind === 'pupil' ? -1 : 1) ||
      a.row.holder.localeCompare(b.row.holder, 'ru') ||
      b.row.id - a.row.id,
  );
}

async function codeById(db: Db, id: number): Promise<CodeWithPeople> {
  const found = (await codesOf(db, { codeId: id }))[0];
  if (!found) throw new ApiError('not_found', `Код доступа № ${id} не найден.`, { codeId: 'нет такого кода' });
  return found;
}

/**
 * The secretary's loading of a regional codes list: the exchange runner with the built-in
 * `access-codes` profile, so the file goes through the same safe reader (size caps, encodings,
 * ZIP limits), the same column mapping and the same codes rules as «Обмен данными». The dialog
 * keeps its own report shape (codes only, never conflicts).
 */
export const codesImport: Handler<'codes.import'> = async (ctx, params) => {
  const report = await runImport(ctx, { fileName: params.fileName, contentBase64: params.contentBase64, profile: 'access-codes', encoding: params.encoding, dryRun: params.dryRun });
  return {
    profile: 'access-codes',
    file: report.file,
    dryRun: report.dryRun,
    counts: { codes: report.counts.codes ?? emptyCounts() },
    rejected: report.rejected,
    warnings: report.warnings,
    rejectedFile: report.rejectedFile,
  };
};

export const codesGenerate: Handler<'codes.generate'> = async (ctx, params) => {
  const cls = await classById(ctx.db, params.classId);
  const at = ctx.now().toISOString();
  const pupils = await pupilsOfClassOn(ctx.db, cls.id, today(ctx));
  let pupilCodes = 0;
  let guardianCodes = 0;
  let skippedRefused = 0;
  let skippedNoConsent = 0;
  const validUntil = params.validUntil ?? null;
  const mayHave = async (holder: { kind: 'pupil' | 'guardian'; pupilId: number; guardianId: number | null }): Promise<boolean> => {
    const blocked = await codeBlockReason(ctx.db, holder);
    if (blocked === null) return true;
    if (holder.kind === 'guardian' && blocked.includes('электрон')) skippedRefused += 1;
    else skippedNoConsent += 1;
    return false;
  };
  for (const p of pupils) {
    const own = { kind: 'pupil' as const, pupilId: p.id, guardianId: null };
    if ((await mayHave(own)) && !(await activeCodeOf(ctx.db, own))) {
      const stored = await storeCode(ctx.db, own, await freshCode(ctx.db), validUntil, at);
      ctx.audit({ entity: 'access_code', entityId: stored.id, after: { holderKind: 'pupil', pupilId: p.id, status: 'new', validUntil } });
      pupilCodes += 1;
    }
    const guardians = await ctx.db.selectFrom('pupil_guardian').select('guardian_id').where('pupil_id', '=', p.id).execute();
    for (const { guardian_id: guardianId } of guardians) {
      const holder = { kind: 'guardian' as const, pupilId: p.id, guardianId };
      if (!(await mayHave(holder))) continue;
      if (await activeCodeOf(ctx.db, holder)) continue;
      const stored = await storeCode(ctx.db, holder, await freshCode(ctx.db), validUntil, at);
      ctx.audit({ entity: 'access_code', entityId: stored.id, after: { holderKind: 'guardian', pupilId: p.id, guardianId, status: 'new', validUntil } });
      guardianCodes += 1;
    }
  }
  const summary = { classId: cls.id, created: pupilCodes + guardianCodes, pupils: pupilCodes, guardians: guardianCodes, skippedRefused, skippedNoConsent };
  ctx.audit({ entity: 'school_class', entityId: cls.id, details: summary });
  return summary;
};

/** Everyone of the class (pupils and their guardians) who may not get a code, with the reason. */
async function blockedHolders(db: Db, pupils: { id: number; last_name: string; first_name: string; middle_name: string | null }[]): Promise<BlockedHolder[]> {
  const out: BlockedHolder[] = [];
  const sorted = [...pupils].sort((a, b) => comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }));
  for (const p of sorted) {
    const pupil = fio(p);
    const own = await codeBlockReason(db, { kind: 'pupil', pupilId: p.id, guardianId: null });
    if (own) out.push({ holderKind: 'pupil', pupilId: p.id, guardianId: null, holder: pupil, pupil, reason: own });
    const guardians = await db
      .selectFrom('pupil_guardian as pg')
      .innerJoin('guardian as g', 'g.id', 'pg.guardian_id')
      .select(['g.id', 'g.last_name', 'g.first_name', 'g.middle_name'])
      .where('pg.pupil_id', '=', p.id)
      .execute();
    for (const g of guardians) {
      const reason = await codeBlockReason(db, { kind: 'guardian', pupilId: p.id, guardianId: g.id });
      if (reason) out.push({ holderKind: 'guardian', pupilId: p.id, guardianId: g.id, holder: fio(g), pupil, reason });
    }
  }
  return out;
}

export const codesList: Handler<'codes.list'> = async (ctx, params) => {
  const cls = await classById(ctx.db, params.classId);
  const pupils = await pupilsOfClassOn(ctx.db, cls.id, today(ctx));
  const codes = await codesOf(ctx.db, { classPupilIds: pupils.map((p) => p.id) });
  return { classId: cls.id, classLabel: cls.label, rows: codes.map((c) => c.row), blocked: await blockedHolders(ctx.db, pupils) };
};

export const codesPrint: Handler<'codes.print'> = async (ctx, params) => {
  const cls = await classById(ctx.db, params.classId);
  const school = await readSchool(ctx.db);
  const pupils = await pupilsOfClassOn(ctx.db, cls.id, today(ctx));
  const active: CodeWithPeople[] = [];
  let blocked = 0;
  for (const c of await codesOf(ctx.db, { classPupilIds: pupils.map((p) => p.id) })) {
    if (!(ACTIVE_STATUSES as readonly string[]).includes(c.row.status)) continue;
    // A refusal or a missing consent recorded after the code was loaded withholds the slip.
    if (await codeBlockReason(ctx.db, { kind: c.row.holderKind, pupilId: c.row.pupilId, guardianId: c.row.guardianId })) {
      blocked += 1;
      continue;
    }
    active.push(c);
  }
  const slips: AccessSlip[] = active.map((c) => ({
    role: c.row.role,
    holder: c.row.holderKind === 'pupil' ? `${c.pupilNames.lastName} ${c.pupilNames.firstName}` : c.row.holder,
    child: c.row.holderKind === 'guardian' ? `${c.pupilNames.lastName} ${c.pupilNames.firstName}` : null,
    classLabel: cls.label,
    code: c.secret,
    validUntil: c.row.validUntil,
  }));
  const data: AccessSlipsData = {
    schoolName: school.name || 'Образовательная организация',
    classLabel: cls.label,
    yearName: cls.yearName,
    slips,
    register: active.map((c) => ({
      fio: c.row.holderKind === 'guardian' ? `${c.row.holder} (ребёнок ${c.pupilNames.lastName} ${c.pupilNames.firstName})` : c.row.holder,
      role: c.row.role,
      issuedAt: c.row.issuedAt ? c.row.issuedAt.slice(0, 10) : null,
    })),
  };
  const title = `Реквизиты доступа к электронному дневнику, ${cls.label} класс`;
  const meta = { title, author: data.schoolName, subject: 'Реквизиты доступа и ведомость выдачи', keywords: ['Канцелярия', 'коды доступа', cls.label, cls.yearName] };
  const html = renderHtml(createElement(AccessSlipsDocument, { data, meta, fontCss: fontFaceCss() }));
  const printed = await pdfEngine().print(html, { title });
  const pdf = setPdfInfo(printed, { title, author: meta.author, subject: meta.subject, keywords: meta.keywords.join(', '), creator: 'Канцелярия' });
  const pages = countPdfPages(pdf);
  await ctx.write(async () => ctx.audit({ entity: 'school_class', entityId: cls.id, details: { classId: cls.id, slips: slips.length, blocked, pages } }));
  return { fileName: `Коды доступа ${cls.label}.pdf`, title, pages, slips: slips.length, blocked, pdfBase64: pdf.toString('base64') };
};

function ensureActive(code: CodeWithPeople): void {
  if (!(ACTIVE_STATUSES as readonly string[]).includes(code.row.status)) {
    throw new ApiError('refused', `Код № ${code.row.id} уже ${STATUS_LABELS[code.row.status]}: отметка невозможна. Для нового кода используйте перевыпуск.`);
  }
}

export const codesMark: Handler<'codes.mark'> = async (ctx, params) => {
  const code = await codeById(ctx.db, params.codeId);
  const at = ctx.now().toISOString();
  const before = await ctx.db.selectFrom('access_code').selectAll().where('id', '=', params.codeId).executeTakeFirstOrThrow();
  ensureActive(code);
  if (params.status === 'issued') {
    if (code.row.status === 'issued') throw new ApiError('refused', `Код № ${code.row.id} уже отмечен как выданный.`);
    await ctx.db.updateTable('access_code').set({ status: 'issued', issued_at: at }).where('id', '=', code.row.id).execute();
  } else if (params.status === 'lost') {
    await ctx.db.updateTable('access_code').set({ status: 'revoked', revoked_at: at, revoke_reason: 'утерян' }).where('id', '=', code.row.id).execute();
  } else {
    await ctx.db
      .updateTable('access_code')
      .set({ status: 'disclosed', revoked_at: at, disclosed_at: at, revoke_reason: 'разглашён' })
      .where('id', '=', code.row.id)
      .execute();
  }
  const after = await ctx.db.selectFrom('access_code').selectAll().where('id', '=', params.codeId).executeTakeFirstOrThrow();
  ctx.audit({ entity: 'access_code', entityId: code.row.id, before: codeView(before), after: codeView(after), details: { mark: params.status } });
  return (await codeById(ctx.db, code.row.id)).row;
};

export const codesReissue: Handler<'codes.reissue'> = async (ctx, params) => {
  const old = await codeById(ctx.db, params.codeId);
  const holder = { kind: old.row.holderKind, pupilId: old.row.pupilId, guardianId: old.row.guardianId };
  const blocked = await codeBlockReason(ctx.db, holder);
  if (blocked) throw new ApiError('refused', `Код не выдаётся: ${blocked}. Ничего не изменено.`);
  const newer = await activeCodeOf(ctx.db, holder);
  if (newer && newer.id !== old.row.id) {
    throw new ApiError('refused', `У этого лица уже есть действующий код № ${newer.id}: перевыпускайте его.`);
  }
  const at = ctx.now().toISOString();
  const stored = await storeCode(ctx.db, holder, await freshCode(ctx.db), old.row.validUntil, at, 'заменён новым кодом');
  const fresh = await codeById(ctx.db, stored.id);
  ctx.audit({ entity: 'access_code', entityId: stored.id, after: { ...fresh.row }, details: { replacedCodeId: old.row.id } });
  return fresh.row;
};
