import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ROLE_LABELS } from '../../../common/roles';
import { useSession } from '../api/context';
import { isSectionId, sectionsFor, type Section, type SectionId } from '../sections';
import { ArchiveScreen } from './archive/ArchiveScreen';
import { BackupScreen } from './backup/BackupScreen';
import { AuditScreen } from './AuditScreen';
import { CodesScreen } from './codes/CodesScreen';
import { ConsentsScreen } from './consents/ConsentsScreen';
import { ExchangeScreen } from './exchange/ExchangeScreen';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { OrdersScreen } from './contingent/OrdersScreen';
import { PupilsScreen } from './contingent/PupilsScreen';
import { OverviewScreen } from './OverviewScreen';
import { SettingsScreen } from './SettingsScreen';
import { UsersScreen } from './UsersScreen';
import { YearScreen } from './year/YearScreen';

function subscribeHash(notify: () => void): () => void {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
}

/** The open section lives in the address (`#/users`), so a reload keeps it. */
function useHashSection(): string {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return hash.replace(/^#\/?/, '');
}

export function sectionHref(id: SectionId): string {
  return `#/${id}`;
}

export function Shell({ onLogout, hidden }: { onLogout(): void; hidden: boolean }) {
  const { user, schoolName } = useSession();
  const sections = sectionsFor(user.role);
  const requested = useHashSection();
  const current: Section = sections.find((s) => isSectionId(requested) && s.id === requested) ?? sections[0]!;
  const [changingPassword, setChangingPassword] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = `${current.title} — Канцелярия`;
    // Keyboard users land on the new section's heading, not back at the top of the page.
    // A section that focused its own first field keeps that focus.
    if (firstRender.current) firstRender.current = false;
    else if (!headingRef.current?.parentElement?.contains(document.activeElement)) headingRef.current?.focus();
  }, [current]);

  return (
    <div className={`shell${hidden ? ' shell-hidden' : ''}`} aria-hidden={hidden || undefined}>
      <a className="skip-link" href="#content" onClick={(e) => {
        e.preventDefault();
        headingRef.current?.focus();
      }}>
        Перейти к содержимому
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="brand-mark" aria-hidden="true">
            К
          </span>
          <div className="topbar-titles">
            <span className="topbar-app">Канцелярия</span>
            <span className="topbar-school" data-testid="school-name">
              {schoolName || 'Школа без названия'}
            </span>
          </div>
        </div>
        <div className="topbar-user">
          <div className="user-badge">
            <span className="user-name">{user.fullName}</span>
            <span className="user-role">{ROLE_LABELS[user.role]}</span>
          </div>
          <button type="button" className="btn btn-quiet" onClick={() => setChangingPassword(true)}>
            Сменить пароль
          </button>
          <button type="button" className="btn btn-quiet" onClick={onLogout}>
            Выйти
          </button>
        </div>
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label="Разделы">
          <ul>
            {sections.map((section) => (
              <li key={section.id}>
                <a
                  href={sectionHref(section.id)}
                  aria-current={section.id === current.id ? 'page' : undefined}
                  className={section.kind === 'planned' ? 'nav-planned' : undefined}
                >
                  {section.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" id="content">
          <h1 className="page-title" tabIndex={-1} ref={headingRef}>
            {current.title}
          </h1>
          <SectionView section={current} />
        </main>
      </div>
      {changingPassword ? <ChangePasswordDialog onClose={() => setChangingPassword(false)} /> : null}
    </div>
  );
}

function SectionView({ section }: { section: Section }) {
  if (section.kind === 'planned') return <PlannedSection section={section} />;
  switch (section.id) {
    case 'overview':
      return <OverviewScreen />;
    case 'users':
      return <UsersScreen />;
    case 'pupils':
      return <PupilsScreen />;
    case 'orders':
      return <OrdersScreen />;
    case 'consents':
      return <ConsentsScreen />;
    case 'codes':
      return <CodesScreen />;
    case 'exchange':
      return <ExchangeScreen />;
    case 'year':
      return <YearScreen />;
    case 'archive':
      return <ArchiveScreen />;
    case 'backups':
      return <BackupScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
    default:
      return null;
  }
}

function PlannedSection({ section }: { section: Extract<Section, { kind: 'planned' }> }) {
  const { user } = useSession();
  return (
    <div className="empty-state">
      <h2 className="empty-state-title">Раздел появится в следующей версии программы</h2>
      <p>
        <strong>Что здесь будет:</strong> {section.holds}
      </p>
      <p className="muted">
        Сейчас в этом разделе нет ни данных, ни действий.
        {user.role === 'director' ? ' Директор будет видеть здесь все сведения без права изменения.' : ''}
      </p>
    </div>
  );
}
