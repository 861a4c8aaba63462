import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { signInConfig } from './config';
import { endSession } from './session';

export function SignOutButton() {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const signOut = async () => {
    endSession();
    queryClient.clear();
    const config = await signInConfig();
    if (config.kind === 'cognito') {
      const { signOutAt } = await import('./cognito');
      await signOutAt(config.domain, config.clientId);
      return;
    }
    navigate('/sign-in', { replace: true });
  };
  return (
    <button type="button" className="secondary" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}
