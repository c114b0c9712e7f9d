import { cancel } from '../contingent/movement';
import { readSchool } from '../handlers/school';
import { describeObject, numberOf } from './describe';
import { Refusal, type DisclosedEntry, type RevertContext, type Strategy } from './types';

/** The reason written into the counter-event («Внесено ошибочно: …»). */
export const MOVEMENT_REVERT_REASON = 'отмена действий раскрытой учётной записи';

/**
 * Movement records are never deleted: a wrong one gets a counter-event, exactly as «Отмена
 * ошибочной записи о движении» does, so class lists and reports follow on their own.
 */
async function cancelEvent(r: RevertContext, e: DisclosedEntry) {
  const eventId = numberOf(e.details?.eventId);
  if (eventId === null) {
    throw new Refusal('в записи журнала нет номера записи о движении: отмените её вручную («Отмена ошибочной записи о движении»)');
  }
  const school = await readSchool(r.db);
  const done = await cancel(
    { trx: r.db, at: r.now.toISOString(), userId: r.actor.userId, orderSuffix: r.app.settings.orderSuffix, directorName: school.directorName || null },
    { eventId, reason: MOVEMENT_REVERT_REASON },
    r.now.toISOString().slice(0, 10),
  );
  return { details: { eventId, counterEventId: done.counterId, pupilId: done.cancelled.pupil_id } };
}

function movementStrategy(describe: (e: DisclosedEntry) => string): Strategy {
  return {
    async summary(db, e) {
      return `${await describeObject(db, 'pupil', e.entityId)}: ${describe(e)}`;
    },
    revert: cancelEvent,
  };
}

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

export const admitStrategy = movementStrategy((e) => `зачисление в ${text(e.details?.class)} класс, приказ ${text(e.details?.order)}`);
export const transferStrategy = movementStrategy((e) => `перевод из ${text(e.before?.class)} в ${text(e.after?.class)} класс, приказ ${text(e.details?.order)}`);
export const leaveStrategy = movementStrategy((e) => {
  const revoked = typeof e.details?.revokedCodes === 'number' ? e.details.revokedCodes : 0;
  // Cancelling the leave does not bring codes back: they may have leaked with the account.
  const codes = revoked > 0 ? `; отозванные при выбытии коды доступа (${revoked}) при отмене не восстанавливаются — перевыпустите их` : '';
  return `выбытие (${text(e.details?.reason)}), приказ ${text(e.details?.order)}${codes}`;
});
