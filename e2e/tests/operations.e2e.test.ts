import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  baseUrl,
  brandIdBySlug,
  changed,
  demoRunning,
  eventually,
  figure,
  graphql,
  idsInOrder,
  launch,
  reportEquity,
  seriousA11yViolations,
  signInToAdmin,
  subscribed,
} from '../support/browser';

// The live demo may still be starting when the first test runs, and axe takes a while on live pages.
jest.setTimeout(120_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  await signInToAdmin(page);
  return page;
}

interface Platform {
  id: string;
  name: string;
  status: string;
}

async function demoPlatform(page: Page, brandId: string): Promise<Platform> {
  await demoRunning(page, brandId);
  const { platforms } = await graphql<{ platforms: Platform[] }>(
    page,
    'query ($brandId: ID!) { platforms(brandId: $brandId) { id name status } }',
    { brandId },
  );
  const platform = platforms.find((p) => p.name === 'Demo simulator');
  if (!platform) throw new Error('no demo simulator');
  return platform;
}

interface Account {
  id: string;
  login: string;
  status: string;
  metrics: { equity: string } | null;
}

const ACCOUNTS = `query ($brandId: ID!) {
  challengeAccounts(brandId: $brandId) { id login status metrics { equity } }
}`;

async function accounts(page: Page, brandId: string) {
  await demoRunning(page, brandId);
  return (await graphql<{ challengeAccounts: Account[] }>(page, ACCOUNTS, { brandId })).challengeAccounts;
}

/** The bid of every instrument row, by symbol. */
function bids(page: Page): Promise<Record<string, string>> {
  return page
    .locator('[data-testid^="quote-bid-"]')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((el) => [el.getAttribute('data-testid')!.slice('quote-bid-'.length), el.textContent ?? '']),
      ),
    );
}

