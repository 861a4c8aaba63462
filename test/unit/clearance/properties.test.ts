import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProfileStatDeltas, profileStatDeltas } from '../../../shared/domain/clearance/decisions.js';
import type { DecisionRecord, DeclarationRecord, Finding } from '../../../shared/domain/clearance/record.js';
import { apportion, refundableComponents, returnGoods } from '../../../shared/domain/clearance/refunds.js';
import { Decimal } from '../../../shared/domain/money.js';
import { anAssessedDeclaration, anAssessment } from '../../fixtures/clearance.js';
import { anItem } from '../../fixtures/declarations.js';

const AT = '2026-07-01T12:00:00.000Z';
const platform = { role: 'platform' as const, subject: 'acme' };

describe('profileStatDeltas', () => {
  const finding = fc.record({ confirmed: fc.boolean() }) as fc.Arbitrary<Finding>;
  const decisionRecord: fc.Arbitrary<DecisionRecord> = fc.record({
    decision: fc.constantFrom('RELEASE', 'REJECT', 'SEIZE'),
    by: fc.constant('o'),
    at: fc.constant(AT),
    findings: fc.dictionary(fc.constantFrom('P1', 'P2', 'P3'), finding),
  });

  it('adds up, over any sequence of decisions, to the counts of the last decision alone', () => {
    fc.assert(
      fc.property(fc.array(decisionRecord, { minLength: 1, maxLength: 6 }), (decisions) => {
        const totals: ProfileStatDeltas = {};
        let previous: DecisionRecord | undefined;
        for (const next of decisions) {
          for (const [profileId, delta] of Object.entries(profileStatDeltas(previous, next))) {
            const total = totals[profileId] ?? { checks: 0, confirmed: 0 };
            totals[profileId] = {
              checks: total.checks + delta.checks,
              confirmed: total.confirmed + delta.confirmed,
            };
          }
          previous = next;
        }
        const last = decisions.at(-1)?.findings ?? {};
        for (const profileId of ['P1', 'P2', 'P3']) {
          const expected = last[profileId]
            ? { checks: 1, confirmed: last[profileId].confirmed ? 1 : 0 }
            : { checks: 0, confirmed: 0 };
          expect(totals[profileId] ?? { checks: 0, confirmed: 0 }).toEqual(expected);
        }
      }),
    );
  });
});

describe('refunds of returned goods', () => {
  const values = fc.array(
    fc.integer({ min: 1, max: 500_00 }).map((cents) => (cents / 100).toFixed(2)),
    { minLength: 1, maxLength: 6 },
  );
  const hsCodes = ['610910', '620342', '420221'];

  /** A released consignment whose duty lines name HS codes and whose VAT covers every line. */
  const released = (lineValues: string[], duty: string, vat: string) => {
    const items = lineValues.map((value, index) =>
      anItem({ value, hsCode: hsCodes[index % hsCodes.length] }),
    );
    const used = [...new Set(items.map((item) => item.hsCode))];
    const stored = anAssessedDeclaration({
      declaration: { items },
      assessment: anAssessment({
        payer: 'INTERMEDIARY',
        duties: used.map((hsCode) => ({ code: 'DUTY', hsCode, base: '1', amount: duty, legalBasis: 'x' })),
        taxes: [
          { code: 'VAT', base: '1', rate: '0.21', amount: vat, collectedAtCheckout: false },
          { code: 'VAT', base: '1', rate: '0.21', amount: '9.99', collectedAtCheckout: true },
        ],
        fees: [{ code: 'HANDLING', amount: '2.00', legalBasis: 'x' }],
      }),
    });
    const { declaration, ...record } = stored;
    return { record: record as DeclarationRecord, declaration };
  };

  it('gives back exactly what was collected at import, however the lines are grouped and ordered', () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: 0, max: 99_99 }),
        fc.integer({ min: 0, max: 999_99 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (lineValues, dutyCents, vatCents, cuts) => {
          // Prepare: the lines in a random order, cut into consecutive returns
          const { record, declaration } = released(
            lineValues,
            (dutyCents / 100).toFixed(2),
            (vatCents / 100).toFixed(2),
          );
          const order = lineValues
            .map((_, index) => index)
            .sort((a, b) => ((cuts[a] ?? 0) % 7) - ((cuts[b] ?? 0) % 7));
          const groups: number[][] = [];
          order.forEach((line, position) => {
            if (position === 0 || (cuts[position] ?? 0) % 2 === 0) groups.push([line]);
            else groups.at(-1)?.push(line);
          });

          // Act
          let current = record;
          for (const [index, items] of groups.entries()) {
            current = returnGoods(current, declaration, {
              refundId: `rfd_${index}`,
              reference: `R-${index}`,
              reason: 'Returned',
              items,
              actor: platform,
              at: AT,
            }).record;
          }

          // Assess
          const collected = refundableComponents(record, declaration).reduce(
            (sum, component) => sum.plus(component.amount),
            new Decimal(0),
          );
          const refunded = (current.refunds ?? []).flatMap((refund) => refund.lines);
          expect(refunded.every((line) => new Decimal(line.amount).greaterThanOrEqualTo(0))).toBe(true);
          const total = refunded.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
          expect(total.toFixed(2)).toBe(collected.toFixed(2));
          for (const refund of current.refunds ?? []) {
            expect(refund.amount).toBe(
              refund.lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0)).toFixed(2),
            );
          }
        },
      ),
    );
  });

  it('charges a duty line that names an HS code only to the lines of that code', () => {
    // Prepare: line 0 is 610910, line 1 is 620342; duty 3.00 on each code, VAT 10.00 over both
    const { record, declaration } = released(['10.00', '30.00'], '3.00', '10.00');

    // Act
    const lines = apportion(record, declaration, [0]);

    // Assess
    expect(lines).toEqual([
      { kind: 'DUTY', code: 'DUTY', hsCode: '610910', amount: '3.00' },
      { kind: 'TAX', code: 'VAT', amount: '2.50' },
    ]);
  });

  it('never refunds fees or tax collected at checkout', () => {
    const { record, declaration } = released(['10.00'], '0.00', '0.00');
    expect(apportion(record, declaration, [0])).toEqual([]);
  });
});
