// Payments of duty and tax due at import (collection model CONSUMER_AT_IMPORT). Partial payments add up;
// a payment never exceeds what is still due and is in the assessment currency; the same reference twice
// is one payment. Once nothing is due the release rules run again.

import { ConflictError, UnprocessableError } from '../errors.js';
import { type DomainEvent, domainEvent, eventBase } from '../events.js';
import { Decimal, formatMoney } from '../money.js';
import { type DeclarationRecord, outstandingAtImport, type Payment, TERMINAL } from './record.js';
import { type ActionResult, type Actor, eventsCausedAt, settle, transitionEvents } from './release.js';

export interface PaymentCommand {
  /** The payment's id: derived from the declaration and the reference, so a repeat maps onto it. */
  paymentId: string;
  amount: string;
  currency: string;
  reference: string;
  actor: Actor;
  at: string;
}

const samePayment = (payment: Payment, command: PaymentCommand) =>
  payment.currency === command.currency && new Decimal(payment.amount).equals(command.amount);

const paymentRecorded = (record: DeclarationRecord, payment: Payment): DomainEvent =>
  domainEvent('PaymentRecorded', {
    ...eventBase(record, payment.recordedAt),
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency,
  });

/** The announcement of a payment recorded before, for a repeated request. */
const paymentEvents = (record: DeclarationRecord, payment: Payment): DomainEvent[] => [
  paymentRecorded(record, payment),
  ...eventsCausedAt(record, payment.recordedAt),
];

export const recordPayment = (
  record: DeclarationRecord,
  command: PaymentCommand,
): ActionResult<{ payment: Payment; events: DomainEvent[] }> => {
  const existing = record.payments.find((payment) => payment.reference === command.reference);
  if (existing) {
    if (!samePayment(existing, command)) {
      throw new ConflictError(
        `The payment reference ${command.reference} was already used for a payment of ${existing.amount} ${existing.currency}`,
        { paymentId: existing.id },
      );
    }
    return { record, changed: false, value: { payment: existing, events: paymentEvents(record, existing) } };
  }
  if (TERMINAL.has(record.status)) {
    throw new ConflictError(`The declaration is ${record.status}; it takes no more payments`, {
      currentStatus: record.status,
    });
  }
  const { assessment } = record;
  if (!assessment) {
    throw new ConflictError(
      `The declaration is ${record.status} and not assessed yet: nothing is due until it is`,
      { currentStatus: record.status },
    );
  }
  if (command.currency !== assessment.currency) {
    throw new UnprocessableError(
      `Payments are taken in the assessment currency ${assessment.currency}, not ${command.currency}`,
      { currency: assessment.currency },
    );
  }
  const due = outstandingAtImport(record);
  if (new Decimal(command.amount).greaterThan(due)) {
    const amountDue = formatMoney(due, assessment.currency);
    throw new UnprocessableError(
      due.isZero()
        ? `Nothing is due at import on this declaration (amount due ${amountDue} ${assessment.currency})`
        : `The payment of ${command.amount} ${command.currency} exceeds the amount due, ${amountDue} ${assessment.currency}`,
      { amountDue, currency: assessment.currency },
    );
  }
  const payment: Payment = {
    id: command.paymentId,
    amount: formatMoney(command.amount, assessment.currency),
    currency: assessment.currency,
    reference: command.reference,
    recordedBy: command.actor.subject,
    recordedAt: command.at,
  };
  const paid: DeclarationRecord = {
    ...record,
    payments: [...record.payments, payment],
    updatedAt: command.at,
  };
  const next = settle(paid, command.actor.subject, command.at);
  const events = [paymentRecorded(next, payment), ...transitionEvents(record, next, command.at)];
  return { record: next, changed: true, value: { payment, events } };
};
