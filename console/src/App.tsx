import { useSyncExternalStore } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { AuditPage } from './audit/AuditPage';
import { CallbackPage } from './auth/CallbackPage';
import { SignInPage } from './auth/SignInPage';
import { SignOutButton } from './auth/SignOutButton';
import { currentSession, type Session, type StaffRole, subscribe } from './auth/session';
import { DeclarationPage } from './declaration/DeclarationPage';
import { HoldsPage } from './holds/HoldsPage';
import { ProfileEditPage } from './profiles/ProfileEditPage';
import { ProfilesPage } from './profiles/ProfilesPage';
import { QueuePage } from './queue/QueuePage';
import { ReferencePage } from './reference/ReferencePage';
import { RevenuePage } from './revenue/RevenuePage';
import { StatementsPage } from './revenue/StatementsPage';
import { StaffStatisticsPage } from './statistics/StaffStatisticsPage';

interface NavItem {
  path: string;
  label: string;
}

const NAV: Record<StaffRole, NavItem[]> = {
  officer: [
    { path: '/queue', label: 'Work queue' },
    { path: '/holds', label: 'Agency holds' },
    { path: '/statistics', label: 'Statistics' },
  ],
  agency: [{ path: '/holds', label: 'Single window' }],
  finance: [
    { path: '/revenue', label: 'Revenue' },
    { path: '/statements', label: 'Statements' },
    { path: '/statistics', label: 'Statistics' },
  ],
  admin: [
    { path: '/profiles', label: 'Risk profiles' },
    { path: '/reference', label: 'Reference data' },
    { path: '/audit', label: 'Audit log' },
    { path: '/statistics', label: 'Statistics' },
  ],
};

const useSession = (): Session | undefined => useSyncExternalStore(subscribe, currentSession);

function Shell({ session }: { session: Session }) {
  const [location] = useLocation();
  const nav = NAV[session.role];
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Clearway console</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.path}>
                <Link href={item.path} aria-current={location.startsWith(item.path) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {session.person ? `${session.person}, ${session.subject}` : session.subject} ({session.role})
        </span>
        <SignOutButton />
      </header>
      <main id="main">
        <Switch>
          <Route path="/queue" component={QueuePage} />
          <Route path="/declarations/:id">{(params) => <DeclarationPage id={params.id} />}</Route>
          <Route path="/holds" component={HoldsPage} />
          <Route path="/revenue" component={RevenuePage} />
          <Route path="/statements" component={StatementsPage} />
          <Route path="/statistics" component={StaffStatisticsPage} />
          <Route path="/profiles/:id">{(params) => <ProfileEditPage id={params.id} />}</Route>
          <Route path="/profiles" component={ProfilesPage} />
          <Route path="/reference" component={ReferencePage} />
          <Route path="/audit" component={AuditPage} />
          <Route>
            <Redirect to={nav[0]?.path ?? '/'} replace />
          </Route>
        </Switch>
      </main>
    </>
  );
}

export function App() {
  const session = useSession();
  return (
    <Router base="/console">
      <Switch>
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/callback" component={CallbackPage} />
        <Route>{session ? <Shell session={session} /> : <SignInRedirect />}</Route>
      </Switch>
    </Router>
  );
}

function SignInRedirect() {
  const here = `${window.location.pathname}${window.location.search}`;
  return <Redirect to={`/sign-in?next=${encodeURIComponent(here)}`} replace />;
}
