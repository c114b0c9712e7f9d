import { useState } from 'react';
import './year.css';
import { roleMayCall } from '../../../../common/api/contract';
import { useApi, useLoad, useSession } from '../../api/context';
import { EmptyState, ErrorNotice, Loading, SelectField, TabList, useToast } from '../../components/ui';
import { formatIsoDate } from '../../format';
import { type Staff } from './cells';
import { OpenYearWizard } from './OpenYearWizard';
import { StructurePanel } from './StructurePanel';
import { ClosePanel } from './ClosePanel';

type Tab = 'structure' | 'close';
const TABS: { id: Tab; title: string }[] = [
  { id: 'structure', title: 'Структура года' },
  { id: 'close', title: 'Закрытие года' },
];

/**
 * «Учебный год»: the years, newest first (a closed one marked «закрыт»), and for the chosen year
 * its structure and its close. The administrator opens a new year with the wizard and edits an
 * open one; the director sees everything without a single button that changes anything.
 */
export function YearScreen() {
  const api = useApi();
  const toast = useToast();
  const { user } = useSession();
  const canEdit = roleMayCall('years.open', user.role);
  const [version, setVersion] = useState(0);
  const years = useLoad(() => api.invoke('years.list', {}), String(version));
  const staffLoad = useLoad(() => api.invoke('staff.list', {}), String(version));
  const [added, setAdded] = useState<Staff[]>([]);
  const [chosen, setChosen] = useState<string>('');
  const [tab, setTab] = useState<Tab>('structure');
  const [wizard, setWizard] = useState(false);

  const list = [...(years.data?.years ?? [])].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  const year = list.find((y) => String(y.id) === chosen) ?? list[0];
  const staff = [...(staffLoad.data?.staff ?? []).filter((s) => !added.some((a) => a.id === s.id)), ...added];
  const onStaffAdded = (s: Staff) => setAdded((list) => [...list.filter((x) => x.id !== s.id), s]);
  const reload = () => setVersion((v) => v + 1);

  if (!years.data) return years.error ? <ErrorNotice error={years.error} /> : <Loading />;

  if (wizard) {
    return (
      <OpenYearWizard
        years={list}
        staff={staff}
        onStaffAdded={onStaffAdded}
        onDone={(id, name) => {
          setChosen(String(id));
          setWizard(false);
          setTab('structure');
          reload();
          toast(`Учебный год ${name} открыт`);
        }}
        onCancel={() => {
          setWizard(false);
          reload();
        }}
      />
    );
  }

  const openButton = canEdit ? (
    <button type="button" className="btn btn-primary" onClick={() => setWizard(true)}>
      Открыть учебный год…
    </button>
  ) : null;

  if (!year) {
    return (
      <EmptyState title="Учебных годов ещё нет">
        <p>
          {canEdit
            ? 'Откройте первый учебный год: даты, периоды и каникулы, классы с классными руководителями, предметы и учебный план.'
            : 'Учебный год открывает администратор. Когда он это сделает, структура года появится здесь.'}
        </p>
        {openButton}
      </EmptyState>
    );
  }

  return (
    <div className="stack year-screen">
      <div className="toolbar">
        <SelectField
          label="Учебный год"
          value={String(year.id)}
          onValue={(v) => setChosen(v)}
          options={list.map((y) => ({ value: String(y.id), label: `${y.name}${y.closed ? ' — закрыт' : ''}` }))}
          fieldClassName="field-narrow"
          hint={`${formatIsoDate(year.startsOn)} — ${formatIsoDate(year.endsOn)}; классов: ${year.classes}, обучающихся: ${year.pupils}${year.closed ? '; год закрыт' : ''}`}
        />
        {openButton}
      </div>
      <TabList<Tab> label="Разделы учебного года" idPrefix="year" tabs={TABS} current={tab} onChoose={setTab} />
      <div role="tabpanel" id="year-panel" aria-labelledby={`year-tab-${tab}`}>
        {tab === 'structure' ? (
          <StructurePanel key={year.id} year={year} canEdit={canEdit} staff={staff} onStaffAdded={onStaffAdded} onChanged={reload} />
        ) : (
          // The close creates the next year: the screen stays on the year just closed (or reopened),
          // so the result of the close is not replaced by the newest year's panel.
          <ClosePanel
            key={year.id}
            yearId={year.id}
            onChanged={() => {
              setChosen(String(year.id));
              reload();
            }}
          />
        )}
      </div>
      {staffLoad.error ? <ErrorNotice error={staffLoad.error} /> : null}
    </div>
  );
}