describe('platforms', () => {
  it('lists the demo simulator as connected, moves its quotes live and counts what it ingests', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    const platform = await demoPlatform(page, atlas);

    await page.goto(`${baseUrl()}/admin/platforms`);
    await page.waitForURL(/\/admin\/brands\/[0-9a-f-]{36}\/platforms$/);
    await page.goto(`${baseUrl()}/admin/brands/${atlas}/platforms`);
    const row = page.getByTestId(`platform-row-${platform.id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Demo simulator');
    const status = row.getByTestId(`platform-status-${platform.id}`);
    expect(await status.getAttribute('data-status')).toBe('CONNECTED');
    expect(await status.textContent()).toBe('Connected');

    // Instruments: the bids change without a reload, through the platformQuotes subscription.
    const listening = subscribed(page, 'platformQuotes');
    await row.getByRole('link', { name: 'Demo simulator' }).click();
    await page.waitForURL(new RegExp(`/admin/platforms/${platform.id}\\?brand=${atlas}$`));
    await page.getByTestId('instrument-row-EURUSD').waitFor();
    await listening;
    await eventually(async () =>
      expect(await page.getByTestId('quotes-live-state').getAttribute('data-state')).toBe('live'),
    );
    const before = await bids(page);
    expect(Object.keys(before)).toContain('EURUSD');
    expect(Number(before.EURUSD)).toBeGreaterThan(0);
    const moved = await changed(async () => JSON.stringify(await bids(page)), JSON.stringify(before), 20_000);
    const after = JSON.parse(moved) as Record<string, string>;
    expect(Object.keys(after).some((symbol) => after[symbol] !== before[symbol] && Number(after[symbol]) > 0)).toBe(
      true,
    );

    // Ingestion monitor: the simulator's events are accepted and counted, refreshed every 2 s.
    await page.getByRole('tab', { name: 'Ingestion monitor' }).click();
    const monitor = page.getByTestId('ingestion-monitor');
    await monitor.waitFor();
    const accepted = async () => monitor.getByTestId('ingestion-accepted').locator('[data-value]').textContent();
    expect(figure(await accepted())).toBeGreaterThan(0);
    await changed(async () => (await accepted()) ?? '', (await accepted()) ?? '', 10_000);
    expect(page.url()).toContain('tab=ingestion');
  });
});

describe('challenge accounts', () => {
  it('lists the demo accounts with a live feed, and an account page follows its figures live', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    const feedListens = subscribed(page, 'challengeEvents');
    await page.goto(`${baseUrl()}/admin/brands/${atlas}/accounts`);
    await page.locator('[data-testid^="account-row-"]').first().waitFor();
    const listed = await accounts(page, atlas);
    expect(listed.length).toBeGreaterThanOrEqual(12);
    expect(await page.locator('[data-testid^="account-row-"]').count()).toBeGreaterThanOrEqual(
      Math.min(listed.length, 10),
    );
    await page.getByTestId('live-feed').waitFor();
    await feedListens;
    await eventually(async () =>
      expect(await page.getByTestId('feed-live-state').getAttribute('data-state')).toBe('live'),
    );

    // The status filter goes to the API and into the address.
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'Active', exact: true }).click();
    await page.waitForURL(/status=ACTIVE/);
    await eventually(async () => {
      const statuses = await page
        .locator('[data-testid^="account-row-"] [data-testid="account-status"]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['ACTIVE']));
    });

    // An active account's page shows the chart and follows its figures live. The simulated market
    // may be quiet (FX closes at weekends, a trader may be flat), so the bridge reports a new equity.
    const listedLogins = await idsInOrder(page, 'account-row-');
    const account = (await accounts(page, atlas)).find(
      (a) => a.status === 'ACTIVE' && a.metrics && listedLogins.includes(a.login),
    )!;
    // One report before the page opens, so that the chart has a point whichever account this is.
    await reportEquity(page, atlas, account.id);
    const metricsListen = subscribed(page, 'accountMetrics');
    await page.locator(`[data-testid="account-row-${account.login}"]`).getByTestId('account-link').click();
    await page.waitForURL(new RegExp(`/admin/accounts/${account.id}$`));
    await metricsListen;
    const chart = page.getByTestId('equity-chart');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.getByTestId('gauge-maxLoss').textContent()).toMatch(/\$[\d,.]+ (left before|below) the floor/);
    const equity = page.getByTestId('figure-equity');
    const first = (await equity.textContent()) ?? '';
    expect(first).toMatch(/^\$[\d,]+\.\d\d$/);
    await reportEquity(page, atlas, account.id);
    await changed(async () => (await equity.textContent()) ?? '', first, 15_000);
    expect(await page.getByTestId('account-live-state').getAttribute('data-state')).toBe('live');
  });

  it('issues an account from the dialog', async () => {
    const page = await signedInPage();
    const sahara = await brandIdBySlug(page, 'sahara');
    await page.goto(`${baseUrl()}/admin/brands/${sahara}/accounts`);
    await page.locator('[data-testid^="account-row-"]').first().waitFor();
    await page.getByRole('button', { name: 'Issue account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Trader email').fill(`e2e-${Date.now()}@example.com`);
    await dialog.getByLabel('Trader name').fill('Issued In E2E');
    await dialog.getByRole('combobox', { name: /^Plan/ }).click();
    await page.getByRole('option').first().click();
    await dialog.getByRole('combobox', { name: /^Account size/ }).click();
    await page.getByRole('option').first().click();
    await dialog.getByRole('button', { name: 'Issue account' }).click();
    await page.waitForURL(/\/admin\/accounts\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Issued In E2E' }).waitFor();
    expect(await page.getByTestId('account-status').getAttribute('data-status')).toBe('ACTIVE');
  });
});

describe('audit trail', () => {
  it('shows a brand name change with its old and new value, and exports CSV', async () => {
    const page = await signedInPage();
    const sahara = await brandIdBySlug(page, 'sahara');
    await page.goto(`${baseUrl()}/admin/brands/${sahara}`);
    const name = page.getByLabel('Name', { exact: true });
    await name.waitFor();
    const oldName = await name.inputValue();
    const newName = `Sahara Audited ${Date.now() % 100_000}`;
    await name.fill(newName);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Brand saved').first().waitFor();

    try {
      await page.goto(`${baseUrl()}/admin/brands/${sahara}/audit`);
      const row = page.locator('[data-testid^="audit-row-"]', { hasText: 'updateBrand' }).first();
      await row.waitFor();
      await row.getByRole('button', { name: 'View the changes of updateBrand' }).click();
      const diff = page.getByTestId('audit-diff');
      await diff.waitFor();
      const nameChange = diff.getByTestId('diff-name');
      expect(await nameChange.getByTestId('diff-before').textContent()).toBe(oldName);
      expect(await nameChange.getByTestId('diff-after').textContent()).toBe(newName);
      expect(await diff.textContent()).toContain('owner@brokerdeck.test');
      await page.keyboard.press('Escape');
      await diff.waitFor({ state: 'detached' });

      // Only brand updates, then the CSV of what is shown.
      await page.getByTestId('filter-operation').click();
      await page.getByRole('option', { name: 'updateBrand', exact: true }).click();
      await page.waitForURL(/operation=updateBrand/);
      await eventually(async () => {
        const operations = await page.locator('[data-testid^="audit-row-"] code').allTextContents();
        expect(operations.length).toBeGreaterThan(0);
        expect(new Set(operations)).toEqual(new Set(['updateBrand']));
      });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      expect(download.suggestedFilename()).toMatch(/^audit-sahara-\d{8}-\d{4}\.csv$/);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toContain('"operation"');
      expect(csv).toContain('"updateBrand"');
      expect(csv).toContain(newName);
      expect(csv).not.toContain('"createPlan"');
    } finally {
      await graphql(
        page,
        'mutation ($id: ID!, $name: String!) { updateBrand(id: $id, input: { name: $name }) { id } }',
        {
          id: sahara,
          name: oldName,
        },
      );
    }
  });
});

describe('accessibility of the operations pages', () => {
  it('has no serious violations on the platforms, accounts and audit pages', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    const platform = await demoPlatform(page, atlas);
    const account = (await accounts(page, atlas)).find((a) => a.metrics) ?? (await accounts(page, atlas))[0]!;
    const pages: [string, string][] = [
      [`/admin/brands/${atlas}/platforms`, `platform-row-${platform.id}`],
      [`/admin/platforms/${platform.id}?brand=${atlas}`, 'instrument-row-EURUSD'],
      [`/admin/platforms/${platform.id}?brand=${atlas}&tab=ingestion`, 'ingestion-monitor'],
      [`/admin/brands/${atlas}/accounts`, 'live-feed'],
      [`/admin/accounts/${account.id}`, 'timeline'],
      [`/admin/brands/${atlas}/audit`, 'audit-table'],
    ];
    const found: Record<string, string[]> = {};
    for (const [path, testId] of pages) {
      await page.goto(`${baseUrl()}${path}`);
      await page.getByTestId(testId).first().waitFor();
      await page.waitForTimeout(300);
      const violations = await seriousA11yViolations(page);
      if (violations.length) found[path] = violations;
    }
    // The open dialogs too: the audit entry's diff and the issue-account form.
    await page.locator('[data-testid^="audit-row-"]').first().getByTestId('audit-view').click();
    await page.getByTestId('audit-diff').waitFor();
    const drawer = await seriousA11yViolations(page);
    if (drawer.length) found['audit drawer'] = drawer;
    await page.goto(`${baseUrl()}/admin/brands/${atlas}/accounts`);
    await page.getByRole('button', { name: 'Issue account' }).click();
    await page.getByRole('dialog').getByLabel('Trader email').waitFor();
    const issue = await seriousA11yViolations(page);
    if (issue.length) found['issue dialog'] = issue;
    expect(found).toEqual({});
  });
});
