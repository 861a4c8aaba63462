// Who is signed in. The token lives in sessionStorage (gone when the tab closes); the role and name come
// from the token itself (local `local:<role>:<subject>`, or the Cognito access token's scopes).
export type StaffRole = 'officer' | 'agency' | 'finance' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['officer', 'agency', 'finance', 'admin'];

export interface Session {
  token: string;
  role: StaffRole;
  /** The person (officer, finance, admin) or the agency code. */
  subject: string;
  /** The signed-in person when the subject is not one (an agency's staff member). */
  person?: string;
  /** Epoch ms after which the token is refused; absent for local tokens. */
  expiresAt?: number;
}

const KEY = 'clearway.session';
const SIGN_IN = '/console/sign-in';

const isStaffRole = (value: string | undefined): value is StaffRole =>
  STAFF_ROLES.includes(value as StaffRole);

/** Role and subject of a local token or a Cognito access token, or undefined if it names no staff role. */
export const sessionFromToken = (token: string): Session | undefined => {
  const local = /^local:([a-z]+):([A-Za-z0-9_.@-]+)(?::([A-Za-z0-9_.@-]+))?$/.exec(token);
  if (local) {
    if (!isStaffRole(local[1])) return undefined;
    return { token, role: local[1], subject: local[2] ?? '', ...(local[3] ? { person: local[3] } : {}) };
  }
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as {
      scope?: string;
      exp?: number;
      username?: string;
    };
    const scopes = (payload.scope ?? '').split(' ');
    const role = scopes
      .find((scope) => isStaffRole(scope.replace('clearway/', '')))
      ?.replace('clearway/', '');
    const subject = scopes.find((scope) => scope.startsWith('clearway/sub:'))?.slice('clearway/sub:'.length);
    if (!isStaffRole(role)) return undefined;
    const person = payload.username && payload.username !== subject ? payload.username : undefined;
    return {
      token,
      role,
      subject: subject ?? payload.username ?? '',
      ...(person && subject ? { person } : {}),
      ...(payload.exp ? { expiresAt: payload.exp * 1000 } : {}),
    };
  } catch {
    return undefined;
  }
};

const listeners = new Set<() => void>();
let cached: Session | undefined | null = null;

export const currentSession = (): Session | undefined => {
  if (cached === null) {
    const token = sessionStorage.getItem(KEY);
    cached = token ? sessionFromToken(token) : undefined;
  }
  if (cached?.expiresAt !== undefined && cached.expiresAt <= Date.now()) return undefined;
  return cached;
};

export const currentToken = (): string | undefined => currentSession()?.token;

export const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const startSession = (token: string): Session | undefined => {
  const session = sessionFromToken(token);
  if (!session) return undefined;
  sessionStorage.setItem(KEY, token);
  cached = session;
  for (const listener of listeners) listener();
  return session;
};

export const endSession = (): void => {
  sessionStorage.removeItem(KEY);
  cached = undefined;
  for (const listener of listeners) listener();
};

/** The path of the sign-in page that returns to `next` afterwards. */
export const signInPath = (next: string): string => `${SIGN_IN}?next=${encodeURIComponent(next)}`;

/** Only pages of the console are places to return to after signing in. */
export const safeNext = (next: string | null): string =>
  next?.startsWith('/console/') && !next.startsWith('//') && !next.startsWith(SIGN_IN) ? next : '/console/';

/** The session ended under the user: to sign-in, then back to this very page. */
export const expireSession = (): void => {
  endSession();
  const here = `${window.location.pathname}${window.location.search}`;
  if (!window.location.pathname.startsWith(SIGN_IN)) window.location.assign(signInPath(here));
};
