// Debt extinguished (UCC Art. 124(1)(d) and (e)): a declaration cancelled, rejected or seized after
// assessment books EXTINGUISHED and REFUNDED entries in the same transaction as its status change, once,
// however often the request comes; China's annual allowance is given back.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFor } from '../../../shared/countries/index.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { cancelDeclaration } from '../../../shared/use-cases/cancel-declaration.js';
import { clearanceLedger } from '../../../shared/use-cases/clearance-ledger.js';
import { decideCheck } from '../../../shared/use-cases/decide-check.js';
import { recordDeclarationPayment } from '../../../shared/use-cases/record-payment.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { documentClient } from '../support.js';
import { type ClearanceWorld, clearanceWorld, officer, platform } from './support.js';

describe('extinguished debt', () => {
  let world: ClearanceWorld;

  beforeAll(async () => {
    world = await clearanceWorld('extinguish');
  });

  afterAll(async () => {
    await world?.destroy();
  });

  const cancel = (id: string) =>
    cancelDeclaration({ id, principal: platform(), reason: 'Order cancelled' }, world.deps);

  it('books the unpaid debt once and refunds the part paid when the platform cancels', async () => {
    // Prepare: EUR 8.77 due at import (3.00 flat duty, 5.77 VAT), EUR 5.00 paid
    const { id } = await world.seed(anAssessedDeclaration());
    await recordDeclarationPayment(
      { id, principal: platform(), request: { amount: '5.00', currency: 'EUR', reference: 'PAY-1' } },
      world.deps,
    );

    // Act: the same cancellation twice (a retried request)
    const first = await cancel(id);
    const second = await cancel(id);

    // Assess
    expect(first.record.status).toBe('CANCELLED');
    expect(second.changed).toBe(false);
    const facts = await world.ledgerFacts(id);
    const extinguishment = facts.filter((fact) => fact.fact === 'EXTINGUISHMENT');
    expect(extinguishment).toHaveLength(1);
    const amounts = extinguishment[0]?.entries.map((entry) => [
      entry.kind,
      entry.taxCode,
      String(entry.amount),
    ]);
    expect(amounts).toEqual([
      ['EXTINGUISHED', 'VAT', '3.77'],
      ['REFUNDED', 'EU_FLAT_DUTY', '3'],
      ['REFUNDED', 'VAT', '2'],
    ]);
    const types = world.eventsOf(id).map((event) => event.detailType);
    expect(types.filter((type) => type === 'DebtExtinguished')).toHaveLength(1);
    expect(world.eventsOf(id).find((event) => event.detailType === 'DebtExtinguished')?.detail).toMatchObject(
      {
        extinguished: '3.77',
        refunded: '5.00',
        currency: 'EUR',
      },
    );
  });

  it('refuses a cancellation while a RED check awaits the officer, then extinguishes on SEIZE', async () => {
    // Prepare
    const { id } = await world.seed(anAssessedDeclaration({ lane: 'RED' }));

    // Act
    const refused = await cancel(id).catch((error: unknown) => error);
    const seized = await decideCheck(
      { id, principal: officer(), request: { decision: 'SEIZE', findings: {} } },
      world.deps,
    );

    // Assess
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).details).toMatchObject({
      currentStatus: 'HELD',
      openChecks: [{ kind: 'RISK_CHECK', lane: 'RED' }],
    });
    expect(seized.declaration.status).toBe('SEIZED');
    const facts = await world.ledgerFacts(id);
    expect(facts.map((fact) => fact.fact)).toEqual(['EXTINGUISHMENT']);
    expect(facts[0]?.entries.map((entry) => [entry.kind, entry.taxCode, String(entry.amount)])).toEqual([
      ['EXTINGUISHED', 'EU_FLAT_DUTY', '3'],
      ['EXTINGUISHED', 'VAT', '5.77'],
    ]);
  });

  it("gives a cancelled CBEC consignment's value back to the consignee's annual allowance", async () => {
    // Prepare: CNY 1,200.00 counted toward a consignee's CNY 26,000 for 2026
    const client = documentClient();
    const table = world.resources.tables.declarations;
    const taxId = `110101199001011234-${world.resources.prefix.slice(-6)}`;
    const key = { pk: `ANNUAL#${taxId}`, sk: 'Y#2026' };
    await client.send(
      new PutCommand({ TableName: table, Item: { ...key, taxId, year: 2026, amount: '3000', version: 2 } }),
    );
    const { id } = await world.seed(
      anAssessedDeclaration({
        assessment: anAssessment({
          ruleSet: ['CN@2019-04-01'],
          currency: 'CNY',
          importDate: '2026-07-01',
          intrinsicValue: '1100.00',
          customsValue: '1200.00',
          declarationType: '9610',
          notes: ['CBEC_REDUCED_RATE'],
        }),
        declaration: {
          destinationCountry: 'CN',
          currency: 'CNY',
          consignee: {
            name: 'Li Lei',
            taxId,
            address: { line1: '1 Chang An Jie', city: 'Beijing', postcode: '100000', country: 'CN' },
          },
        },
      }),
    );
    const deps = {
      ...world.deps,
      ledger: clearanceLedger(packFor('CN')),
    };

    // Act
    await cancelDeclaration({ id, principal: platform() }, deps);

    // Assess
    const total = await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    expect(total.Item).toMatchObject({ amount: '1800', version: 3 });
  });
});
