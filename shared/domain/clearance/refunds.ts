// Refunds after release: goods returned (or the order refunded) give back the duty and tax collected at
// import for the returned lines. Fees are not refunded, nor tax collected at checkout (the seller refunds
// that and corrects its scheme return).
//
// Apportionment: a duty line that names an HS code belongs to the goods lines with that code, any other
// duty or tax line to every goods line; each is shared out by the lines' intrinsic value, rounded half-up
// to the currency's minor unit. The return that takes the last lines of a duty or tax line gets what is
// left of it, so the refunds of a declaration add up exactly to what was collected, whatever the order
// and grouping of the returns.

import type { Declaration } from '../declaration/declaration.js';
import { ConflictError, UnprocessableError } from '../errors.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import { Decimal, formatMoney, roundMoney, sumMoney } from '../money.js';
import type { DeclarationRecord, Refund, RefundLine } from './record.js';
import type { ActionResult, Actor } from './release.js';

export interface ReturnCommand {
  /** The refund's id: derived from the declaration and the reference, so a repeat maps onto it. */
  refundId: string;
  reference: string;
  reason: string;
  /** Returned goods lines; every line not returned before when absent. */
  items?: number[];
  actor: Actor;
  at: string;
}

/** One duty or tax line collected at import, with the goods lines it is shared among. */
interface Component {
  kind: RefundLine['kind'];
  code: string;
  hsCode?: string;
  amount: Decimal;
  lines: number[];
}

const componentKey = (line: Pick<RefundLine, 'kind' | 'code' | 'hsCode'>) =>
  `${line.kind}|${line.code}|${line.hsCode ?? ''}`;

const matchesHsCode = (itemCode: string, dutyCode: string) =>
  itemCode.startsWith(dutyCode) || dutyCode.startsWith(itemCode);

/** The duty and tax collected at import, grouped by line kind, code and HS code. */
export const refundableComponents = (record: DeclarationRecord, declaration: Declaration): Component[] => {
  const assessment = record.assessment;
  if (!assessment) return [];
  const everyLine = declaration.items.map((_, index) => index);
  const components = new Map<string, Component>();
  const add = (kind: RefundLine['kind'], code: string, amount: string, hsCode?: string) => {
    const lines = hsCode
      ? everyLine.filter((index) => matchesHsCode(declaration.items[index]?.hsCode ?? '', hsCode))
      : everyLine;
    const scoped = lines.length > 0 ? hsCode : undefined;
    const key = componentKey({ kind, code, ...(scoped ? { hsCode: scoped } : {}) });
    const existing = components.get(key);
    if (existing) existing.amount = existing.amount.plus(amount);
    else
      components.set(key, {
        kind,
        code,
        ...(scoped ? { hsCode: scoped } : {}),
        amount: new Decimal(amount),
        lines: lines.length > 0 ? lines : everyLine,
      });
  };
  for (const duty of assessment.duties) add('DUTY', duty.code, duty.amount, duty.hsCode);
  for (const tax of assessment.taxes) if (!tax.collectedAtCheckout) add('TAX', tax.code, tax.amount);
  return [...components.values()].filter((component) => component.amount.greaterThan(0));
};

/** Goods lines returned by earlier refunds. */
export const returnedLines = (record: DeclarationRecord): Set<number> =>
  new Set((record.refunds ?? []).flatMap((refund) => refund.items));

