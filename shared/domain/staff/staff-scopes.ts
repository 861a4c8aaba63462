// Staff sign in through the Cognito hosted UI as named users. Their user-pool group says the role; the
// access token then carries the same scopes a machine client's token does (`clearway/<role>` and
// `clearway/sub:<subject>`), so the API authorizes people and machines alike. The subject is the person
// (username) for officers, finance and admins, so history and audit name them; for an agency it is the
// agency code (the user's `custom:agency` attribute), because holds belong to the agency.
export const STAFF_ROLES = ['officer', 'agency', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const SUBJECT = /^[A-Za-z0-9_.@-]{1,128}$/;
const AGENCY = /^[A-Z][A-Z0-9_]{1,39}$/;

export interface StaffUser {
  username: string;
  groups: readonly string[];
  attributes: Readonly<Record<string, string | undefined>>;
}

export class NotStaffError extends Error {
  override name = 'NotStaffError';
}

/**
 * The scopes to add to a staff member's access token. Exactly one staff group is required: a person in
 * two roles signs in as one of them, never both at once.
 */
export const staffScopes = (user: StaffUser, resourceServer = 'clearway'): string[] => {
  const roles = user.groups.filter((group): group is StaffRole => STAFF_ROLES.includes(group as StaffRole));
  if (roles.length !== 1) {
    throw new NotStaffError(
      `User ${user.username} must be in exactly one staff group, is in ${roles.length}`,
    );
  }
  const role = roles[0] as StaffRole;
  let subject = user.username;
  if (role === 'agency') {
    subject = user.attributes['custom:agency'] ?? '';
    if (!AGENCY.test(subject))
      throw new NotStaffError(`Agency user ${user.username} has no valid agency code`);
  }
  if (!SUBJECT.test(subject)) throw new NotStaffError(`User name ${user.username} cannot be a subject`);
  return [`${resourceServer}/${role}`, `${resourceServer}/sub:${subject}`];
};
