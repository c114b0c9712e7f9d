import {
  CONSENT_PURPOSE_LABELS,
  CONSENT_SUBJECT,
  DESTRUCTIBLE_PURPOSES,
  DESTRUCTION_DAYS,
  PUPIL_SIGNS_FROM_AGE,
  type ConsentPurpose,
} from '../../common/api/consents';
import type { ConsentRecordParams, ConsentWithdrawParams, ConsentWithdrawResult } from '../../common/api/consents-contract';
import { ApiError } from '../../common/api/errors';
import { ageOn } from '../../common/domain/person';
import type { Db } from '../../db/connection';
import type { HandlerContext } from '../context';
import { addDays, isCalendarDay, latestDecision, ruDay } from './register';
import { revokeCodesFor } from './revoke';
import { checkScan, type CheckedScan } from './scan';
import { templateFor } from './templates';
import { localDay } from '../../common/domain/local-day';

/**
 * Recording a decision on a consent (given or refused) and withdrawing a given one. Everything
 * is checked before the first write; a refusal names the field. A refusal or withdrawal that
 * takes away the right to an access code revokes it in the same transaction.
 */

/** Age from which a pupil is of full age and signs alone. */
const FULL_AGE = 18;

const bad = (field: string, message: string, short: string): ApiError => new ApiError('invalid_params', message, { [field]: short });

const today = (ctx: HandlerContext) => localDay(ctx.now());

function checkDay(ctx: HandlerContext, day: string, label: string, field = 'date'): void {
  if (!isCalendarDay(day)) throw bad(field, `${label}: такой даты нет в календаре (${day}).`, 'нет такой даты');
  if (day > today(ctx)) throw bad(field, `${label}: дата ${ruDay(day)} ещё не наступила. Укажите день, когда документ подписан.`, 'дата в будущем');
}

async function pupilOf(db: Db, pupilId: number) {
  const pupil = await db.selectFrom('pupil').select(['id', 'birth_date', 'data_destroyed_at']).where('id', '=', pupilId).executeTakeFirst();
  if (!pupil) throw new ApiError('not_found', `Обучающийся: запись № ${pupilId} не найдена. Выберите обучающегося из списка.`, { pupilId: 'нет такого обучающегося' });
  return pupil;
}

/** The guardian must exist and be linked to this pupil. */
async function linkedGuardian(db: Db, pupilId: number, guardianId: number, field: string, label: string): Promise<void> {
  const guardian = await db.selectFrom('guardian').select('id').where('id', '=', guardianId).executeTakeFirst();
  if (!guardian) throw new ApiError('not_found', `${label}: представитель № ${guardianId} не найден.`, { [field]: 'нет такого представителя' });
  const link = await db.selectFrom('pupil_guardian').select('guardian_id').where('pupil_id', '=', pupilId).where('guardian_id', '=', guardianId).executeTakeFirst();
  if (!link) {
    throw bad(field, `${label}: представитель № ${guardianId} не указан среди законных представителей этого обучающегося. Сначала добавьте его в карточку обучающегося.`, 'не представитель этого обучающегося');
  }
}

