import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { QueryState } from '../ui/ProblemView';
import { signInConfig } from './config';
import { type StaffRole, safeNext, startSession } from './session';

// Locally only (the stack's config says `local`): demo identities instead of the hosted UI.
// Agency staff sign in as themselves for their agency, as the deployed sign-in does (user name + agency code).
const DEMO: { role: StaffRole; subject: string; person?: string; label: string }[] = [
  { role: 'officer', subject: 'officer-1', label: 'Customs officer (officer-1)' },
  {
    role: 'agency',
    subject: 'FOOD_SAFETY',
    person: 'food-inspector-1',
    label: 'Food safety inspector (food-inspector-1, FOOD_SAFETY)',
  },
  {
    role: 'agency',
    subject: 'VETERINARY',
    person: 'vet-inspector-1',
    label: 'Veterinary inspector (vet-inspector-1, VETERINARY)',
  },
  { role: 'finance', subject: 'finance-1', label: 'Finance (finance-1)' },
  { role: 'admin', subject: 'admin-1', label: 'Administrator (admin-1)' },
];

export function SignInPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const config = useQuery({ queryKey: ['sign-in-config'], queryFn: signInConfig, staleTime: Infinity });

  const signInAs = (role: StaffRole, subject: string, person?: string) => {
    startSession(`local:${role}:${subject}${person ? `:${person}` : ''}`);
    navigate(`~${next}`, { replace: true });
  };
  const signInWithCognito = async () => {
    if (config.data?.kind !== 'cognito') return;
    const { redirectToSignIn } = await import('./cognito');
    await redirectToSignIn(config.data.domain, config.data.clientId, next);
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to the Clearway console</h1>
      <QueryState isPending={config.isPending} error={config.error} />
      {config.data?.kind === 'local' && (
        <>
          <p>This is a local stack: choose a demo identity.</p>
          <ul className="identities">
            {DEMO.map((identity) => (
              <li key={identity.subject}>
                <button
                  type="button"
                  onClick={() => signInAs(identity.role, identity.subject, identity.person)}
                >
                  {identity.label}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {config.data?.kind === 'cognito' && (
        <button type="button" onClick={() => void signInWithCognito()}>
          Sign in with your administration account
        </button>
      )}
    </main>
  );
}
