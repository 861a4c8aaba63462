// The security matrix: EVERY route of the topology called by EVERY kind of caller over HTTP against
// `npm start`'s runtime, each answer compared with the exact status the contract (DESIGN.md section 3)
// gives that caller. Routes come from shared/topology.ts, so a new route fails here until its row is
// written. Path parameters are real: declarations of platform A in the state each action needs, a hold
// of the food agency, reference data the admin stored. Besides the statuses: one platform never reads,
// lists, cancels, pays, returns or hears about (webhooks) another's declarations; an agency sees only what
// is routed to it; admin changes are audited; and no answer carries a stack, a path or an error's text.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueFromPayer } from '../../shared/domain/duty/assessment.js';
import { declarationRoutes } from '../../shared/http/routes/declarations.js';
import { type Route, routes } from '../../shared/http/routes/index.js';
import { type AnswerBody, answerAs } from '../fixtures/api.js';
import { CALLERS, type Caller, callerAuthorizations, callerSubjects } from '../fixtures/callers.js';
import { leakIn } from '../fixtures/leaks.js';
import { aPostalItem, itmattMessage, s10Id } from '../fixtures/postal.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from './runtime-process.js';

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

const SUBJECT = callerSubjects('sec');
const AUTHORIZATION = callerAuthorizations(SUBJECT);

// ---------------------------------------------------------------------------------------------
// The expected status of every cell, from DESIGN.md section 3. Columns are CALLERS, in order:
// no token, forged token, platform A (owns the declarations), platform B, officer, agency FOOD_SAFETY
// (holds on A's declaration routed to it), agency VETERINARY (nothing routed), finance, admin, a post
// (its own postal items only).
// ---------------------------------------------------------------------------------------------

type Row = readonly [number, number, number, number, number, number, number, number, number, number];

