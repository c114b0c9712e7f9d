import { useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useSession } from '../../api/context';
import { Notice, TabList } from '../../components/ui';
import { DestructionPanel } from './DestructionPanel';
import { PrintPanel } from './PrintPanel';
import { RegisterPanel } from './RegisterPanel';
import { SealYearPanel } from './SealYearPanel';
import { VerifyPanel } from './VerifyPanel';
import './archive.css';

type Tab = 'print' | 'register' | 'year' | 'verify' | 'destruction';
const TABS: readonly { id: Tab; title: string }[] = [
  { id: 'print', title: 'Печать' },
  { id: 'register', title: 'Опись' },
  { id: 'year', title: 'Печать года' },
  { id: 'verify', title: 'Проверка' },
  { id: 'destruction', title: 'Уничтожение' },
];

/**
 * «Печать и архив»: printing journals and ledgers as sealed volumes, the register, the whole
 * year in the background, the integrity check and the act of destruction. The archivist and
 * the administrator do everything; the director sees the register and its PDFs only.
 */
export function ArchiveScreen() {
  const { user } = useSession();
  const mayWork = roleMayCall('archive.preview', user.role);
  const tabs = mayWork ? TABS : TABS.filter((t) => t.id === 'register');
  const [chosen, setChosen] = useState<Tab>(mayWork ? 'print' : 'register');
  const tab = tabs.some((t) => t.id === chosen) ? chosen : 'register';
  // Grows after every change of the register, so that «Опись» and «Уничтожение» re-read it.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);

  return (
    <div className="stack archive">
      {mayWork ? null : <Notice>Просмотр: печатают, сдают в архив и уничтожают дела архивариус и администратор.</Notice>}
      <TabList<Tab> label="Печать и архив" idPrefix="archive" tabs={tabs} current={tab} onChoose={setChosen} />
      {/* The panels stay mounted: a previewed draft or a running job is not lost by a look at the register. */}
      <div role="tabpanel" id="archive-panel" aria-labelledby={`archive-tab-${tab}`}>
        {mayWork ? (
          <div hidden={tab !== 'print'}>
            <PrintPanel onSealed={changed} />
          </div>
        ) : null}
        <div hidden={tab !== 'register'}>
          <RegisterPanel version={version} />
        </div>
        {mayWork ? (
          <>
            <div hidden={tab !== 'year'}>
              <SealYearPanel onSealed={changed} />
            </div>
            <div hidden={tab !== 'verify'}>
              <VerifyPanel />
            </div>
            <div hidden={tab !== 'destruction'}>
              <DestructionPanel version={version} onDestroyed={changed} />
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