function templateCategories(json: string | null): string[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** Chosen categories in the template's spelling and order; refuses any the template does not offer. */
function chosenCategories(offered: string[], chosen: readonly string[]): string[] {
  const key = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const wanted = new Set(chosen.map(key));
  const unknown = chosen.filter((c) => !offered.some((o) => key(o) === key(c)));
  if (unknown.length > 0) {
    throw bad(
      'categories',
      `Категории: «${unknown.join('», «')}» нет в тексте согласия этой редакции. Можно выбрать: ${offered.map((o) => `«${o}»`).join(', ')}.`,
      'категория не из текста согласия',
    );
  }
  return offered.filter((o) => wanted.has(key(o)));
}

export async function recordConsent(ctx: HandlerContext, p: ConsentRecordParams): Promise<{ consentId: number; revokedCodes: number }> {
  const db = ctx.db;
  const purpose: ConsentPurpose = p.purpose;
  const subjectKind = CONSENT_SUBJECT[purpose];
  const label = CONSENT_PURPOSE_LABELS[purpose];
  const pupil = await pupilOf(db, p.pupilId);
  const template = await templateFor(db, purpose, p.templateVersion);

  // Whose consent it is and who signs it.
  let signer: number | null = p.signedByGuardianId ?? null;
  if (subjectKind === 'guardian') {
    if (p.guardianId === undefined) throw bad('guardianId', `Представитель: согласие «${label}» оформляется на представителя — укажите, кто из представителей его подписал.`, 'обязательное поле');
    await linkedGuardian(db, p.pupilId, p.guardianId, 'guardianId', 'Представитель');
    if (signer !== null && signer !== p.guardianId) {
      throw bad('signedByGuardianId', 'Подписал представитель: согласие на обработку своих данных и на электронный дневник представитель подписывает сам.', 'подписывает сам представитель');
    }
    if (p.signedByPupil) throw bad('signedByPupil', `Подпись обучающегося: в согласии «${label}» обучающийся не подписывает.`, 'не для этого согласия');
    signer = p.guardianId;
  } else if (p.guardianId !== undefined) {
    throw bad('guardianId', `Представитель: согласие «${label}» оформляется на обучающегося; подписавшего представителя укажите в поле «Подписал представитель».`, 'не для этого согласия');
  }

  checkDay(ctx, p.date, 'Дата решения');
  if (p.date < pupil.birth_date) throw bad('date', `Дата решения: ${ruDay(p.date)} — раньше даты рождения обучающегося. Проверьте дату.`, 'раньше даты рождения');

  if (subjectKind === 'pupil') {
    const age = ageOn(pupil.birth_date, p.date);
    if (signer !== null) await linkedGuardian(db, p.pupilId, signer, 'signedByGuardianId', 'Подписал представитель');
    if (p.signedByPupil && age < PUPIL_SIGNS_FROM_AGE) {
      throw bad('signedByPupil', `Подпись обучающегося: на ${ruDay(p.date)} обучающемуся ${age} — сам он подписывает согласие с ${PUPIL_SIGNS_FROM_AGE} лет.`, `младше ${PUPIL_SIGNS_FROM_AGE} лет`);
    }
    const adult = age >= FULL_AGE;
    if (p.status === 'given' && signer === null && !(adult && p.signedByPupil)) {
      throw bad(
        'signedByGuardianId',
        adult
          ? 'Подписал представитель: укажите представителя или отметьте подпись совершеннолетнего обучающегося.'
          : 'Подписал представитель: согласие за несовершеннолетнего подписывает родитель (законный представитель) — укажите, кто подписал.',
        'обязательное поле',
      );
    }
  }

  // Distribution: the family chooses categories one by one (ст. 10.1).
  let categories: string[] | null = null;
  const chosen = p.categories ?? [];
  if (purpose !== 'distribution') {
    if (chosen.length > 0) throw bad('categories', 'Категории: выбираются только в согласии на распространение данных.', 'только для согласия на распространение');
  } else if (p.status === 'refused') {
    if (chosen.length > 0) throw bad('categories', 'Категории: при отказе от распространения категории не выбираются.', 'не при отказе');
  } else {
    if (chosen.length === 0) throw bad('categories', 'Категории: отметьте хотя бы одну категорию данных, разрешённую для распространения.', 'нужна хотя бы одна категория');
    categories = chosenCategories(templateCategories(template.categories_json), chosen);
  }

  const scan: CheckedScan | null = p.scan ? checkScan(p.scan) : null;
  const note = p.note?.trim() ? p.note.trim() : null;

  const pupilId = subjectKind === 'pupil' ? p.pupilId : null;
  const guardianId = subjectKind === 'guardian' ? (p.guardianId as number) : null;
  const inserted = await db
    .insertInto('consent')
    .values({
      subject_kind: subjectKind,
      // Guardian consents are per guardian: one decision holds for all of their children.
      pupil_id: pupilId,
      guardian_id: guardianId,
      purpose,
      status: p.status,
      decided_on: p.date,
      template_id: template.id,
      signed_by_guardian_id: signer,
      signed_by_pupil: p.signedByPupil ? 1 : 0,
      categories_json: categories === null ? null : JSON.stringify(categories),
      scan: scan?.bytes ?? null,
      scan_mime: scan?.mime ?? null,
      scan_name: scan?.fileName ?? null,
      note,
      recorded_by: ctx.session?.user.id ?? null,
      created_at: ctx.now().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.audit({
    entity: 'consent',
    entityId: inserted.id,
    after: {
      purpose,
      subjectKind,
      pupilId,
      guardianId,
      status: p.status,
      decidedOn: p.date,
      templateVersion: template.version,
      signedByGuardianId: signer,
      signedByPupil: p.signedByPupil === true,
      categories,
    },
  });
  const revokedCodes = p.status === 'refused' ? await revokeCodesFor(ctx, db, purpose, { pupilId: p.pupilId, guardianId }) : 0;
  return { consentId: inserted.id, revokedCodes };
}

export async function withdrawConsent(ctx: HandlerContext, p: ConsentWithdrawParams): Promise<ConsentWithdrawResult> {
  const db = ctx.db;
  const consent = await db
    .selectFrom('consent as c')
    .leftJoin('consent_template as t', 't.id', 'c.template_id')
    .select(['c.id', 'c.subject_kind', 'c.pupil_id', 'c.guardian_id', 'c.purpose', 'c.status', 'c.template_id', 't.version'])
    .where('c.id', '=', p.consentId)
    .executeTakeFirst();
  if (!consent) throw new ApiError('not_found', `Согласие: запись № ${p.consentId} не найдена.`, { consentId: 'нет такого согласия' });
  const label = CONSENT_PURPOSE_LABELS[consent.purpose];
  if (consent.status !== 'given') {
    throw new ApiError('refused', `Согласие: запись № ${p.consentId} — это ${consent.status === 'refused' ? 'отказ' : 'отзыв'}, а отозвать можно только данное согласие.`, {
      consentId: 'не данное согласие',
    });
  }
  const subject = consent.subject_kind === 'pupil' ? { kind: 'pupil' as const, pupilId: consent.pupil_id as number } : { kind: 'guardian' as const, guardianId: consent.guardian_id as number };
  const latest = await latestDecision(db, subject, consent.purpose);
  if (!latest || latest.status !== 'given') {
    throw new ApiError('refused', `Согласие «${label}» сейчас не действует (последнее решение — ${latest?.status === 'refused' ? 'отказ' : 'отзыв'}): отзывать нечего.`, {
      consentId: 'согласие не действует',
    });
  }
  checkDay(ctx, p.date, 'Дата отзыва');
  if (p.date < latest.decided_on) {
    throw bad('date', `Дата отзыва: ${ruDay(p.date)} — раньше, чем дано действующее согласие (${ruDay(latest.decided_on)}). Проверьте дату.`, 'раньше даты согласия');
  }
  const destroyDue = DESTRUCTIBLE_PURPOSES.includes(consent.purpose) ? addDays(p.date, DESTRUCTION_DAYS) : null;
  const note = p.note?.trim() ? p.note.trim() : null;
  const inserted = await db
    .insertInto('consent')
    .values({
      subject_kind: consent.subject_kind,
      pupil_id: consent.pupil_id,
      guardian_id: consent.guardian_id,
      purpose: consent.purpose,
      status: 'withdrawn',
      decided_on: p.date,
      template_id: consent.template_id,
      signed_by_guardian_id: null,
      signed_by_pupil: 0,
      categories_json: null,
      destroy_due: destroyDue,
      note,
      recorded_by: ctx.session?.user.id ?? null,
      created_at: ctx.now().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.audit({
    entity: 'consent',
    entityId: inserted.id,
    after: {
      purpose: consent.purpose,
      subjectKind: consent.subject_kind,
      pupilId: consent.pupil_id,
      guardianId: consent.guardian_id,
      status: 'withdrawn',
      decidedOn: p.date,
      templateVersion: consent.version ?? null,
      signedByGuardianId: null,
      signedByPupil: false,
      categories: null,
      destroyDue,
    },
    details: { withdrawnConsentId: consent.id },
  });
  const revokedCodes = await revokeCodesFor(ctx, db, consent.purpose, { pupilId: consent.pupil_id, guardianId: consent.guardian_id });
  return { consentId: inserted.id, destroyDue, revokedCodes };
}
