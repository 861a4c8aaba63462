// Who is calling, in the domain's terms: a role and the subject it acts for (a platform id, an agency
// code, a person). The HTTP edge derives it from the token; use cases decide with it.

/** `post`: a designated postal operator filing its items (subject = operator code, e.g. PostNL). */
export const ROLES = ['platform', 'post', 'officer', 'agency', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  subject: string;
}
