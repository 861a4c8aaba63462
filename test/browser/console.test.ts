// The console in a real browser: Debian's Chromium against `npm start`'s runtime, signed in with the local
// demo identities. Each test lodges its own declarations (own reference, consignee and platform) over the
// API, then works them in the console the way a user would, and checks the outcome through the API too.
// Every page is checked with axe-core; any Content-Security-Policy violation fails the test that caused it.
import { mkdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_TTL_MS } from '../../shared/adapters/reference-store.js';
import { eventually, type RuntimeProcess, startRuntimeProcess } from '../e2e/runtime-process.js';
import { type Browser, launchBrowser, seriousViolations } from './browser.js';

const fixture = JSON.parse(readFileSync('test/fixtures/declaration.json', 'utf8')) as Record<string, unknown>;
const OFFICER = 'Bearer local:officer:officer-1';
/** Set to a folder (e.g. docs/console) to keep a screenshot of each page checked. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

interface View {
  id: string;
  status: string;
  risk: { lane: string; hits: { profileId: string; reason: string }[] } | null;
  assessment: { taxes: { code: string; amount: string }[] } | null;
  holds: {
    id: string;
    agency?: string;
    liftedAt?: string;
    liftedBy?: string;
    liftedByPerson?: string;
    liftNote?: string;
  }[];
  history: { to: string; by: string; person?: string }[];
}

describe('the console in Chromium', () => {
  let runtime: RuntimeProcess;
  let browser: Browser;
  let page: Page;
  let sequence = 0;
  let policyViolations: string[] = [];
  const run = Date.now().toString(36);

  beforeAll(async () => {
    [runtime, browser] = await Promise.all([startRuntimeProcess(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const newPage = async () => {
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
        policyViolations.push(message.text());
      }
    });
    page.on('pageerror', (error) => policyViolations.push(`page error: ${error.message}`));
    return page;
  };

  afterEach(async () => {
    await page?.close();
    expect(policyViolations).toEqual([]);
    policyViolations = [];
  });

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  /** Lodges a declaration of `platform` with its own reference and consignee. */
  const lodge = async (
    platform: string,
    item: Record<string, unknown> = {},
    overrides: Record<string, unknown> = {},
  ) => {
    sequence += 1;
    const reference = `BR-${run}-${sequence}`;
    const items = fixture.items as Record<string, unknown>[];
    const lodged = await call('POST', '/v1/declarations', `Bearer local:platform:${platform}`, {
      ...fixture,
      reference,
      consignee: {
        name: `Consignee ${reference}`,
        address: {
          line1: `${sequence} Dam`,
          city: 'Amsterdam',
          postcode: `${1000 + sequence} AB`,
          country: 'NL',
        },
      },
      items: [{ ...items[0], ...item }],
      ...overrides,
    });
    expect(lodged.status).toBe(202);
    return { id: String(lodged.body.id), reference };
  };

  const view = async (id: string) =>
    (await call('GET', `/v1/declarations/${id}`, OFFICER)).body as unknown as View;
  const settled = (id: string) =>
    eventually(
      () => view(id),
      (current) => current.status !== 'RECEIVED',
    );

  /** Opens `path`; the console sends a signed-out user to sign-in, which returns to `path` afterwards. */
  const signInAndOpen = async (identity: RegExp, path: string) => {
    await newPage();
    await page.goto(`${runtime.url}${path}`);
    await page.getByRole('heading', { name: 'Sign in to the Clearway console' }).waitFor();
    await page.getByRole('button', { name: identity }).click();
    await page.waitForURL(`${runtime.url}${path}`);
  };

  const expectAccessible = async (name: string) => {
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    }
    expect(await seriousViolations(page), name).toEqual([]);
  };

  it('signs a user in with a demo identity, back to the page asked for, and out again', async () => {
    // Act
    await newPage();
    await page.goto(`${runtime.url}/console/revenue`);
    await page.getByRole('heading', { name: 'Sign in to the Clearway console' }).waitFor();
    await expectAccessible('sign-in');
    await page.getByRole('button', { name: /finance-1/ }).click();

    // Assess
    await page.waitForURL(`${runtime.url}/console/revenue`);
    await page.getByRole('heading', { name: 'Revenue' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Clearway console' }).waitFor();
    await page.goto(`${runtime.url}/console/revenue`);
    await expect.poll(() => page.url()).toContain('/console/sign-in?next=%2Fconsole%2Frevenue');
  });

  it('returns an expired session to sign-in without losing the page', async () => {
    // Prepare: a token the console takes for an officer's but the API refuses (as after expiry)
    await signInAndOpen(/officer-1/, '/console/queue');
    const payload = Buffer.from(
      JSON.stringify({ scope: 'clearway/officer clearway/sub:officer-1', exp: Date.now() / 1000 + 3600 }),
    ).toString('base64url');
    await page.evaluate(`sessionStorage.setItem('clearway.session', 'e30.${payload}.sig')`);

    // Act
    await page.goto(`${runtime.url}/console/holds`);

    // Assess
    await expect.poll(() => page.url()).toContain('/console/sign-in?next=%2Fconsole%2Fholds');
    await page.getByRole('button', { name: /officer-1/ }).click();
    await page.waitForURL(`${runtime.url}/console/holds`);
  });

  it('an officer releases a held declaration from the work queue', async () => {
    // Prepare: the queue is open before the declaration arrives, so it must show up without a reload
    await signInAndOpen(/officer-1/, '/console/queue');
    await page.getByLabel('Platform').fill(`officer-${run}`);
    const { id, reference } = await lodge(`officer-${run}`, { description: 'gift' });
    const held = await settled(id);
    expect(held).toMatchObject({ status: 'HELD', risk: { lane: 'AMBER' } });
    const hit = held.risk?.hits[0];

    // Act: the queue row shows lane, platform and the goods value with its currency
    const queued = page.getByRole('row').filter({ has: page.getByRole('link', { name: reference }) });
    await queued.waitFor({ timeout: 15_000 });
    await expect(queued.textContent()).resolves.toMatch(/AMBER/);
    await expect(queued.textContent()).resolves.toContain('19.98 EUR');
    await page.getByRole('link', { name: reference }).click({ timeout: 15_000 });
    await page.getByRole('heading', { name: new RegExp(`Declaration ${reference}`) }).waitFor();
    await expect.poll(() => page.getByText(hit?.reason ?? '').count()).toBeGreaterThan(0);
    await expectAccessible('declaration');
    await page.getByLabel('Notes').fill('Invoice names cotton T-shirts');
    await page.getByLabel('RELEASE').check();
    await page.getByRole('button', { name: 'Record decision' }).click();

    // Assess
    await page.getByRole('heading', { name: new RegExp(`Declaration ${reference} RELEASED`) }).waitFor();
    const released = await view(id);
    expect(released.status).toBe('RELEASED');
    expect(released.history.at(-1)).toMatchObject({ to: 'RELEASED', by: 'officer-1' });
    await page.getByRole('link', { name: 'Work queue' }).click();
    await page.getByLabel('Platform').fill(`officer-${run}`);
    await expect.poll(() => page.getByRole('link', { name: reference }).count(), { timeout: 15_000 }).toBe(0);
  });

  it('an agency inspector lifts its hold with a note in the single window, named in the history', async () => {
    // Prepare: cheese is routed to the food safety agency
    const { id, reference } = await lodge(`agency-${run}`, {
      description: 'Gouda cheese, aged 12 months',
      hsCode: '040610',
    });
    const held = await settled(id);
    expect(held.holds.some((hold) => hold.agency === 'FOOD_SAFETY')).toBe(true);
    await signInAndOpen(/FOOD_SAFETY/, '/console/holds');

    // Act
    const row = page.getByRole('row').filter({ hasText: reference });
    await row.waitFor({ timeout: 15_000 });
    await expectAccessible('single-window');
    await row.getByLabel('Note').fill('Samples within limits');
    await row.getByRole('button', { name: 'Lift hold' }).click();

    // Assess
    // The single window's list follows the HoldLifted event: the row leaves within seconds.
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: reference }).count(), { timeout: 15_000 })
      .toBe(0);
    const lifted = await view(id);
    expect(lifted.holds.find((hold) => hold.agency === 'FOOD_SAFETY')).toMatchObject({
      liftedBy: 'FOOD_SAFETY',
      liftedByPerson: 'food-inspector-1',
      liftNote: 'Samples within limits',
    });
    // The declaration's history names the inspector who lifted the hold, for the agency
    await page.goto(`${runtime.url}/console/declarations/${id}`);
    const history = page.getByRole('region', { name: 'History' });
    await history
      .getByText(/hold for FOOD_SAFETY lifted by food-inspector-1 \(FOOD_SAFETY\): Samples within limits/)
      .waitFor();
    await expectAccessible('declaration-agency');
  });

  it("finance sees a lodged declaration's VAT in the dashboard and downloads the same view as CSV", async () => {
    // Prepare
    const platform = `finance-${run}`;
    const { id } = await lodge(platform);
    const assessed = await settled(id);
    const vat = assessed.assessment?.taxes.find((tax) => tax.code === 'VAT')?.amount;
    expect(vat).toMatch(/^\d+\.\d{2}$/);
    await signInAndOpen(/finance-1/, '/console/revenue');

    // Act
    await page.getByLabel('Group by').selectOption('platform');
    await page.getByLabel('Then by').selectOption('taxCode');
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: `${platform} / VAT` }) });
    await row.waitFor({ timeout: 30_000 });
    await expectAccessible('revenue');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = readFileSync(String(await (await download).path()), 'utf8');

    // Assess
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe(vat);
    const line = csv.split(/\r?\n/).find((text) => text.includes(platform) && text.includes('VAT'));
    expect(line).toContain(vat);
  });

  it('an officer routes a declaration to an agency from its page, and the agency finds it in its single window', async () => {
    // Prepare: a declaration awaiting payment, nothing held
    const { id, reference } = await lodge(`route-${run}`, {}, { collectionModel: 'CONSUMER_AT_IMPORT' });
    expect(await settled(id)).toMatchObject({ status: 'AWAITING_PAYMENT', holds: [] });
    await signInAndOpen(/officer-1/, `/console/declarations/${id}`);
    await page.getByRole('heading', { name: new RegExp(`Declaration ${reference}`) }).waitFor();

    // Act
    await page.getByLabel('Reason').fill('Plant passport to be checked');
    await page.getByLabel('Agency (empty for a customs hold)').fill('VETERINARY');
    await page.getByRole('button', { name: 'Place hold' }).click();

    // Assess
    await page.getByRole('status').filter({ hasText: 'Hold placed.' }).waitFor();
    const routed = await view(id);
    expect(routed.status).toBe('HELD');
    expect(routed.holds).toEqual([
      expect.objectContaining({
        agency: 'VETERINARY',
        placedBy: 'officer-1',
        reason: 'Plant passport to be checked',
      }),
    ]);
    await page.getByRole('cell', { name: /by officer-1/ }).waitFor();
    await eventually(
      async () =>
        (await call('GET', '/v1/holds', 'Bearer local:agency:VETERINARY')).body.items as {
          declarationId: string;
        }[],
      (items) => items.some((item) => item.declarationId === id),
    );
  });

  it("finance reads an account's monthly statement with what a released declaration owes at import", async () => {
    // Prepare: a declaration charged to the platform's deferment account, released
    const platform = `statement-${run}`;
    const { id } = await lodge(platform, {}, { collectionModel: 'DEFERRED_ACCOUNT' });
    const released = await eventually(
      () => view(id),
      (current) => current.status === 'RELEASED',
    );
    const due = (released.assessment as unknown as { totals: { dueAtImport: string } }).totals.dueAtImport;
    expect(due).toMatch(/^\d+\.\d{2}$/);
    await signInAndOpen(/finance-1/, '/console/statements');

    // Act
    await page.getByLabel('Account').fill(platform);
    await page.getByRole('button', { name: 'Show statement' }).click();

    // Assess: the total's due-at-import cell (after currency and collected at checkout)
    const total = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Total' }) });
    await total.waitFor({ timeout: 15_000 });
    await expect(total.getByRole('cell').nth(0).textContent()).resolves.toBe('EUR');
    await expect(total.getByRole('cell').nth(2).textContent()).resolves.toBe(due);
    await expectAccessible('statement');
  });

  it('charts the release-time percentiles per lane for staff, with the figures beside the chart', async () => {
    // Prepare: a green declaration released at once (the intermediary collects on delivery)
    const { id } = await lodge(`stats-${run}`);
    await eventually(
      () => view(id),
      (current) => current.status === 'RELEASED',
    );
    await signInAndOpen(/officer-1/, '/console/statistics');

    // Act
    const figure = page.getByRole('figure', { name: 'Release time percentiles by lane (seconds)' });
    await figure.waitFor({ timeout: 15_000 });
    await figure.getByText('Figures').click();

    // Assess: a GREEN lane row with p50, p90 and p99 in seconds
    const green = figure.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'GREEN' }) });
    await green.waitFor({ timeout: 15_000 });
    const cells = await green.getByRole('cell').allTextContents();
    expect(cells).toHaveLength(3);
    for (const cell of cells) expect(cell).toMatch(/^\d+\.\d$/);
  });

  it("shows the API's problem in words when the request is refused", async () => {
    // Prepare
    await signInAndOpen(/finance-1/, '/console/revenue');

    // Act: a range that ends before it starts
    await page.getByLabel('From').fill('2026-05-10');
    await page.getByLabel('To').fill('2026-05-01');

    // Assess
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/to.*must not be before from/);
  });

  it('an admin creates a profile, checked as typed, that sends a new declaration to AMBER', async () => {
    // Prepare
    const profileId = `BROWSER-${run.toUpperCase()}`;
    const seller = `Browser Toys ${run}`;
    await signInAndOpen(/admin-1/, '/console/profiles/new');
    await expectAccessible('profile-new');

    // Act: first a pattern the risk engine refuses, then a good one
    await page.getByLabel('Id', { exact: true }).fill(profileId);
    await page.getByLabel('Description').fill('Toys from the browser test seller');
    await page.getByLabel('Pattern (when)').fill('{"seller": {"nickname": ["x"]}}');
    await page.getByRole('alert').filter({ hasText: 'when' }).waitFor();
    await page.getByLabel('Pattern (when)').fill(JSON.stringify({ seller: { name: [seller] } }));
    await page.getByText('The API accepts this profile.').waitFor();
    await page.getByLabel('Reason shown on a hit').fill('Seller under watch');
    // Alone above the AMBER threshold (20), below RED (50).
    await page.getByLabel('Score').fill('30');
    await page.getByLabel('Lane').selectOption('AMBER');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('link', { name: profileId }).waitFor();
    // The risk step reads profiles through a cache of CACHE_TTL_MS: lodge once it has expired.
    await new Promise((resolve) => setTimeout(resolve, CACHE_TTL_MS + 1_000));
    const { id } = await lodge(`admin-${run}`, {}, { seller: { name: seller, country: 'CN' } });

    // Assess
    const assessed = await settled(id);
    expect(assessed.risk).toMatchObject({ lane: 'AMBER', hits: [expect.objectContaining({ profileId })] });
    const audit = await call('GET', '/v1/admin/audit?kind=PROFILE', 'Bearer local:admin:admin-1');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ key: profileId, actor: { subject: 'admin-1', role: 'admin' } }),
    );
  });

  it.each([
    ['officer', /officer-1/, ['/console/queue', '/console/holds', '/console/statistics']],
    ['finance', /finance-1/, ['/console/revenue', '/console/statements', '/console/statistics']],
    [
      'admin',
      /admin-1/,
      ['/console/profiles', '/console/reference', '/console/audit', '/console/statistics'],
    ],
  ] as const)(
    'shows every %s page without a serious accessibility violation',
    async (role, identity, paths) => {
      await signInAndOpen(identity, paths[0]);
      for (const path of paths) {
        await page.goto(`${runtime.url}${path}`);
        await expectAccessible(`${role}-${path.split('/').at(-1)}`);
      }
    },
  );

  it('serves the first load, page and scripts as sent with brotli, in under 300 KB', async () => {
    // The bytes on the wire, compressed as the console function sends them to a browser
    const wire = (path: string) =>
      new Promise<{ bytes: number; text: string; encoding: string | undefined }>((resolve, reject) => {
        get(`${runtime.url}${path}`, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              bytes: body.length,
              text: response.headers['content-encoding'] ? '' : body.toString('utf8'),
              encoding: response.headers['content-encoding'],
            });
          });
        }).on('error', reject);
      });
    const html = await (await fetch(`${runtime.url}/console/`)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1] as string);
    const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map(
      (match) => match[1] as string,
    );

    const sent = await Promise.all([wire('/console/'), ...[...scripts, ...styles].map(wire)]);

    expect(scripts.length).toBeGreaterThan(0);
    expect(sent.slice(1, 1 + scripts.length).every((file) => file.encoding === 'br')).toBe(true);
    const total = sent.reduce((sum, file) => sum + file.bytes, 0);
    expect(total).toBeLessThan(300 * 1024);
  });

  it('shows the public statistics without sign-in', async () => {
    // Act
    await newPage();
    await page.goto(`${runtime.url}/statistics`);

    // Assess
    await page.getByRole('heading', { name: 'Published statistics' }).waitFor();
    await page
      .getByText(/Cells with fewer than 10 consignments, or in which one filer lodged more than 50 %/)
      .waitFor();
    await expectAccessible('public-statistics');
    expect(await page.evaluate("sessionStorage.getItem('clearway.session')")).toBeNull();
  });
});
