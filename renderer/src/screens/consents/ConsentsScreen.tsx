import { useRef, useState, type KeyboardEvent } from 'react';
import { CoverageTab } from './CoverageTab';
import { DestructionTab } from './DestructionTab';
import { FamilyTab } from './FamilyTab';
import { TemplatesTab } from './TemplatesTab';

type Tab = 'coverage' | 'family' | 'due' | 'texts';

const TABS: readonly { id: Tab; title: string }[] = [
  { id: 'coverage', title: 'По классам' },
  { id: 'family', title: 'Семья' },
  { id: 'due', title: 'Срок уничтожения' },
  { id: 'texts', title: 'Тексты согласий' },
];

/**
 * «Согласия»: who in a class lacks which consent, one family's consents and their history,
 * withdrawn consents due for destruction with the acts, and the versioned consent texts.
 */
export function ConsentsScreen() {
  const [tab, setTab] = useState<Tab>('coverage');
  // The family shown on «Семья» stays while the user looks at other tabs.
  const [pupilId, setPupilId] = useState<number | null>(null);
  const tabsRef = useRef<HTMLDivElement>(null);

  const choose = (next: Tab, focus = false) => {
    setTab(next);
    if (focus) tabsRef.current?.querySelector<HTMLElement>(`#consents-tab-${next}`)?.focus();
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
    <div className="stack consents">
      <div className="tabs" role="tablist" aria-label="Согласия" ref={tabsRef} onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`consents-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="consents-panel"
            tabIndex={tab === t.id ? 0 : -1}
            className={`btn ${tab === t.id ? 'btn-primary' : ''}`}
            onClick={() => choose(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="consents-panel" aria-labelledby={`consents-tab-${tab}`}>
        {tab === 'coverage' ? (
          <CoverageTab
            onOpenFamily={(id) => {
              setPupilId(id);
              choose('family');
            }}
          />
        ) : tab === 'family' ? (
          <FamilyTab pupilId={pupilId} onPupil={setPupilId} />
        ) : tab === 'due' ? (
          <DestructionTab />
        ) : (
          <TemplatesTab />
        )}
      </div>
    </div>
  );
}
