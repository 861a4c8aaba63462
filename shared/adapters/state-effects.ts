// The DynamoDB writes of what a declaration's new state causes (StateEffect), to go in the transaction
// that stores the state: ledger entries and aggregates in the ledger table; the consignee's annual total
// beside the declarations; the risk profiles' counters in the risk table.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StateEffect } from '../domain/clearance/effects.js';
import { dynamoDb } from './aws-clients.js';
import { annualRelease } from './duty-reference.js';
import { ledgerWrites } from './ledger-store.js';
import { profileHitWrites, profileStatsWrites } from './profile-stats.js';
import type { TransactionWrite } from './transaction.js';

export const stateEffectWrites = (
  tables: { declarations: string; ledger?: string; risk?: string },
  client: DynamoDBDocumentClient = dynamoDb(),
) => {
  const releaseAllowance = annualRelease(tables.declarations, client);
  const riskTable = () => {
    if (tables.risk === undefined) throw new Error('This store was not given the risk table');
    return tables.risk;
  };
  const writesOf = async (effect: StateEffect): Promise<TransactionWrite[]> => {
    switch (effect.kind) {
      case 'LEDGER':
        if (tables.ledger === undefined) throw new Error('This store was not given the ledger table');
        return ledgerWrites(tables.ledger, effect.entries, effect.deltas);
      case 'ANNUAL_ALLOWANCE_RELEASED':
        return releaseAllowance(effect.usage);
      case 'PROFILE_CHECKS':
        return profileStatsWrites(riskTable())(effect.deltas, effect.at);
      case 'PROFILE_HITS':
        return profileHitWrites(riskTable())(effect.hits);
    }
  };
  /** The writes of the effects, in their order. */
  return async (effects: readonly StateEffect[]): Promise<TransactionWrite[]> => {
    const writes: TransactionWrite[] = [];
    for (const effect of effects) writes.push(...(await writesOf(effect)));
    return writes;
  };
};
