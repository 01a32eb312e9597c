import type { Browser, Page } from 'playwright-core';
import {
  baseUrl,
  brandIdBySlug,
  eventually,
  graphql,
  launch,
  OWNER,
  reportEquity,
  seriousA11yViolations,
} from '../support/browser';

/**
 * The trader's account dashboard on the portal: the demo trader opens one of their accounts and
 * sees a gauge per loss limit, progress to the target, trading days and the next reset, moving
 * live with the simulator; another trader's account is not found.
 */
jest.setTimeout(120_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signInAsDemoAdmin(page: Page) {
  await page.goto(`${baseUrl()}/admin/login`);
  await page.getByLabel('Email').fill('admin@brokerdeck.test');
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

test('the demo trader follows an account live, and cannot open another trader’s', async () => {
  const admin = await (await browser.newContext()).newPage();
  await signInAsDemoAdmin(admin);
  const atlasId = await brandIdBySlug(admin, 'atlas');
  let others: { id: string; traderEmail: string; status: string }[] = [];
  await eventually(async () => {
    const { challengeAccounts } = await graphql<{
      challengeAccounts: { id: string; traderEmail: string; status: string }[];
    }>(admin, 'query ($b: ID!) { challengeAccounts(brandId: $b) { id traderEmail status } }', { b: atlasId });
    expect(challengeAccounts.map((a) => a.traderEmail)).toContain('trader@atlas.test');
    others = challengeAccounts.filter((a) => a.traderEmail !== 'trader@atlas.test');
  }, 60_000);

  const page = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
  await page.goto(`${baseUrl()}/sign-in?brand=atlas`);
  const form = page.getByTestId('sign-in-page');
  await form.waitFor();
  await form.locator('input[type="email"]').fill('trader@atlas.test');
  await form.locator('input[type="password"]').fill('brokerdeck-demo');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('my-accounts').waitFor();

  // The trading account of the demo trader, if one still trades; else the first.
  const rows = page.getByTestId('account-row');
  const statuses = await rows
    .getByTestId('account-status')
    .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-status')));
  const index = Math.max(
    0,
    statuses.findIndex((s) => s === 'ACTIVE' || s === 'FUNDED'),
  );
  await rows.nth(index).getByTestId('account-open').click();
  const dashboard = page.getByTestId('account-dashboard');
  await dashboard.waitFor();
  const status = await dashboard.getAttribute('data-status');
  expect(await page.getByTestId('dashboard-balance').textContent()).toMatch(/\d/);
  expect(await page.getByTestId('dashboard-days').textContent()).toMatch(/\d/);
  // Each loss limit of the plan shows how much of it is used and the money left before its floor.
  const daily = page.getByTestId('dashboard-gauge-daily');
  const max = page.getByTestId('dashboard-gauge-max');
  expect(Number(await daily.getAttribute('data-used'))).not.toBeNaN();
  expect(Number(await max.getAttribute('data-used'))).not.toBeNaN();
  expect(await daily.textContent()).toMatch(/\d/);
  if (status === 'ACTIVE' || status === 'FUNDED') {
    expect(await page.getByTestId('dashboard-reset').textContent()).toMatch(/\d/);
    // The page follows the account live. A flat account's equity stands still (and FX closes at
    // weekends), so the bridge reports a new equity for it, as a platform would, a second after the
    // platform's clock; the dashboard shows it without a reload.
    const accountId = new URL(page.url()).pathname.split('/').pop()!;
    const shown = page.getByTestId('dashboard-equity');
    const before = await shown.textContent();
    await reportEquity(admin, atlasId, accountId);
    // The report (or, on an account that trades, the simulator's next figure after it) arrives live.
    await eventually(async () => expect(await shown.textContent()).not.toBe(before), 15_000);
  }
  if (status === 'BREACHED' || status === 'PASSED') {
    // An ended phase says why, in the trader's words and language, from the API.
    const explanation = page.getByTestId('dashboard-explanation');
    expect(await explanation.getAttribute('data-kind')).toBe(status === 'BREACHED' ? 'BREACH' : 'PASS');
    expect(await explanation.textContent()).toMatch(/\d/);
  } else {
    expect(await page.getByTestId('dashboard-explanation').count()).toBe(0);
  }
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Someone else's account, by its id: not found, and nothing of it shown.
  expect(others.length).toBeGreaterThan(0);
  await page.goto(`${baseUrl()}/accounts/${others[0]!.id}?brand=atlas`);
  await page.getByTestId('dashboard-not-found').waitFor();
  expect(await page.getByTestId('account-dashboard').count()).toBe(0);
});