// biome-ignore format: the table reads as a table
const EXPECTED: Record<string, Row> = {
  //                                                  none  forg  platA platB offcr food  vet   fin   admin post
  'GET /v1/revenue':                                  [401,  401,  403,  403,  403,  403,  403,  200,  403,  403],
  'GET /v1/revenue/statements':                       [401,  401,  200,  404,  403,  403,  403,  200,  403,  404],
  'GET /v1/statistics':                               [401,  401,  403,  403,  200,  403,  403,  200,  200,  403],
  'GET /v1/public/statistics':                        [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /v1/data-quality':                             [401,  401,  200,  200,  200,  403,  403,  403,  200,  200],
  'POST /v1/declarations/{id}/payments':              [401,  401,  201,  404,  201,  403,  403,  403,  403,  403],
  'POST /v1/declarations/{id}/holds':                 [401,  401,  403,  403,  201,  201,  404,  403,  403,  403],
  'POST /v1/declarations/{id}/holds/{holdId}/lift':   [401,  401,  403,  403,  200,  200,  404,  403,  403,  403],
  'POST /v1/declarations/{id}/decisions':             [401,  401,  403,  403,  200,  403,  403,  403,  403,  403],
  'POST /v1/declarations/{id}/returns':               [401,  401,  201,  404,  403,  403,  403,  403,  403,  403],
  'GET /v1/holds':                                    [401,  401,  403,  403,  200,  200,  403,  403,  403,  403],
  'POST /v1/declarations':                            [401,  401,  202,  202,  403,  403,  403,  403,  403,  403],
  'POST /v1/declarations/batch':                      [401,  401,  207,  207,  403,  403,  403,  403,  403,  403],
  'POST /v1/postal/items':                            [401,  401,  403,  403,  403,  403,  403,  403,  403,  207],
  'POST /v1/postal/itmatt':                           [401,  401,  403,  403,  403,  403,  403,  403,  403,  207],
  'GET /v1/postal/itmatt.xsd':                        [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /v1/postal/responses':                         [401,  401,  403,  403,  403,  403,  403,  403,  403,  200],
  'GET /v1/declarations':                             [401,  401,  200,  200,  200,  403,  403,  403,  403,  200],
  'GET /v1/declarations/{id}':                        [401,  401,  200,  404,  200,  200,  404,  403,  200,  404],
  'POST /v1/declarations/{id}/cancel':                [401,  401,  200,  404,  403,  403,  403,  403,  403,  403],
  'GET /v1/declarations/{id}/record':                 [401,  401,  403,  403,  200,  403,  403,  403,  200,  403],
  'PUT /v1/webhooks':                                 [401,  401,  200,  200,  403,  403,  403,  403,  403,  200],
  'GET /v1/webhooks':                                 [401,  401,  200,  200,  403,  403,  403,  403,  403,  200],
  'POST /v1/webhooks/resume':                         [401,  401,  200,  200,  403,  403,  403,  403,  403,  200],
  'GET /openapi.json':                                [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /docs':                                        [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /docs/{asset}':                                [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'PUT /v1/admin/tariff-rates/{hsCode}':              [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/tariff-rates/{hsCode}':              [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/tariff-rates/{hsCode}':           [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/tax-rates/{hsPrefix}':               [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/tax-rates/{hsPrefix}':               [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/tax-rates/{hsPrefix}':            [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/surcharges/{id}':                    [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/surcharges/{id}':                    [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/surcharges/{id}':                 [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/exchange-rates/{currency}':          [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/exchange-rates/{currency}':          [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/trusted-traders/{id}':               [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/trusted-traders/{id}':               [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/trusted-traders/{id}':            [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/tax-registrations/{number}':         [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/tax-registrations/{number}':         [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/tax-registrations/{number}':      [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/reference-prices/{hsPrefix}':        [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/reference-prices/{hsPrefix}':        [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/reference-prices/{hsPrefix}':     [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'PUT /v1/admin/risk-profiles/{id}':                 [401,  401,  403,  403,  403,  403,  403,  403,  201,  403],
  'GET /v1/admin/risk-profiles/{id}':                 [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'DELETE /v1/admin/risk-profiles/{id}':              [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'GET /v1/admin/risk-profiles':                      [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'POST /v1/admin/risk-profiles/{id}/validation':     [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'GET /v1/admin/audit':                              [401,  401,  403,  403,  403,  403,  403,  403,  200,  403],
  'POST /v1/quotes':                                  [201,  201,  201,  201,  201,  201,  201,  201,  201,  201],
  'GET /v1/public/rules':                             [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /console':                                     [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /console/{path+}':                             [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  'GET /statistics':                                  [200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
};

// ---------------------------------------------------------------------------------------------
// Fixtures: platform A's declarations, each in the state the one caller that may act on it needs
// ---------------------------------------------------------------------------------------------

const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<string, unknown>;
const baseItem = (fixture.items as Record<string, unknown>[])[0] as Record<string, unknown>;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
/** Serial numbers of this run's postal items: S10 ids unique to the run. */
const POSTAL_SERIAL = (process.pid % 1000) * 100_000 + (Date.now() % 1000) * 100;
const CHEESE = { description: 'Gouda cheese, aged 12 months', hsCode: '040610' };

interface Fixtures {
  /** Routed to FOOD_SAFETY by risk (HELD, a standing food-safety hold): the target of every refused call. */
  view: string;
  viewHold: string;
  /** AWAITING_PAYMENT: A pays, the officer pays, A cancels, the officer and both agencies hold. */
  payA: string;
  payOfficer: string;
  cancelA: string;
  holdOfficer: string;
  holdFood: string;
  holdOther: string;
  /** AWAITING_PAYMENT with a customs hold the officer lifts. */
  liftOfficer: string;
  liftOfficerHold: string;
  /** Routed to FOOD_SAFETY: the agency lifts its own hold. */
  liftFood: string;
  liftFoodHold: string;
  /** AMBER (vague description): HELD for the officer's decision. */
  decide: string;
  /** Paid in full and RELEASED: A reports goods returned. */
  returnA: string;
  /** Platform B's own declaration. */
  ownB: string;
}

/** A declaration as GET /v1/declarations/{id} documents it. */
type View = AnswerBody<typeof declarationRoutes.view, 200>;

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: Record<string, unknown>;
}

const today = new Date().toISOString().slice(0, 10);
const month = today.slice(0, 7);
/** The last closed month: public statistics publish no other. */
const closedMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1))
  .toISOString()
  .slice(0, 7);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

// Admin keys: fixtures for GET and DELETE, a fresh key for PUT (201, and one audit entry).
const ADMIN_KEYS = {
  tariff: { get: '970110', del: '970190', put: '970200' },
  fx: { get: 'CHF', put: 'SEK' },
  trader: { get: 'SEC-TRADER-GET', del: 'SEC-TRADER-DEL', put: 'SEC-TRADER-PUT' },
  taxreg: { get: 'IM5280009001', del: 'IM5280009002', put: 'IM5280009003' },
  price: { get: '9701', del: '9702', put: '9703' },
  taxRate: { get: '970510', del: '970521', put: '970522' },
  surcharge: { get: 'SEC_SURCHARGE_GET', del: 'SEC_SURCHARGE_DEL', put: 'SEC_SURCHARGE_PUT' },
  profile: { get: 'SEC-PROFILE-GET', del: 'SEC-PROFILE-DEL', put: 'SEC-PROFILE-PUT' },
} as const;
const FUTURE = '2099-01-01';
const profileBody = (id: string) => ({
  id,
  description: 'Security matrix profile: works of art, never lodged here',
  validFrom: FUTURE,
  when: { item: { hsChapter: ['97'] } },
  score: 1,
});
const ADMIN_BODIES = {
  tariff: { dutyRate: '0.05', validFrom: '2020-01-01' },
  fx: { rate: '1.05', validFrom: '2020-01-01' },
  trader: {
    kind: 'SELLER',
    name: 'Security Matrix Trader',
    authorisedFilers: ['sec-platform'],
    validFrom: '2020-01-01',
  },
  taxreg: { scheme: 'IOSS', holder: 'Security Seller', holderId: 'SELLER-SEC', validFrom: '2020-01-01' },
  price: { price: '100.00', currency: 'EUR', validFrom: '2020-01-01' },
  taxRate: { rate: '0.09', validFrom: '2020-01-01', legalBasis: 'Security matrix: works of art' },
  // Goods of Antarctica only: no declaration of the run pays it.
  surcharge: {
    description: 'Security matrix surcharge',
    originCountries: ['AQ'],
    rate: '0.10',
    validFrom: '2020-01-01',
    legalBasis: 'Security matrix',
  },
} as const;

/** API Gateway's JWT authorizer answers 401 and 403 itself, as `{"message": ...}`. */
const isGatewayRefusal = (answer: { status: number; body: Record<string, unknown> }) =>
  (answer.status === 401 && answer.body.message === 'Unauthorized') ||
  (answer.status === 403 && answer.body.message === 'Forbidden');

describe('security matrix: every route, every caller (npm start)', () => {
  let runtime: RuntimeProcess;
  let receiver: Server;
  let hookBase = '';
  const deliveries: { path: string; body: string }[] = [];
  const fx = {} as Fixtures;
  let sequence = 0;
  let viewBefore: View;
  /** Every answer of the matrix, for the leak check. */
  const answers: { cell: string; answer: Answer }[] = [];

  const call = async (
    method: string,
    path: string,
    caller: Caller,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const authorization = AUTHORIZATION[caller];
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        // A string body is an ITMATT message; anything else is JSON.
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'application/xml' : 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (the docs page, a stylesheet)
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
      body: parsed,
    };
  };

  const view = async (id: string): Promise<View> =>
    answerAs(declarationRoutes.view, await call('GET', `/v1/declarations/${id}`, 'officer'), 200);

  const declaration = (item: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => {
    sequence += 1;
    const reference = `SEC-${RUN}-${sequence}`;
    return {
      ...fixture,
      reference,
      consignee: {
        name: `Matrix Consignee ${RUN} ${sequence}`,
        address: {
          line1: `${sequence} Matrix Street`,
          city: 'Utrecht',
          postcode: `${3500 + sequence} AB`,
          country: 'NL',
        },
      },
      items: [{ ...baseItem, ...item }],
      ...overrides,
    };
  };

  const postalItem = () => {
    sequence += 1;
    return aPostalItem({ itemId: s10Id(POSTAL_SERIAL + sequence) });
  };

  const lodge = async (
    caller: Caller,
    item: Record<string, unknown> = {},
    overrides: Record<string, unknown> = {},
  ) => {
    const lodged = await call('POST', '/v1/declarations', caller, declaration(item, overrides));
    expect(lodged.status, lodged.text).toBe(202);
    return String(lodged.body.id);
  };

  const settled = (id: string) =>
    eventually(
      () => view(id),
      (current) => current.status !== undefined && current.status !== 'RECEIVED',
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nRuntime output:\n${runtime.output().slice(-4000)}`);
    });

  const expectStatus = async (answer: Promise<Answer>, status: number) => {
    const settledAnswer = await answer;
    expect(settledAnswer.status, settledAnswer.text).toBe(status);
    return settledAnswer;
  };

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ CLEARWAY_LOG_LEVEL: 'warn' });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        deliveries.push({ path: req.url ?? '', body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    // Webhooks of both platforms and the post, before anything is lodged.
    await expectStatus(
      call('PUT', '/v1/webhooks', 'platformA', { url: `${hookBase}/a`, secret: 'sec-a-webhook-secret-01' }),
      200,
    );
    await expectStatus(
      call('PUT', '/v1/webhooks', 'platformB', { url: `${hookBase}/b`, secret: 'sec-b-webhook-secret-01' }),
      200,
    );
    await expectStatus(
      call('PUT', '/v1/webhooks', 'postA', { url: `${hookBase}/post`, secret: 'sec-post-webhook-secret-01' }),
      200,
    );

    // Reference data the admin routes read and end.
    const put = (path: string, body: unknown) => expectStatus(call('PUT', path, 'admin', body), 201);
    for (const key of [ADMIN_KEYS.tariff.get, ADMIN_KEYS.tariff.del])
      await put(`/v1/admin/tariff-rates/${key}`, ADMIN_BODIES.tariff);
    await put(`/v1/admin/exchange-rates/${ADMIN_KEYS.fx.get}`, ADMIN_BODIES.fx);
    for (const key of [ADMIN_KEYS.trader.get, ADMIN_KEYS.trader.del])
      await put(`/v1/admin/trusted-traders/${key}`, ADMIN_BODIES.trader);
    for (const key of [ADMIN_KEYS.taxreg.get, ADMIN_KEYS.taxreg.del])
      await put(`/v1/admin/tax-registrations/${key}`, ADMIN_BODIES.taxreg);
    for (const key of [ADMIN_KEYS.price.get, ADMIN_KEYS.price.del])
      await put(`/v1/admin/reference-prices/${key}`, ADMIN_BODIES.price);
    for (const key of [ADMIN_KEYS.taxRate.get, ADMIN_KEYS.taxRate.del])
      await put(`/v1/admin/tax-rates/${key}`, ADMIN_BODIES.taxRate);
    for (const key of [ADMIN_KEYS.surcharge.get, ADMIN_KEYS.surcharge.del])
      await put(`/v1/admin/surcharges/${key}`, ADMIN_BODIES.surcharge);
    for (const key of [ADMIN_KEYS.profile.get, ADMIN_KEYS.profile.del])
      await put(`/v1/admin/risk-profiles/${key}`, profileBody(key));

    // Platform A's declarations, and one of B's.
    const consumer = { collectionModel: 'CONSUMER_AT_IMPORT' };
    fx.view = await lodge('platformA', CHEESE);
    fx.liftFood = await lodge('platformA', CHEESE);
    fx.payA = await lodge('platformA', {}, consumer);
    fx.payOfficer = await lodge('platformA', {}, consumer);
    fx.cancelA = await lodge('platformA', {}, consumer);
    fx.holdOfficer = await lodge('platformA', {}, consumer);
    fx.holdFood = await lodge('platformA', {}, consumer);
    fx.holdOther = await lodge('platformA', {}, consumer);
    fx.liftOfficer = await lodge('platformA', {}, consumer);
    fx.decide = await lodge('platformA', { description: 'gift' });
    fx.returnA = await lodge('platformA', {}, consumer);
    fx.ownB = await lodge('platformB');

    const states = new Map<string, View>();
    for (const id of Object.values(fx)) states.set(id, await settled(id));
    const state = (id: string) => states.get(id) as View;

    const foodHold = (current: View) =>
      current.holds.find((hold) => hold.agency === SUBJECT.foodAgency && !hold.liftedAt)?.id;
    expect(state(fx.view).status).toBe('HELD');
    fx.viewHold = foodHold(state(fx.view)) ?? '';
    fx.liftFoodHold = foodHold(state(fx.liftFood)) ?? '';
    expect(fx.viewHold).not.toBe('');
    expect(fx.liftFoodHold).not.toBe('');
    for (const id of [
      fx.payA,
      fx.payOfficer,
      fx.cancelA,
      fx.holdOfficer,
      fx.holdFood,
      fx.holdOther,
      fx.liftOfficer,
      fx.returnA,
    ]) {
      expect(state(id).status, id).toBe('AWAITING_PAYMENT');
    }
    expect(state(fx.decide).status).toBe('HELD');

    const placed = await expectStatus(
      call('POST', `/v1/declarations/${fx.liftOfficer}/holds`, 'officer', { reason: 'X-ray anomaly' }),
      201,
    );
    fx.liftOfficerHold = String((placed.body.hold as { id: string }).id);
    // Officers route: the food agency may hold holdFood only once an officer routed it there.
    await expectStatus(
      call('POST', `/v1/declarations/${fx.holdFood}/holds`, 'officer', {
        reason: 'Routed to food safety',
        agency: SUBJECT.foodAgency,
      }),
      201,
    );
    // The consumer's share (the EU flat duty is the platform's own, on its account).
    const assessed = state(fx.returnA).assessment;
    const due = assessed ? dueFromPayer(assessed).toFixed(2) : '0';
    await expectStatus(
      call('POST', `/v1/declarations/${fx.returnA}/payments`, 'platformA', {
        amount: due,
        currency: 'EUR',
        reference: 'SEC-PAID-IN-FULL',
      }),
      201,
    );
    expect((await view(fx.returnA)).status).toBe('RELEASED');

    // The single window lists the food hold once the hold events went through.
    await eventually(
      async () =>
        (await call('GET', '/v1/holds', 'foodAgency')).body.items as { declarationId: string }[] | undefined,
      (items) => (items ?? []).some((item) => item.declarationId === fx.view),
      60_000,
    );
    viewBefore = await view(fx.view);
  });

  afterAll(async () => {
    await runtime?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  // ---------------------------------------------------------------------------------------------
  // What each route is called with, per caller. The caller the contract lets act gets a declaration in
  // the right state; every refused caller is pointed at A's routed declaration `view`.
  // ---------------------------------------------------------------------------------------------

  interface CallPlan {
    params?: Record<string, string>;
    query?: string;
    body?: unknown;
  }

  const refusedTarget = () => ({ id: fx.view });
  const byCaller = (targets: Partial<Record<Caller, string>>, caller: Caller) => ({
    id: targets[caller] ?? fx.view,
  });

  const PLANS: Record<string, (caller: Caller) => CallPlan> = {
    'GET /v1/revenue': () => ({ query: `from=${monthAgo}&to=${today}&groupBy=platform` }),
    'GET /v1/revenue/statements': () => ({ query: `account=${SUBJECT.platformA}&month=${month}` }),
    'GET /v1/statistics': () => ({ query: `from=${monthAgo}&to=${today}` }),
    'GET /v1/public/statistics': () => ({ query: `month=${closedMonth}` }),
    'GET /v1/data-quality': () => ({ query: `from=${monthAgo}&to=${today}` }),
    'POST /v1/declarations/{id}/payments': (caller) => ({
      params: byCaller({ platformA: fx.payA, officer: fx.payOfficer }, caller),
      body: { amount: '1.00', currency: 'EUR', reference: `SEC-PAY-${caller}` },
    }),
    'POST /v1/declarations/{id}/holds': (caller) => ({
      params: byCaller(
        { officer: fx.holdOfficer, foodAgency: fx.holdFood, otherAgency: fx.holdOther },
        caller,
      ),
      body: { reason: `Security matrix hold by ${caller}` },
    }),
    'POST /v1/declarations/{id}/holds/{holdId}/lift': (caller) =>
      caller === 'officer'
        ? { params: { id: fx.liftOfficer, holdId: fx.liftOfficerHold } }
        : caller === 'foodAgency'
          ? { params: { id: fx.liftFood, holdId: fx.liftFoodHold } }
          : { params: { id: fx.view, holdId: fx.viewHold } },
    'POST /v1/declarations/{id}/decisions': (caller) => ({
      params: byCaller({ officer: fx.decide }, caller),
      body: { decision: 'RELEASE', findings: {} },
    }),
    'POST /v1/declarations/{id}/returns': (caller) => ({
      params: byCaller({ platformA: fx.returnA }, caller),
      body: { reason: 'Returned by the consumer', reference: `SEC-RMA-${caller}` },
    }),
    'GET /v1/holds': () => ({ query: `agency=${SUBJECT.foodAgency}` }),
    'POST /v1/declarations': () => ({ body: declaration() }),
    'POST /v1/declarations/batch': () => ({ body: { declarations: [declaration()] } }),
    'POST /v1/postal/items': () => ({ body: { items: [postalItem()] } }),
    'POST /v1/postal/itmatt': () => ({ body: itmattMessage([postalItem()]) }),
    'GET /v1/postal/itmatt.xsd': () => ({}),
    'GET /v1/postal/responses': () => ({ query: 'limit=10' }),
    'GET /v1/declarations': () => ({ query: 'limit=100' }),
    'GET /v1/declarations/{id}': () => ({ params: refusedTarget() }),
    'GET /v1/declarations/{id}/record': () => ({ params: refusedTarget() }),
    'POST /v1/declarations/{id}/cancel': (caller) => ({
      params: byCaller({ platformA: fx.cancelA }, caller),
      body: { reason: 'Cancelled in the security matrix' },
    }),
    'PUT /v1/webhooks': (caller) => ({
      body:
        caller === 'platformB'
          ? { url: `${hookBase}/b`, secret: 'sec-b-webhook-secret-01' }
          : caller === 'postA'
            ? { url: `${hookBase}/post`, secret: 'sec-post-webhook-secret-01' }
            : { url: `${hookBase}/a`, secret: 'sec-a-webhook-secret-01' },
    }),
    'GET /v1/webhooks': () => ({}),
    'POST /v1/webhooks/resume': () => ({}),
    'GET /openapi.json': () => ({}),
    'GET /docs': () => ({}),
    'GET /docs/{asset}': () => ({ params: { asset: 'swagger-ui.css' } }),
    'GET /console': () => ({}),
    'GET /console/{path+}': () => ({ params: { path: 'queue' } }),
    'GET /statistics': () => ({}),
    'PUT /v1/admin/tariff-rates/{hsCode}': () => ({
      params: { hsCode: ADMIN_KEYS.tariff.put },
      body: ADMIN_BODIES.tariff,
    }),
    'GET /v1/admin/tariff-rates/{hsCode}': () => ({ params: { hsCode: ADMIN_KEYS.tariff.get } }),
    'DELETE /v1/admin/tariff-rates/{hsCode}': () => ({ params: { hsCode: ADMIN_KEYS.tariff.del } }),
    'PUT /v1/admin/exchange-rates/{currency}': () => ({
      params: { currency: ADMIN_KEYS.fx.put },
      body: ADMIN_BODIES.fx,
    }),
    'GET /v1/admin/exchange-rates/{currency}': () => ({ params: { currency: ADMIN_KEYS.fx.get } }),
    'PUT /v1/admin/trusted-traders/{id}': () => ({
      params: { id: ADMIN_KEYS.trader.put },
      body: ADMIN_BODIES.trader,
    }),
    'GET /v1/admin/trusted-traders/{id}': () => ({ params: { id: ADMIN_KEYS.trader.get } }),
    'DELETE /v1/admin/trusted-traders/{id}': () => ({ params: { id: ADMIN_KEYS.trader.del } }),
    'PUT /v1/admin/tax-registrations/{number}': () => ({
      params: { number: ADMIN_KEYS.taxreg.put },
      body: ADMIN_BODIES.taxreg,
    }),
    'GET /v1/admin/tax-registrations/{number}': () => ({ params: { number: ADMIN_KEYS.taxreg.get } }),
    'DELETE /v1/admin/tax-registrations/{number}': () => ({ params: { number: ADMIN_KEYS.taxreg.del } }),
    'PUT /v1/admin/reference-prices/{hsPrefix}': () => ({
      params: { hsPrefix: ADMIN_KEYS.price.put },
      body: ADMIN_BODIES.price,
    }),
    'GET /v1/admin/reference-prices/{hsPrefix}': () => ({ params: { hsPrefix: ADMIN_KEYS.price.get } }),
    'DELETE /v1/admin/reference-prices/{hsPrefix}': () => ({ params: { hsPrefix: ADMIN_KEYS.price.del } }),
    'PUT /v1/admin/tax-rates/{hsPrefix}': () => ({
      params: { hsPrefix: ADMIN_KEYS.taxRate.put },
      body: ADMIN_BODIES.taxRate,
    }),
    'GET /v1/admin/tax-rates/{hsPrefix}': () => ({ params: { hsPrefix: ADMIN_KEYS.taxRate.get } }),
    'DELETE /v1/admin/tax-rates/{hsPrefix}': () => ({ params: { hsPrefix: ADMIN_KEYS.taxRate.del } }),
    'PUT /v1/admin/surcharges/{id}': () => ({
      params: { id: ADMIN_KEYS.surcharge.put },
      body: ADMIN_BODIES.surcharge,
    }),
    'GET /v1/admin/surcharges/{id}': () => ({ params: { id: ADMIN_KEYS.surcharge.get } }),
    'DELETE /v1/admin/surcharges/{id}': () => ({ params: { id: ADMIN_KEYS.surcharge.del } }),
    'PUT /v1/admin/risk-profiles/{id}': () => ({
      params: { id: ADMIN_KEYS.profile.put },
      body: profileBody(ADMIN_KEYS.profile.put),
    }),
    'GET /v1/admin/risk-profiles/{id}': () => ({ params: { id: ADMIN_KEYS.profile.get } }),
    'POST /v1/admin/risk-profiles/{id}/validation': () => ({
      params: { id: ADMIN_KEYS.profile.put },
      body: profileBody(ADMIN_KEYS.profile.put),
    }),
    'DELETE /v1/admin/risk-profiles/{id}': () => ({
      params: { id: ADMIN_KEYS.profile.del },
      query: `validFrom=${FUTURE}`,
    }),
    'GET /v1/admin/risk-profiles': () => ({}),
    'GET /v1/admin/audit': () => ({}),
    'POST /v1/quotes': () => {
      const { reference: _reference, ...body } = declaration();
      return { body };
    },
    'GET /v1/public/rules': () => ({}),
  };

  const routeKey = (route: Route) => `${route.method} ${route.path}`;

  const pathOf = (route: Route, params: Record<string, string> = {}) =>
    route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`${routeKey(route)}: no value for {${name}}`);
      return encodeURIComponent(value);
    });

  /** Calls one route as every caller, in CALLERS order, recording each answer. */
  const callEveryone = async (route: Route) => {
    const plan = PLANS[routeKey(route)];
    if (!plan) throw new Error(`No call plan for ${routeKey(route)}: add one to PLANS`);
    const statuses: number[] = [];
    for (const caller of CALLERS) {
      const { params, query, body } = plan(caller);
      const path = `${pathOf(route, params)}${query ? `?${query}` : ''}`;
      const answer = await call(route.method, path, caller, body);
      answers.push({ cell: `${routeKey(route)} as ${caller}`, answer });
      statuses.push(answer.status);
      if (isGatewayRefusal(answer)) {
        // Refused by the gateway, before any function: API Gateway's own shape.
        expect(answer.contentType, `${routeKey(route)} as ${caller}`).toBe('application/json');
      } else if (answer.status >= 400) {
        expect(answer.contentType, `${routeKey(route)} as ${caller}`).toContain('application/problem+json');
        expect(answer.body.status, `${routeKey(route)} as ${caller}`).toBe(answer.status);
      }
    }
    return statuses;
  };

  const table = (statuses: readonly number[]) =>
    Object.fromEntries(CALLERS.map((caller, index) => [caller, statuses[index]]));

  // Reads first, so no action of the matrix changes what a read answers; then the actions.
  const reads = routes.filter((route) => route.method === 'GET');
  const writes = routes.filter((route) => route.method !== 'GET');

  it('has an expected status for every caller of every route in the topology, and no row for a route that is gone', () => {
    const keys = routes.map(routeKey);
    expect(
      keys.filter((key) => !(key in EXPECTED)),
      'routes without a row in EXPECTED',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((key) => !keys.includes(key)),
      'rows for routes not in the topology',
    ).toEqual([]);
    for (const route of routes) {
      const row = EXPECTED[routeKey(route)] as Row;
      // The table agrees with the topology: a role the route does not list is refused (403), an anonymous
      // or forged caller is refused (401) unless the route is public.
      CALLERS.forEach((caller, index) => {
        const role =
          caller === 'none' || caller === 'forged'
            ? undefined
            : caller === 'platformA' || caller === 'platformB'
              ? 'platform'
              : caller === 'foodAgency' || caller === 'otherAgency'
                ? 'agency'
                : caller === 'postA'
                  ? 'post'
                  : caller;
        if (route.roles.length === 0) expect(row[index], `${routeKey(route)} ${caller}`).toBeLessThan(400);
        else if (role === undefined) expect(row[index], `${routeKey(route)} ${caller}`).toBe(401);
        else if (!route.roles.includes(role)) expect(row[index], `${routeKey(route)} ${caller}`).toBe(403);
      });
    }
  });

  it.each(reads.map((route) => [routeKey(route), route] as const))(
    '%s answers each caller as the contract says',
    async (key, route) => {
      const statuses = await callEveryone(route);
      expect(table(statuses)).toEqual(table(EXPECTED[key] ?? []));
    },
  );

  it.each(writes.map((route) => [routeKey(route), route] as const))(
    '%s answers each caller as the contract says',
    async (key, route) => {
      const statuses = await callEveryone(route);
      expect(table(statuses)).toEqual(table(EXPECTED[key] ?? []));
    },
  );

  it('never answered with a stack trace, a server path, an exception class name or error text', () => {
    expect(answers.length).toBe(routes.length * CALLERS.length);
    const leaks = answers
      // The stylesheet is Swagger UI's own file, served as it ships.
      .filter(({ cell, answer }) => !(cell.startsWith('GET /docs/{asset}') && answer.status === 200))
      .flatMap(({ cell, answer }) => {
        const leak = leakIn(answer.text);
        return leak ? [`${cell} (${answer.status}): ${leak}`] : [];
      });
    expect(leaks).toEqual([]);
  });

  describe("one platform never reaches another platform's declarations (BOLA)", () => {
    it('left the declaration every refused caller aimed at exactly as it was', async () => {
      const after = await view(fx.view);
      expect(after).toEqual(viewBefore);
    });

    it("exports to an officer the declaration's whole record, the same as its view with every risk reason", async () => {
      const exported = await call('GET', `/v1/declarations/${fx.view}/record`, 'officer');
      const seen = (await call('GET', `/v1/declarations/${fx.view}`, 'officer')).body;
      expect(exported.status).toBe(200);
      expect(exported.body).toMatchObject({
        id: fx.view,
        declaration: seen.declaration,
        history: seen.history,
        holds: seen.holds,
        payments: seen.payments,
        refunds: [],
        decision: null,
      });
      expect(Array.isArray(exported.body.ledgerEntries)).toBe(true);
      const hits = (exported.body.risk as { hits: { reason: string; score: number }[] }).hits;
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits)
        expect(hit).toEqual(
          expect.objectContaining({ reason: expect.any(String), score: expect.any(Number) }),
        );
    });

    const pages = async (caller: Caller) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await call('GET', `/v1/declarations?${query}`, caller);
        expect(page.status).toBe(200);
        ids.push(...(page.body.items as { id: string; platformId: string }[]).map((item) => item.id));
        cursor = page.body.cursor as string | null;
      } while (cursor);
      return ids;
    };

    it("lists to B none of A's declarations, and to A all of its own and none of B's", async () => {
      const aIds = [fx.view, fx.payA, fx.cancelA, fx.returnA, fx.decide];
      const listB = await pages('platformB');
      const listA = await pages('platformA');
      expect(listB).toContain(fx.ownB);
      expect(listB.filter((id) => aIds.includes(id))).toEqual([]);
      expect(listA).toEqual(expect.arrayContaining(aIds));
      expect(listA).not.toContain(fx.ownB);
    });

    it("refuses B a cursor taken from A's list", async () => {
      const page = await call('GET', '/v1/declarations?limit=1', 'platformA');
      const cursor = String(page.body.cursor);
      const borrowed = await call(
        'GET',
        `/v1/declarations?limit=1&cursor=${encodeURIComponent(cursor)}`,
        'platformB',
      );
      expect(borrowed.status).toBe(400);
      expect(borrowed.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    });

    it("answers B 404 on every action aimed at A's declaration, as for an id that does not exist", async () => {
      const unknown = 'dcl_00000000000000000000000000';
      for (const id of [fx.view, unknown]) {
        const answers = await Promise.all([
          call('GET', `/v1/declarations/${id}`, 'platformB'),
          call('POST', `/v1/declarations/${id}/cancel`, 'platformB', {}),
          call('POST', `/v1/declarations/${id}/payments`, 'platformB', {
            amount: '1.00',
            currency: 'EUR',
            reference: 'BOLA',
          }),
          call('POST', `/v1/declarations/${id}/returns`, 'platformB', { reason: 'BOLA', reference: 'BOLA' }),
        ]);
        expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404]);
        // The same words for a foreign id as for a missing one: nothing tells B the id exists.
        for (const answer of answers) expect(String(answer.body.detail)).not.toContain(SUBJECT.platformA);
      }
    });

    it("delivers to each platform's webhook only its own declarations' events", async () => {
      const aIds = new Set([
        fx.view,
        fx.liftFood,
        fx.payA,
        fx.payOfficer,
        fx.cancelA,
        fx.holdOfficer,
        fx.holdFood,
        fx.holdOther,
        fx.liftOfficer,
        fx.decide,
        fx.returnA,
      ]);
      const parsed = () =>
        deliveries.map((delivery) => ({
          path: delivery.path,
          event: JSON.parse(delivery.body) as { data: { declarationId: string; platformId: string } },
        }));
      await eventually(
        async () => parsed(),
        (all) =>
          all.some((entry) => entry.path === '/b' && entry.event.data.declarationId === fx.ownB) &&
          all.some((entry) => entry.path === '/a'),
        60_000,
      );
      const toB = parsed().filter((entry) => entry.path === '/b');
      const toA = parsed().filter((entry) => entry.path === '/a');
      expect(
        toB.filter(
          (entry) =>
            aIds.has(entry.event.data.declarationId) || entry.event.data.platformId !== SUBJECT.platformB,
        ),
      ).toEqual([]);
      expect(toA.filter((entry) => entry.event.data.platformId !== SUBJECT.platformA)).toEqual([]);
      const shownToB = await call('GET', '/v1/webhooks', 'platformB');
      expect(shownToB.body.url).toBe(`${hookBase}/b`);
    });

    it("gives B no statement of A's account", async () => {
      const statement = await call(
        'GET',
        `/v1/revenue/statements?account=${SUBJECT.platformA}&month=${month}`,
        'platformB',
      );
      const own = await call(
        'GET',
        `/v1/revenue/statements?account=${SUBJECT.platformB}&month=${month}`,
        'platformB',
      );
      expect(statement.status).toBe(404);
      expect(own.status).toBe(200);
    });
  });

  describe('an agency sees only what is routed to it', () => {
    it("lists to another agency none of the food agency's holds, and refuses it the food agency's list", async () => {
      const own = await call('GET', '/v1/holds?state=ALL', 'otherAgency');
      const foreign = await call('GET', `/v1/holds?agency=${SUBJECT.foodAgency}`, 'otherAgency');
      expect(own.status).toBe(200);
      const declarations = (own.body.items as { declarationId: string }[]).map((item) => item.declarationId);
      expect(declarations).not.toContain(fx.view);
      expect(declarations).not.toContain(fx.liftFood);
      expect(foreign.status).toBe(403);
    });
  });

  describe('admin changes are audited', () => {
    interface AuditEntry {
      actor: { subject: string; role: string };
      action: string;
      kind: string;
      key: string;
    }

    const auditOf = async (kind: string, key: string) => {
      const answer = await call(
        'GET',
        `/v1/admin/audit?kind=${kind}&key=${encodeURIComponent(key)}`,
        'admin',
      );
      expect(answer.status).toBe(200);
      return answer.body.items as AuditEntry[];
    };

    it.each([
      ['TARIFF', ADMIN_KEYS.tariff.put],
      ['FX', ADMIN_KEYS.fx.put],
      ['TRUSTED', `SELLER:${ADMIN_KEYS.trader.put}`],
      ['TAXREG', ADMIN_KEYS.taxreg.put],
      ['REFPRICE', ADMIN_KEYS.price.put],
      ['PROFILE', ADMIN_KEYS.profile.put],
    ])('records the one admin PUT of %s %s, and nothing for the refused callers', async (kind, key) => {
      const entries = await auditOf(kind, key);
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'PUT',
          kind,
          key,
          actor: { subject: SUBJECT.admin, role: 'admin' },
        }),
      ]);
    });

    it.each([
      ['TARIFF', ADMIN_KEYS.tariff.del],
      ['TRUSTED', `SELLER:${ADMIN_KEYS.trader.del}`],
      ['TAXREG', ADMIN_KEYS.taxreg.del],
      ['REFPRICE', ADMIN_KEYS.price.del],
      ['PROFILE', ADMIN_KEYS.profile.del],
    ])('records the admin DELETE of %s %s after its PUT', async (kind, key) => {
      const entries = await auditOf(kind, key);
      expect(entries.map((entry) => `${entry.action} by ${entry.actor.role}:${entry.actor.subject}`)).toEqual(
        [`DELETE by admin:${SUBJECT.admin}`, `PUT by admin:${SUBJECT.admin}`],
      );
    });
  });
});
