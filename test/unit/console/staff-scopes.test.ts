import { describe, expect, it } from 'vitest';
import { NotStaffError, staffScopes } from '../../../shared/domain/staff/staff-scopes.js';

describe('staffScopes', () => {
  it('names the person for officers, finance and admins', () => {
    expect(staffScopes({ username: 'j.jansen', groups: ['officer'], attributes: {} })).toEqual([
      'clearway/officer',
      'clearway/sub:j.jansen',
    ]);
    expect(staffScopes({ username: 'a.admin', groups: ['admin', 'other'], attributes: {} })).toEqual([
      'clearway/admin',
      'clearway/sub:a.admin',
    ]);
  });

  it('names the agency for an agency user, from the custom:agency attribute', () => {
    expect(
      staffScopes({ username: 'vet-3', groups: ['agency'], attributes: { 'custom:agency': 'VETERINARY' } }),
    ).toEqual(['clearway/agency', 'clearway/sub:VETERINARY']);
  });

  it.each([
    [{ username: 'x', groups: [], attributes: {} }],
    [{ username: 'x', groups: ['officer', 'admin'], attributes: {} }],
    [{ username: 'x', groups: ['platform'], attributes: {} }],
    [{ username: 'x', groups: ['agency'], attributes: {} }],
    [{ username: 'x', groups: ['agency'], attributes: { 'custom:agency': 'food safety' } }],
    [{ username: 'a b', groups: ['officer'], attributes: {} }],
  ])('refuses a token to %o', (user) => {
    expect(() => staffScopes(user)).toThrow(NotStaffError);
  });
});
