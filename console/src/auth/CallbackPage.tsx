import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { ProblemView } from '../ui/ProblemView';
import { signInConfig } from './config';
import { safeNext, startSession } from './session';

/** Where the hosted UI returns with the authorization code. */
export function CallbackPage() {
  const [, navigate] = useLocation();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    (async () => {
      const config = await signInConfig();
      if (config.kind !== 'cognito') throw new Error('This stack does not sign in with Cognito');
      const { completeSignIn } = await import('./cognito');
      const { token, next } = await completeSignIn(config.domain, config.clientId);
      if (!startSession(token)) throw new Error('Your account is in no staff group of this console');
      navigate(`~${safeNext(next)}`, { replace: true });
    })().catch(setError);
  }, [navigate]);
  return (
    <main id="main">
      <h1>Signing in…</h1>
      <ProblemView error={error} />
    </main>
  );
}
