import { useId, useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { TextField } from '../../components/ui';
import { countOf, formatIsoDate } from '../../format';
import { PdfButton, todayIso } from '../contingent/common';

const DAY_MS = 86_400_000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Monday and Sunday of the week of a day ('YYYY-MM-DD'), or null for an unfinished date. */
export function weekOfDay(day: string): { from: string; to: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const time = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(time)) return null;
  const monday = time - ((new Date(time).getUTCDay() + 6) % 7) * DAY_MS;
  return { from: isoDay(monday), to: isoDay(monday + 6 * DAY_MS) };
}

/**
 * Weekly paper extracts for the families who refused the electronic diary (or withdrew the
 * consent): one PDF for the class and week, an extract per such pupil. Codes are not issued to
 * these families, so the extract is what they get instead, at least once a week.
 */
export function ExtractsPanel({ classId }: { classId: number | null }) {
  const api = useApi();
  const { user } = useSession();
  const titleId = useId();
  const [day, setDay] = useState(() => weekOfDay(todayIso())?.from ?? todayIso());
  const week = weekOfDay(day);
  // Who needs extracts: the decisions in force today, as the printout takes them (a hint only:
  // the printout itself takes everyone who was in the class on any day of the chosen week).
  const mayCount = roleMayCall('consents.coverage', user.role);
  const coverage = useLoad(
    () => (mayCount && classId !== null ? api.invoke('consents.coverage', { classId }) : Promise.resolve(null)),
    String(classId ?? ''),
  );
  if (!roleMayCall('print.document', user.role) || classId === null) return null;
  const refusing = coverage.data?.classes.find((c) => c.classId === classId)?.refusedElectronic;
  const pupils = refusing ? [...new Map(refusing.map((r) => [r.pupilId, r.pupil])).values()] : null;
  return (
    <section className="panel" aria-labelledby={titleId} data-testid="extracts-panel">
      <h2 className="panel-title" id={titleId}>
        Бумажные выписки за неделю
      </h2>
      <p className="muted">
        Семьям, которые отказались от электронного дневника или отозвали согласие на него, коды доступа не выдаются: они получают выписку отметок, пропусков
        и домашних заданий на бумаге не реже раза в неделю. В файл попадут только такие обучающиеся класса — по выписке на каждого, каждая с новой страницы.
      </p>
      {pupils ? (
        <p data-testid="extracts-hint">
          {pupils.length === 0
            ? 'В классе нет семей, отказавшихся от электронного дневника: выписки печатать не нужно.'
            : `Выписки нужны: ${countOf(pupils.length, ['обучающемуся', 'обучающимся', 'обучающимся'])} — ${pupils.join(', ')}.`}
        </p>
      ) : null}
      <div className="form form-inline">
        {/* A fixed width: the printed file's offer beside the button takes the rest of the row. */}
        <div style={{ flex: '0 0 300px' }}>
          <TextField
            label="Неделя (любой её день)"
            type="date"
            value={day}
            onValue={setDay}
            error={week ? undefined : 'Укажите дату полностью: день, месяц, год.'}
            hint={week ? `с ${formatIsoDate(week.from)} (пн) по ${formatIsoDate(week.to)} (вс)` : undefined}
          />
        </div>
        <div className="form-actions">
          <PdfButton
            label="Напечатать выписки за неделю"
            printKey={`${classId}:${week?.from ?? ''}`}
            disabled={!week}
            print={() => api.invoke('print.document', { document: { kind: 'weeklyExtracts', classId, week: week?.from ?? day } })}
          />
        </div>
      </div>
    </section>
  );
}
