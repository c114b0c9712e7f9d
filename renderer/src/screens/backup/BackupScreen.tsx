import { useState } from 'react';
import { roleMayCall } from '../../../../common/api/contract';
import { useSession } from '../../api/context';
import { Notice, TabList } from '../../components/ui';
import { HistoryPanel } from './HistoryPanel';
import { PassphrasePanel } from './PassphrasePanel';
import { RestorePanel } from './RestorePanel';
import { StatusPanel } from './StatusPanel';
import { TargetsPanel } from './TargetsPanel';
import './backup.css';

export type BackupTab = 'status' | 'targets' | 'passphrase' | 'history' | 'restore';
const TABS: readonly { id: BackupTab; title: string }[] = [
  { id: 'status', title: 'Состояние' },
  { id: 'targets', title: 'Носители' },
  { id: 'passphrase', title: 'Парольная фраза' },
  { id: 'history', title: 'История' },
  { id: 'restore', title: 'Восстановление' },
];

/**
 * «Резервные копии» (administrator): the state of the copies on every medium and «Сделать копию
 * сейчас», the media and the schedule, the passphrase, the history of runs, the restore.
 */
export function BackupScreen() {
  const { user } = useSession();
  // The director reads the state and the history; the administrator does the work.
  const mayWork = roleMayCall('backup.run', user.role);
  const tabs = mayWork ? TABS : TABS.filter((t) => t.id === 'status' || t.id === 'history');
  const [chosen, setTab] = useState<BackupTab>('status');
  const tab = tabs.some((t) => t.id === chosen) ? chosen : 'status';
  // Grows after every change (a run, saved media, a new key) so the other tabs re-read.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);

  return (
    <div className="stack backup">
      {mayWork ? null : <Notice>Просмотр: резервные копии настраивает и делает администратор.</Notice>}
      <TabList<BackupTab> label="Резервные копии" idPrefix="backup" tabs={tabs} current={tab} onChoose={setTab} />
      {/* The panels stay mounted: a running copy or a half-typed form is not lost by a look at another tab. */}
      <div role="tabpanel" id="backup-panel" aria-labelledby={`backup-tab-${tab}`}>
        <div hidden={tab !== 'status'}>
          <StatusPanel version={version} mayWork={mayWork} onChanged={changed} onGoTo={setTab} />
        </div>
        {mayWork ? (
          <>
            <div hidden={tab !== 'targets'}>
              <TargetsPanel onSaved={changed} />
            </div>
            <div hidden={tab !== 'passphrase'}>
              <PassphrasePanel onChanged={changed} />
            </div>
          </>
        ) : null}
        <div hidden={tab !== 'history'}>
          <HistoryPanel version={version} />
        </div>
        {mayWork ? (
          <div hidden={tab !== 'restore'}>
            <RestorePanel />
          </div>
        ) : null}
      </div>
    </div>
  );
}
