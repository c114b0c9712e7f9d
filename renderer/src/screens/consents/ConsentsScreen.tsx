import { useState } from 'react';
import { TabList } from '../../components/ui';
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

  return (
    <div className="stack consents">
      <TabList<Tab> label="Согласия" idPrefix="consents" tabs={TABS} current={tab} onChoose={setTab} />
      <div role="tabpanel" id="consents-panel" aria-labelledby={`consents-tab-${tab}`}>
        {tab === 'coverage' ? (
          <CoverageTab
            onOpenFamily={(id) => {
              setPupilId(id);
              setTab('family');
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
