// Every way a declaration leaves clearance, driven over HTTP against `npm start`'s runtime: green release,
// payment due then paid, an AMBER check closed by an officer, a single-window agency hold, rejection,
// seizure, cancellation and a return after release. Each test lodges its own declarations (own reference
// and consignee) and asserts on its own ids only.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueFromPayer } from '../../shared/domain/duty/assessment.js';
import { Decimal } from '../../shared/domain/money.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { type AnswerBody, answerAs } from '../fixtures/api.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<string, unknown>;
const PLATFORM = 'Bearer local:platform:release-paths';
const OFFICER = 'Bearer local:officer:officer-7';
const FOOD_SAFETY = 'Bearer local:agency:FOOD_SAFETY';
/** A named inspector signed in for the food safety agency (a staff user with the agency's code). */
const FOOD_INSPECTOR = 'Bearer local:agency:FOOD_SAFETY:food-inspector-7';
const MEDICINES = 'Bearer local:agency:MEDICINES';

interface Response {
  status: number;
  body: Record<string, unknown>;
}

/** A declaration as GET /v1/declarations/{id} documents it. */
type View = AnswerBody<typeof declarationRoutes.view, 200>;

interface BusEvent {
  event: { 'detail-type': string; detail: Record<string, unknown> };
}

