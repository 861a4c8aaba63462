// Filers lodge declarations and see only their own: e-commerce platforms and designated postal operators.

/** The roles that file. */
export const FILER_ROLES = ['platform', 'post'] as const;
export type FilerRole = (typeof FILER_ROLES)[number];

interface Caller {
  role: string;
  subject: string;
}

export const isFiler = <T extends Caller>(caller: T): caller is T & { role: FilerRole } =>
  (FILER_ROLES as readonly string[]).includes(caller.role);

/**
 * The owner id a filer's declarations, webhooks and statements are kept under: a platform's subject, or
 * `post:<operator>` for a post, so a post and a platform never share one whatever their codes.
 */
export const filerIdOf = (caller: Caller): string =>
  caller.role === 'post' ? `post:${caller.subject}` : caller.subject;

/** A filer as the debtor of what the law lays on the declarant: a post declares as the carrier. */
export const declarantPayerOf = (filerId: string): 'PLATFORM' | 'INTERMEDIARY' =>
  filerId.startsWith('post:') ? 'INTERMEDIARY' : 'PLATFORM';
