// Cognito hosted UI, authorization code with PKCE (oidc-client-ts). Loaded only on stacks that use it.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

const CALLBACK = '/console/callback';

const manager = (domain: string, clientId: string) =>
  new UserManager({
    authority: domain,
    client_id: clientId,
    redirect_uri: `${window.location.origin}${CALLBACK}`,
    post_logout_redirect_uri: `${window.location.origin}/console/sign-in`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // The hosted UI's endpoints are known; no discovery request leaves for another origin.
    metadata: {
      issuer: domain,
      authorization_endpoint: `${domain}/oauth2/authorize`,
      token_endpoint: `${domain}/oauth2/token`,
      revocation_endpoint: `${domain}/oauth2/revoke`,
      end_session_endpoint: `${domain}/logout`,
    },
  });

export const redirectToSignIn = (domain: string, clientId: string, next: string): Promise<void> =>
  manager(domain, clientId).signinRedirect({ state: { next } });

/** Completes the redirect: the access token and the page to return to. */
export const completeSignIn = async (
  domain: string,
  clientId: string,
): Promise<{ token: string; next: string }> => {
  const user = await manager(domain, clientId).signinRedirectCallback();
  const state = user.state as { next?: string } | undefined;
  return { token: user.access_token, next: state?.next ?? '/console/' };
};

export const signOutAt = (domain: string, clientId: string): Promise<void> =>
  manager(domain, clientId).signoutRedirect({
    extraQueryParams: { client_id: clientId, logout_uri: `${window.location.origin}/console/sign-in` },
  });