/** The refund lines for returning `items`, given what earlier refunds took. Pure; exported for tests. */
export const apportion = (
  record: DeclarationRecord,
  declaration: Declaration,
  items: readonly number[],
): RefundLine[] => {
  const currency = record.assessment?.currency ?? declaration.currency;
  const before = returnedLines(record);
  const refundedSoFar = new Map<string, Decimal>();
  for (const line of (record.refunds ?? []).flatMap((refund) => refund.lines)) {
    const key = componentKey(line);
    refundedSoFar.set(key, (refundedSoFar.get(key) ?? new Decimal(0)).plus(line.amount));
  }
  const value = (lines: readonly number[]) =>
    sumMoney(lines.map((index) => declaration.items[index]?.value ?? '0'));
  const returning = new Set(items);
  const result: RefundLine[] = [];
  for (const component of refundableComponents(record, declaration)) {
    const mine = component.lines.filter((index) => returning.has(index));
    if (mine.length === 0) continue;
    const remaining = component.amount.minus(refundedSoFar.get(componentKey(component)) ?? 0);
    const last = component.lines.every((index) => returning.has(index) || before.has(index));
    const total = value(component.lines);
    const share = total.isZero()
      ? new Decimal(mine.length).dividedBy(component.lines.length)
      : value(mine).dividedBy(total);
    const proportional = new Decimal(roundMoney(component.amount.times(share), currency));
    const amount = last ? remaining : Decimal.min(proportional, remaining);
    result.push({
      kind: component.kind,
      code: component.code,
      ...(component.hsCode ? { hsCode: component.hsCode } : {}),
      amount: formatMoney(Decimal.max(amount, 0), currency),
    });
  }
  return result;
};

const refundIssued = (record: DeclarationRecord, refund: Refund): DomainEvent =>
  domainEvent('RefundIssued', {
    ...eventBase(record, refund.requestedAt),
    refundId: refund.id,
    amount: refund.amount,
    currency: refund.currency,
  });

const sameReturn = (refund: Refund, command: ReturnCommand, items: number[]) =>
  refund.reason === command.reason &&
  (command.items === undefined || sorted(refund.items).join(',') === sorted(items).join(','));

const sorted = (lines: readonly number[]) => [...lines].sort((a, b) => a - b);

/**
 * Records the refund for returned goods. Only a RELEASED declaration can have goods returned; a line is
 * returned once; the same reference again returns the refund already recorded (a different request under
 * it is a conflict).
 */
export const returnGoods = (
  record: DeclarationRecord,
  declaration: Declaration,
  command: ReturnCommand,
): ActionResult<{ refund: Refund; events: DomainEvent[] }> => {
  const existing = (record.refunds ?? []).find((refund) => refund.reference === command.reference);
  if (existing) {
    if (!sameReturn(existing, command, command.items ?? [])) {
      throw new ConflictError(
        `The return reference ${command.reference} was already used for another return (refund ${existing.id})`,
        { refundId: existing.id },
      );
    }
    return { record, changed: false, value: { refund: existing, events: [refundIssued(record, existing)] } };
  }
  if (record.status !== 'RELEASED') {
    throw new ConflictError(
      `The declaration is ${record.status}; goods can be returned for a refund only after release`,
      { currentStatus: record.status },
    );
  }
  const count = declaration.items.length;
  const outOfRange = (command.items ?? []).filter((index) => index >= count);
  if (outOfRange.length > 0) {
    throw new UnprocessableError(
      `The declaration has ${count} goods line(s), indexes 0 to ${count - 1}; there is no line ${outOfRange.join(', ')}`,
      { items: count },
    );
  }
  const before = returnedLines(record);
  const again = (command.items ?? []).filter((index) => before.has(index));
  if (again.length > 0) {
    throw new ConflictError(`Goods line(s) ${again.join(', ')} were already returned`, {
      returnedItems: sorted([...before]),
    });
  }
  const items =
    command.items ?? declaration.items.map((_, index) => index).filter((index) => !before.has(index));
  if (items.length === 0) throw new ConflictError('Every goods line of the declaration was already returned');
  const currency = record.assessment?.currency ?? declaration.currency;
  const lines = apportion(record, declaration, items);
  const refund: Refund = {
    id: command.refundId,
    reference: command.reference,
    reason: command.reason,
    items: sorted(items),
    amount: formatMoney(sumMoney(lines.map((line) => line.amount)), currency),
    currency,
    lines,
    requestedBy: command.actor.subject,
    requestedAt: command.at,
  };
  const next: DeclarationRecord = {
    ...record,
    refunds: [...(record.refunds ?? []), refund],
    updatedAt: command.at,
  };
  return { record: next, changed: true, value: { refund, events: [refundIssued(next, refund)] } };
};
