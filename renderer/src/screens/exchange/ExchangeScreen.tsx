import { useRef, useState, type KeyboardEvent } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useSession } from '../../api/context';
import { EmptyState } from '../../components/ui';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';

type Tab = 'import' | 'export';
const TABS: { id: Tab; title: string }[] = [
  { id: 'import', title: 'Загрузка' },
  { id: 'export', title: 'Выгрузка' },
];

/** «Обмен данными»: files of the regional systems in (profile, mapping, dry run, confirm) and out. */
export function ExchangeScreen() {
  const { user } = useSession();
  const [tab, setTab] = useState<Tab>('import');
  const tabsRef = useRef<HTMLDivElement>(null);
  if (!roleMayCall('exchange.import', user.role)) {
    return (
      <EmptyState title="Обмен данными ведут секретарь и администратор">
        <p>Загрузка файлов региональных систем и выгрузка списков доступны секретарю и администратору.</p>
      </EmptyState>
    );
  }

  const choose = (next: Tab, focus = false) => {
    setTab(next);
    if (focus) tabsRef.current?.querySelector<HTMLElement>(`#exchange-tab-${next}`)?.focus();
  };
  // Arrow keys move between the tabs (the usual tab list behaviour); Tab goes into the panel.
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    choose(TABS[next]!.id, true);
  };

  return (
    <div className="stack exchange">
      <div className="tabs" role="tablist" aria-label="Обмен данными" ref={tabsRef} onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`exchange-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="exchange-panel"
            tabIndex={tab === t.id ? 0 : -1}
            className={`btn ${tab === t.id ? 'btn-primary' : ''}`}
            onClick={() => choose(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      {/* Both panels stay mounted: a half-done import is not lost by a look at «Выгрузка». */}
      <div role="tabpanel" id="exchange-panel" aria-labelledby={`exchange-tab-${tab}`}>
        <div hidden={tab !== 'import'}>
          <ImportPanel />
        </div>
        <div hidden={tab !== 'export'}>
          <ExportPanel />
        </div>
      </div>
    </div>
  );
}
