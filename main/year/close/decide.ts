import { ApiError } from '../../../common/api/errors';
import type { CloseDecision, Decision } from '../../../common/api/year-contract';
import { classLabel } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import { ruDate } from '../../contingent/dates';
import { loadCloseInput } from './load';
import { decisionProblem, planClose, previewOf } from './plan';

export interface DecideInput {
  yearId: number;
  pupilId: number;
  decision: Decision | null;
  subjectIds: number[];
  today: string;
  orderSuffix: string;
  userId: number | null;
  at: string;
}

/**
 * The administrator's explicit decision for one pupil (or, with null, back to what the marks
 * propose). Valid only for a pupil in a class of the year on its last day; «окончил» only in the
 * 9th and 11th classes; debt subjects only from the pupil's curriculum. Returns the pupil's row
 * of the plan as it now stands, and the previous decision for the audit entry.
 */
export async function decide(trx: Db, input: DecideInput): Promise<{ row: CloseDecision; before: { decision: Decision; subjectIds: number[] } | null }> {
  const year = await trx.selectFrom('school_year').selectAll().where('id', '=', input.yearId).executeTakeFirst();
  if (!year) throw new ApiError('not_found', `Учебный год № ${input.yearId} не найден. Выберите год из списка учебных годов.`, { yearId: 'нет такого учебного года' });
  if (year.closed === 1) {
    throw new ApiError('refused', `Учебный год ${year.name} закрыт: решения о переводе больше не меняются. Чтобы изменить их, сначала отмените закрытие года.`);
  }
  const membership = await trx
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .select(['c.id as class_id', 'c.parallel', 'c.letter'])
    .where('m.pupil_id', '=', input.pupilId)
    .where('c.year_id', '=', year.id)
    .where('m.from_date', '<=', year.ends_on)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', year.ends_on)]))
    .orderBy('m.from_date', 'desc')
    .executeTakeFirst();
  if (!membership) {
    throw new ApiError(
      'refused',
      `Обучающийся № ${input.pupilId} не числится ни в одном классе учебного года ${year.name} на его последний день (${ruDate(year.ends_on)}): решение о переводе для него не принимается.`,
      { pupilId: 'нет в классах года на его последний день' },
    );
  }
  const label = classLabel(membership.parallel, membership.letter);
  if (input.decision !== null) {
    const problem = decisionProblem(input.decision, membership.parallel);
    if (problem) throw new ApiError('invalid_params', `Класс ${label}: ${problem}.`, { decision: problem });
  }
  const subjectIds = [...new Set(input.subjectIds)];
  if (subjectIds.length > 0) {
    if (input.decision !== 'conditional' && input.decision !== 'repeat') {
      throw new ApiError('invalid_params', 'Предметы академической задолженности указываются только для условного перевода или оставления на повторное обучение.', {
        subjectIds: 'только для условного перевода или повторного обучения',
      });
    }
    const own = new Set(
      (await trx.selectFrom('curriculum').select('subject_id').where('class_id', '=', membership.class_id).execute()).map((r) => r.subject_id),
    );
    const foreign = subjectIds.filter((id) => !own.has(id));
    if (foreign.length > 0) {
      throw new ApiError('invalid_params', `Предметы № ${foreign.join(', ')} не входят в учебный план класса ${label}: выберите предметы из учебного плана класса.`, {
        subjectIds: 'предмет не из учебного плана класса',
      });
    }
  }

  const previous = await trx.selectFrom('year_decision').select(['decision', 'subject_ids']).where('year_id', '=', year.id).where('pupil_id', '=', input.pupilId).executeTakeFirst();
  const before = previous ? { decision: previous.decision, subjectIds: JSON.parse(previous.subject_ids) as number[] } : null;
  if (input.decision === null) {
    await trx.deleteFrom('year_decision').where('year_id', '=', year.id).where('pupil_id', '=', input.pupilId).execute();
  } else {
    const values = { decision: input.decision, subject_ids: JSON.stringify(subjectIds), decided_by: input.userId, decided_at: input.at };
    await trx
      .insertInto('year_decision')
      .values({ year_id: year.id, pupil_id: input.pupilId, ...values })
      .onConflict((oc) => oc.columns(['year_id', 'pupil_id']).doUpdateSet(values))
      .execute();
  }

  const preview = previewOf(planClose(await loadCloseInput(trx, { yearId: year.id, today: input.today, orderSuffix: input.orderSuffix })));
  const row = preview.decisions.find((d) => d.pupilId === input.pupilId);
  if (!row) throw new ApiError('refused', `Обучающийся № ${input.pupilId} выбыл после окончания учебного года ${year.name}: решение о переводе для него не требуется.`);
  if (row.decision === 'conditional' && row.subjects.length === 0) {
    // Nothing written: the transaction rolls back with the refusal.
    throw new ApiError('invalid_params', `Условный перевод — при академической задолженности: укажите её предметы (у обучающегося нет отметок «2» или «н/а»).`, {
      subjectIds: 'укажите предметы задолженности',
    });
  }
  return { row, before };
}
