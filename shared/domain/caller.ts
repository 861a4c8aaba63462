// Who is calling, in the domain's terms: a role and the subject it acts for (a platform id, an agency
// code, a person). The HTTP edge derives it from the token; use cases decide with it.

/** `post`: a designated postal operator filing its items (subject = operator code, e.g. PostNL). */
export const ROLES = ['platform', 'post', 'officer', 'agency', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  subject: string;
  /**
   * The signed-in staff member behind the token (the Cognito user name) when the subject is not that
   * person: for an agency the subject is the agency code, so this is who acted for it; history names them.
   */
  person?: string;
}

/** Who did something, as a record keeps it: the subject, and the person when the subject is not one. */
export interface ActedBy {
  by: string;
  person?: string;
}

export const actedBy = (caller: { subject: string; person?: string }): ActedBy =>
  caller.person && caller.person !== caller.subject
    ? { by: caller.subject, person: caller.person }
    : { by: caller.subject };
