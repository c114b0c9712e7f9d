import { useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useSession } from '../../api/context';
import { EmptyState, TabList } from '../../components/ui';
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
  if (!roleMayCall('exchange.import', user.role)) {
    return (
      <EmptyState title="Обмен данными ведут секретарь и администратор">
        <p>Загрузка файлов региональных систем и выгрузка списков доступны секретарю и администратору.</p>
      </EmptyState>
    );
  }

  return (
    <div className="stack exchange">
      <TabList<Tab> label="Обмен данными" idPrefix="exchange" tabs={TABS} current={tab} onChoose={setTab} />
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