describe('release paths over HTTP (npm start)', () => {
  let runtime: RuntimeProcess;
  let busEndpoint = '';
  let sequence = 0;

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
    busEndpoint = /Event bus \S+: (http:\/\/\S+)/.exec(runtime.output())?.[1] ?? '';
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token = PLATFORM): Promise<Response> => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  /** Lodges a declaration with its own reference and consignee (no 72-hour history, no splitting hit). */
  const lodge = async (overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) => {
    sequence += 1;
    const reference = `RP-${Date.now()}-${sequence}`;
    const items = fixture.items as Record<string, unknown>[];
    const lodged = await call('POST', '/v1/declarations', {
      ...fixture,
      reference,
      consignee: {
        name: `Consignee ${reference}`,
        address: {
          line1: `${sequence} Canal Street`,
          city: 'Amsterdam',
          postcode: `${1000 + sequence} AB`,
          country: 'NL',
        },
      },
      items: [{ ...items[0], ...item }],
      ...overrides,
    });
    expect(lodged.status).toBe(202);
    return String(lodged.body.id);
  };

  /** What the consumer pays before release: what is due at import less the declarant's own lines. */
  const consumerDue = (current: View) =>
    current.assessment ? dueFromPayer(current.assessment).toFixed(2) : '0';

  const view = async (id: string, token = OFFICER): Promise<View> =>
    answerAs(declarationRoutes.view, await call('GET', `/v1/declarations/${id}`, undefined, token), 200);

  /** Waits until the pipeline (risk, duty) has left RECEIVED; on a timeout, shows what the runtime logged. */
  const settled = (id: string) =>
    eventually(
      () => view(id),
      (current) => current.status !== 'RECEIVED',
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nRuntime output:\n${runtime.output().slice(-4000)}`);
    });

  const eventsOf = async (
    id: string,
  ): Promise<{ type: string; status: unknown; detail: Record<string, unknown> }[]> => {
    const response = await fetch(`${busEndpoint}/_local/events`);
    const { events } = (await response.json()) as { events: BusEvent[] };
    return events
      .filter((entry) => entry.event.detail.declarationId === id)
      .map((entry) => ({
        type: entry.event['detail-type'],
        status: entry.event.detail.status,
        detail: entry.event.detail,
      }));
  };

  const eventTypes = async (id: string) => (await eventsOf(id)).map((event) => event.type);

  const transitions = (current: View) => current.history.map((entry) => `${entry.from ?? '-'}>${entry.to}`);

  it('releases a green consignment at once', async () => {
    // Act
    const id = await lodge();

    // Assess
    const released = await eventually(
      () => view(id),
      (current) => current.status === 'RELEASED',
    );
    expect(released.risk?.lane).toBe('GREEN');
    expect(transitions(released)).toEqual(['->RECEIVED', 'RECEIVED>ASSESSED', 'ASSESSED>RELEASED']);
    await eventually(
      () => eventTypes(id),
      (types) => types.includes('DeclarationReleased'),
    );
  });

  it('waits for payment of what is due at import, adds partial payments and releases when paid', async () => {
    // Prepare
    const id = await lodge({ collectionModel: 'CONSUMER_AT_IMPORT' });
    const awaiting = await settled(id);
    expect(awaiting.status).toBe('AWAITING_PAYMENT');
    const due = consumerDue(awaiting);
    expect(new Decimal(due).greaterThan(1)).toBe(true);
    const rest = new Decimal(due).minus(1).toFixed(2);

    // Act
    const partial = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: '1.00',
      currency: 'EUR',
      reference: 'PAY-1',
    });
    const repeated = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: '1.00',
      currency: 'EUR',
      reference: 'PAY-1',
    });
    const overpaid = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: due,
      currency: 'EUR',
      reference: 'PAY-2',
    });
    const otherCurrency = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: '1.00',
      currency: 'USD',
      reference: 'PAY-3',
    });
    const byRival = await call(
      'POST',
      `/v1/declarations/${id}/payments`,
      { amount: '1.00', currency: 'EUR', reference: 'PAY-4' },
      'Bearer local:platform:rival',
    );
    const remainder = await call(
      'POST',
      `/v1/declarations/${id}/payments`,
      { amount: rest, currency: 'EUR', reference: 'PAY-5' },
      OFFICER,
    );

    // Assess
    expect(partial.status).toBe(201);
    expect(partial.body.declaration).toMatchObject({
      status: 'AWAITING_PAYMENT',
      amountDue: rest,
      currency: 'EUR',
    });
    expect(repeated.status).toBe(200);
    expect((repeated.body.payment as { id: string }).id).toBe((partial.body.payment as { id: string }).id);
    expect(overpaid.status).toBe(422);
    expect(overpaid.body).toMatchObject({ amountDue: rest, currency: 'EUR' });
    expect(String(overpaid.body.detail)).toContain(rest);
    expect(otherCurrency.status).toBe(422);
    expect(byRival.status).toBe(404);
    expect(remainder.status).toBe(201);
    expect(remainder.body.declaration).toMatchObject({ status: 'RELEASED', amountDue: '0.00' });
    const released = await view(id);
    expect(released.payments.map((payment) => payment.reference)).toEqual(['PAY-1', 'PAY-5']);
    expect(transitions(released).slice(-2)).toEqual([
      'ASSESSED>AWAITING_PAYMENT',
      'AWAITING_PAYMENT>RELEASED',
    ]);
    await eventually(
      () => eventTypes(id),
      (types) =>
        types.filter((type) => type === 'PaymentRecorded').length >= 2 &&
        types.includes('DeclarationReleased'),
    );
  });

  it('holds an AMBER consignment for a check and releases it on the officer decision', async () => {
    // Prepare: a description that does not say what the goods are
    const id = await lodge({}, { description: 'gift' });
    const held = await settled(id);
    expect(held).toMatchObject({ status: 'HELD', risk: { lane: 'AMBER' } });
    const profileId = held.risk?.hits[0]?.profileId ?? '';

    // Act
    const byPlatform = await call('POST', `/v1/declarations/${id}/decisions`, {
      decision: 'RELEASE',
      findings: {},
    });
    const unknownProfile = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      { decision: 'RELEASE', findings: { 'NOT-A-HIT': { confirmed: true } } },
      OFFICER,
    );
    const decided = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      {
        decision: 'RELEASE',
        findings: { [profileId]: { confirmed: false, notes: 'Invoice names cotton T-shirts' } },
      },
      OFFICER,
    );

    // Assess
    expect(byPlatform.status).toBe(403);
    expect(unknownProfile.status).toBe(422);
    expect(decided.status).toBe(200);
    expect(decided.body.declaration).toMatchObject({ status: 'RELEASED' });
    const released = await view(id);
    expect(transitions(released).slice(-2)).toEqual(['ASSESSED>HELD', 'HELD>RELEASED']);
    expect(released.history.at(-1)?.by).toBe('officer-7');
  });

  it('routes a food consignment to the food safety agency and holds it until its inspector lifts the hold', async () => {
    // Prepare: cheese (HS 0406) is routed to FOOD_SAFETY
    const id = await lodge({}, { description: 'Gouda cheese, aged 12 months', hsCode: '040610' });
    const held = await settled(id);
    expect(held.status).toBe('HELD');
    const hold = held.holds.find((candidate) => candidate.agency === 'FOOD_SAFETY');
    expect(hold).toBeDefined();
    const lift = `/v1/declarations/${id}/holds/${hold?.id}/lift`;
    await eventually(
      async () =>
        (await call('GET', '/v1/holds', undefined, FOOD_SAFETY)).body.items as { declarationId: string }[],
      (items) => items.some((item) => item.declarationId === id),
    );

    // Act
    const seenByAgency = await call('GET', `/v1/declarations/${id}`, undefined, FOOD_SAFETY);
    const seenByOther = await call('GET', `/v1/declarations/${id}`, undefined, MEDICINES);
    const liftedByOther = await call('POST', lift, undefined, MEDICINES);
    const liftedByOfficer = await call('POST', lift, undefined, OFFICER);
    const holdForOther = await call(
      'POST',
      `/v1/declarations/${id}/holds`,
      { reason: 'Check', agency: 'FOOD_SAFETY' },
      MEDICINES,
    );
    const lifted = await call('POST', lift, { note: 'Samples within limits' }, FOOD_INSPECTOR);
    const liftedAgain = await call('POST', lift, undefined, FOOD_SAFETY);
    const released = answerAs(declarationRoutes.view, await call('GET', `/v1/declarations/${id}`), 200);

    // Assess
    expect(seenByAgency.status).toBe(200);
    expect(seenByOther.status).toBe(404);
    expect(liftedByOther.status).toBe(404);
    expect(liftedByOfficer.status).toBe(403);
    // The declaration was not routed to MEDICINES, so that agency cannot see it at all.
    expect(holdForOther.status).toBe(404);
    expect(lifted.status).toBe(200);
    // The hold is the agency's; the lift and the release it caused name the inspector who lifted it
    expect(lifted.body).toMatchObject({
      hold: { id: hold?.id, liftedBy: 'FOOD_SAFETY', liftedByPerson: 'food-inspector-7' },
      declaration: { status: 'RELEASED' },
    });
    expect(liftedAgain.status).toBe(200);
    expect(released.holds.find((candidate) => candidate.id === hold?.id)).toMatchObject({
      liftedBy: 'FOOD_SAFETY',
      liftedByPerson: 'food-inspector-7',
      liftNote: 'Samples within limits',
    });
    expect(released.history.at(-1)).toMatchObject({
      to: 'RELEASED',
      by: 'FOOD_SAFETY',
      person: 'food-inspector-7',
    });
    const listed = (state: string) => async () =>
      ((await call('GET', `/v1/holds?state=${state}`, undefined, FOOD_SAFETY)).body.items as {
        declarationId: string;
        liftedByPerson?: string;
      }[]) ?? [];
    const liftedList = await eventually(listed('LIFTED'), (items) =>
      items.some((item) => item.declarationId === id),
    );
    expect(liftedList.find((item) => item.declarationId === id)?.liftedByPerson).toBe('food-inspector-7');
    expect((await listed('STANDING')()).some((item) => item.declarationId === id)).toBe(false);
    await eventually(
      () => eventsOf(id),
      (events) =>
        events.some((event) => event.type === 'HoldPlaced' && event.detail.agency === 'FOOD_SAFETY') &&
        events.some((event) => event.type === 'HoldLifted' && event.detail.holdId === hold?.id) &&
        events.some((event) => event.type === 'DeclarationReleased'),
    );
  });

  it("puts the EUR 3 duty on the lodging platform's account: the consumer pays the VAT alone before release", async () => {
    // Delegated Regulation (EU) 2026/1022: the declarant owes the flat duty, not the consumer
    // (https://www.owlbrief.com/briefs/14284-european-commission-updates-customs-declaration-data-for-eur-3-duty-on-distance-sales-eur150).
    // Prepare: a T-shirt and a pair of shoes, two tariff subheadings
    const first = (fixture.items as Record<string, unknown>[])[0];
    const id = await lodge({
      collectionModel: 'CONSUMER_AT_IMPORT',
      items: [first, { ...first, description: 'Leather shoes', hsCode: '640399', value: '30.00' }],
    });
    const awaiting = await settled(id);
    const assessment = awaiting.assessment;
    const wholeDue = assessment?.totals.dueAtImport ?? '0';

    // Act
    const wholeRefused = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: wholeDue,
      currency: 'EUR',
      reference: 'ALL-IN',
    });
    const vatOnly = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: consumerDue(awaiting),
      currency: 'EUR',
      reference: 'VAT',
    });
    const month = new Date().toISOString().slice(0, 7);
    const statement = await call('GET', `/v1/revenue/statements?account=release-paths&month=${month}`);

    // Assess
    expect(awaiting.status).toBe('AWAITING_PAYMENT');
    expect(assessment?.payer).toBe('CONSUMER');
    expect(assessment?.duties.map((line) => [line.code, line.amount, line.payer])).toEqual([
      ['EU_FLAT_DUTY', '3.00', 'PLATFORM'],
      ['EU_FLAT_DUTY', '3.00', 'PLATFORM'],
    ]);
    expect(assessment?.totals.dueFromDeclarant).toBe('6.00');
    expect(new Decimal(wholeDue).minus(consumerDue(awaiting)).toFixed(2)).toBe('6.00');
    expect(wholeRefused.status).toBe(422);
    expect(wholeRefused.body).toMatchObject({ amountDue: consumerDue(awaiting) });
    expect(vatOnly.status).toBe(201);
    expect(vatOnly.body.declaration).toMatchObject({ status: 'RELEASED', amountDue: '0.00' });
    const lines = (statement.body.lines ?? []) as {
      collectionModel: string;
      taxCode: string;
      dueAtImport: string;
    }[];
    const consumerPaid = lines.filter((line) => line.collectionModel === 'CONSUMER_AT_IMPORT');
    expect(consumerPaid.map((line) => line.taxCode)).toEqual(['EU_FLAT_DUTY']);
    expect(new Decimal(consumerPaid[0]?.dueAtImport ?? 0).greaterThanOrEqualTo(6)).toBe(true);
  });

  it('lets an officer hold an unpaid declaration, and releases it only once paid and lifted', async () => {
    // Prepare
    const id = await lodge({ collectionModel: 'CONSUMER_AT_IMPORT' });
    const awaiting = await settled(id);
    const due = consumerDue(awaiting);

    // Act
    const placed = await call('POST', `/v1/declarations/${id}/holds`, { reason: 'X-ray anomaly' }, OFFICER);
    const paid = await call('POST', `/v1/declarations/${id}/payments`, {
      amount: due,
      currency: 'EUR',
      reference: 'FULL',
    });
    const holdId = (placed.body.hold as { id: string }).id;
    const lifted = await call('POST', `/v1/declarations/${id}/holds/${holdId}/lift`, undefined, OFFICER);

    // Assess
    expect(placed.status).toBe(201);
    expect(placed.body.declaration).toMatchObject({ status: 'HELD' });
    expect(paid.body.declaration).toMatchObject({ status: 'HELD', amountDue: '0.00' });
    expect(lifted.body.declaration).toMatchObject({ status: 'RELEASED' });
    expect(transitions(await view(id)).slice(-3)).toEqual([
      'ASSESSED>AWAITING_PAYMENT',
      'AWAITING_PAYMENT>HELD',
      'HELD>RELEASED',
    ]);
  });

  it('rejects on the officer decision, and refuses anything after', async () => {
    // Prepare
    const id = await lodge({}, { description: 'gift' });
    await settled(id);

    // Act
    const rejected = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      { decision: 'REJECT', findings: {} },
      OFFICER,
    );
    const release = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      { decision: 'RELEASE', findings: {} },
      OFFICER,
    );
    const hold = await call('POST', `/v1/declarations/${id}/holds`, { reason: 'Too late' }, OFFICER);

    // Assess
    expect(rejected.body.declaration).toMatchObject({ status: 'REJECTED' });
    expect(release.status).toBe(409);
    expect(release.body).toMatchObject({ currentStatus: 'REJECTED' });
    expect(String(release.body.detail)).toContain('REJECTED');
    expect(hold.status).toBe(409);
    await eventually(
      () => eventsOf(id),
      (events) => events.some((event) => event.type === 'DeclarationRejected' && event.status === 'REJECTED'),
    );
  });

  it('seizes on the officer decision, announced as a rejection with status SEIZED', async () => {
    // Prepare
    const id = await lodge({}, { description: 'gift' });
    const held = await settled(id);
    const profileId = held.risk?.hits[0]?.profileId ?? '';

    // Act
    const seized = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      { decision: 'SEIZE', findings: { [profileId]: { confirmed: true } } },
      OFFICER,
    );

    // Assess
    expect(seized.status).toBe(200);
    expect(seized.body.declaration).toMatchObject({ status: 'SEIZED' });
    expect(transitions(await view(id)).at(-1)).toBe('HELD>SEIZED');
    await eventually(
      () => eventsOf(id),
      (events) => events.some((event) => event.type === 'DeclarationRejected' && event.status === 'SEIZED'),
    );
  });

  it('refuses to cancel while a customs check stands (UCC Art. 174), then extinguishes the debt on REJECT', async () => {
    // Prepare: a vague description orders a documentary check
    const id = await lodge({}, { description: 'gift' });
    await settled(id);

    // Act
    const cancelled = await call('POST', `/v1/declarations/${id}/cancel`, { reason: 'Order cancelled' });
    const rejected = await call(
      'POST',
      `/v1/declarations/${id}/decisions`,
      { decision: 'REJECT', findings: {} },
      OFFICER,
    );

    // Assess
    expect(cancelled.status).toBe(409);
    expect(cancelled.body).toMatchObject({
      currentStatus: 'HELD',
      openChecks: [{ kind: 'RISK_CHECK', lane: expect.stringMatching(/^(AMBER|RED)$/) }],
    });
    expect(rejected.status).toBe(200);
    expect((await view(id)).status).toBe('REJECTED');
    await eventually(
      () => eventsOf(id),
      (events) => events.some((event) => event.type === 'DebtExtinguished' && event.status === 'REJECTED'),
    );
  });

  it('refunds duty and tax for goods returned after release, once per reference', async () => {
    // Prepare: a paid consignment of two lines, and one still awaiting payment
    const id = await lodge({
      collectionModel: 'CONSUMER_AT_IMPORT',
      items: [
        { ...(fixture.items as object[])[0], value: '30.00' },
        { ...(fixture.items as object[])[0], description: "Women's cotton T-shirt", value: '10.00' },
      ],
    });
    const unpaid = await lodge({ collectionModel: 'CONSUMER_AT_IMPORT' });
    const awaiting = await settled(id);
    await settled(unpaid);
    const due = consumerDue(awaiting);
    await call('POST', `/v1/declarations/${id}/payments`, { amount: due, currency: 'EUR', reference: 'ALL' });

    // Act
    const early = await call('POST', `/v1/declarations/${unpaid}/returns`, {
      reason: 'Refused',
      reference: 'RMA-0',
    });
    const first = await call('POST', `/v1/declarations/${id}/returns`, {
      reason: 'Returned',
      items: [1],
      reference: 'RMA-1',
    });
    const repeated = await call('POST', `/v1/declarations/${id}/returns`, {
      reason: 'Returned',
      items: [1],
      reference: 'RMA-1',
    });
    const again = await call('POST', `/v1/declarations/${id}/returns`, {
      reason: 'Returned',
      items: [1],
      reference: 'RMA-2',
    });
    const rest = await call('POST', `/v1/declarations/${id}/returns`, {
      reason: 'Returned',
      reference: 'RMA-3',
    });

    // Assess
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ currentStatus: 'AWAITING_PAYMENT' });
    expect(first.status).toBe(201);
    expect(repeated.status).toBe(200);
    expect(repeated.body.refund).toEqual(first.body.refund);
    expect(again.status).toBe(409);
    expect(rest.status).toBe(201);
    const refunded = [first, rest].reduce(
      (total, response) => total.plus((response.body.refund as { amount: string }).amount),
      new Decimal(0),
    );
    // NL charges no fees at import: everything due was duty and tax, and all of it comes back, the VAT to
    // the consumer and the flat duty to the platform that owed it.
    expect(refunded.toFixed(2)).toBe(awaiting.assessment?.totals.dueAtImport);
    expect(rest.body.refund).toMatchObject({ items: [0], currency: 'EUR' });
    await eventually(
      () => eventsOf(id),
      (events) => events.filter((event) => event.type === 'RefundIssued').length >= 2,
    );
  });
});
