// Cognito pre token generation (V2) trigger: adds the staff member's role and subject scopes to the access
// token issued through the hosted UI. Someone in no staff group gets no token at all.
import { Logger } from '@aws-lambda-powertools/logger';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { staffScopes } from '../../shared/domain/staff/staff-scopes.js';

const logger = new Logger();

export const handler = async (event: PreTokenGenerationV2TriggerEvent) => {
  const scopes = staffScopes({
    username: event.userName,
    groups: event.request.groupConfiguration.groupsToOverride ?? [],
    attributes: event.request.userAttributes,
  });
  logger.info('Staff token issued', { username: event.userName, role: scopes[0] });
  event.response = {
    claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: scopes } },
  };
  return event;
};
