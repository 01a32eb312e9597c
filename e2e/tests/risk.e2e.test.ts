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
  reportQuotes,
  seriousA11yViolations,
  subscribed,
} from '../support/browser';

// The live demo may still be starting, and a margin change waits for every platform push.
jest.setTimeout(300_000);

const PASSWORD = 'brokerdeck-demo';
/** README "Demo users": RISK_MANAGER on Atlas (READ_ONLY on Sahara), and MARKETING on both. */
const RISK_MANAGER = 'risk@brokerdeck.test';
const MARKETING = 'marketing@brokerdeck.test';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** Signs a demo staff member in through the form (these logins have no second factor). */
async function signedInAs(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/admin/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  await page.getByTestId('current-user').waitFor();
  return page;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

interface Groups {
  riskGroups: { id: string; name: string; leverage: { FX_MAJOR: number } }[];
}
const GROUPS = 'query ($brandId: ID!) { riskGroups(brandId: $brandId) { id name leverage { FX_MAJOR } } }';
const fxMajors = async (page: Page, brandId: string) =>
  Object.fromEntries(
    (await graphql<Groups>(page, GROUPS, { brandId })).riskGroups.map((g) => [g.name, g.leverage.FX_MAJOR]),
  );

describe('risk', () => {
  it('a risk manager watches exposure live, previews, applies and rolls back 1:10 on FX majors for Atlas', async () => {
    const page = await signedInAs(RISK_MANAGER);
    const atlas = await brandIdBySlug(page, 'atlas');
    await demoRunning(page, atlas);

    // The nav entry opens the brand's risk page; exposure comes first and follows the simulator live.
    const listening = subscribed(page, 'exposureChanged');
    await nav(page).getByRole('link', { name: 'Risk' }).click();
    await page.waitForURL(/\/admin\/brands\/[0-9a-f-]{36}\/risk$/);
    if (!page.url().includes(atlas)) await page.goto(`${baseUrl()}/admin/brands/${atlas}/risk`);
    await page.getByTestId('exposure').waitFor();
    await listening;
    await eventually(async () =>
      expect(await page.getByTestId('exposure-live-state').getAttribute('data-state')).toBe('live'),
    );
    await eventually(
      async () => expect(await page.locator('[data-testid^="exposure-symbol-"]').count()).toBeGreaterThan(0),
      30_000,
    );
    expect(figure(await page.getByTestId('exposure-positions').textContent())).toBeGreaterThan(0);
    await page.getByTestId('exposure-chart').waitFor();
    // Figures move without a reload: new snapshots arrive and the clients' floating P&L changes.
    // The simulated market may be closed (FX at its weekends): the bridge moves the held symbols.
    const asOf = () =>
      page
        .getByTestId('exposure')
        .getAttribute('data-as-of')
        .then((v) => v ?? '');
    const pnl = () =>
      page
        .getByTestId('exposure-floating-pnl')
        .locator('[data-value]')
        .getAttribute('data-value')
        .then((v) => v ?? '');
    const held = (await idsInOrder(page, 'exposure-symbol-')).filter((symbol) => symbol.length > 0);
    const [asOfBefore, pnlBefore] = [await asOf(), await pnl()];
    await reportQuotes(page, atlas, held);
    await changed(asOf, asOfBefore, 20_000);
    await changed(pnl, pnlBefore, 30_000);
    // The chart switches to asset classes; the asset class table is there too.
    await page.getByTestId('exposure-chart-by').getByText('By asset class').click();
    // Whatever the simulated market holds now (FX closes at weekends, so FX majors may be flat):
    // the chart names the same asset classes as the table.
    const classes = /FX majors|FX minors|Metals|Indices|Commodities|Equities|Crypto/g;
    await eventually(async () => {
      const label = (await page.getByTestId('exposure-chart').getAttribute('aria-label')) ?? '';
      const table = (await page.getByTestId('exposure-asset-classes').textContent()) ?? '';
      const charted = label.match(classes) ?? [];
      expect(charted.length).toBeGreaterThan(0);
      for (const name of charted) expect(table).toContain(name);
    });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Change margin requirement: FX majors to 1:10 for every group of Atlas.
    const before = await fxMajors(page, atlas);
    expect(Object.values(before).some((l) => l !== 10)).toBe(true);
    await page.getByTestId('open-margin-change').click();
    const wizard = page.getByTestId('margin-change-wizard');
    await wizard.getByTestId('change-preview').waitFor();
    // Previewing without a class or leverage says which fields are missing.
    await wizard.getByTestId('change-preview').click();
    await wizard.getByText('Choose an asset class').waitFor();
    await wizard.getByTestId('change-asset-class').click();
    await page.getByRole('option', { name: 'FX majors', exact: true }).click();
    await wizard.getByTestId('change-leverage').fill('10');

    // The preview lists the accounts that change (someone in the demo always holds an FX major).
    let accounts = 0;
    await eventually(async () => {
      if (await wizard.getByTestId('change-preview-result').isVisible()) {
        await wizard.getByRole('button', { name: 'Back' }).click();
      }
      await wizard.getByTestId('change-preview').click();
      await wizard.getByTestId('change-preview-result').waitFor();
      accounts = figure(await wizard.getByTestId('preview-accounts').locator('[data-value]').textContent());
      expect(accounts).toBeGreaterThan(0);
    }, 60_000);
    // (brand names may be changed by other tests; slugs are stable)
    expect(await wizard.getByTestId('change-summary-line').textContent()).toMatch(
      /^FX majors at 1:10 for every group of Atlas/,
    );
    const rows = wizard.locator('[data-testid^="preview-row-"]');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toMatch(/→/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Apply after a confirmation; the pushes to the simulator complete live.
    await wizard.getByTestId('change-apply').click();
    await page.getByTestId('confirm-apply-confirm').waitFor();
    expect(await page.getByTestId('confirm-apply').textContent()).toContain(`${accounts} account`);
    await page.getByTestId('confirm-apply-confirm').click();
    const progress = wizard.getByTestId('change-progress').first();
    await progress.waitFor();
    await eventually(async () => expect(await progress.getAttribute('data-finished')).toBe('true'), 60_000);
    expect(await wizard.getByTestId('change-state').first().getAttribute('data-state')).toBe('done');
    const total = figure(await progress.getByTestId('progress-total').locator('[data-value]').textContent());
    expect(total).toBeGreaterThan(0);
    expect(figure(await progress.getByTestId('progress-done').locator('[data-value]').textContent())).toBe(total);
    expect(figure(await progress.getByTestId('progress-failed').locator('[data-value]').textContent())).toBe(0);
    const after = await fxMajors(page, atlas);
    expect(Object.values(after).every((l) => l === 10)).toBe(true);

    // Roll back: one action, confirmed, followed the same way; the groups are as before.
    await wizard.getByTestId('change-rollback').click();
    await page.getByTestId('confirm-rollback-confirm').click();
    const undo = wizard.getByTestId('rollback-progress').getByTestId('change-progress');
    await undo.waitFor();
    await eventually(async () => expect(await undo.getAttribute('data-finished')).toBe('true'), 60_000);
    expect(await wizard.getByTestId('rollback-progress').getByTestId('change-state').getAttribute('data-state')).toBe(
      'done',
    );
    expect(await fxMajors(page, atlas)).toEqual(before);
    expect(await wizard.getByTestId('change-rollback').count()).toBe(0);
    await wizard.getByTestId('change-done').click();

    // The history lists both: the change (rolled back) and its rollback.
    await page.getByTestId('risk-tab-changes').click();
    await page.waitForURL(/tab=changes/);
    const history = page.getByTestId('margin-changes-table');
    await history.waitFor();
    await eventually(async () => {
      expect(await history.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await history.getByTestId('rolled-back').count()).toBeGreaterThanOrEqual(1);
    });

    // Risk groups: the ESMA default group shows 1:30 on FX majors again.
    await page.getByTestId('risk-tab-groups').click();
    await page.getByTestId('risk-groups-table').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('shows the risk pages right to left in Arabic', async () => {
    const page = await signedInAs(RISK_MANAGER);
    const atlas = await brandIdBySlug(page, 'atlas');
    await page.goto(`${baseUrl()}/admin/brands/${atlas}/risk`);
    await page.getByTestId('exposure').waitFor();
    await page.getByTestId('admin-language-menu').click();
    await page.getByRole('menuitem', { name: 'العربية' }).click();
    await eventually(async () => expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl'));
    await page.getByRole('navigation', { name: 'التنقل الرئيسي' }).getByRole('link', { name: 'المخاطر' }).waitFor();
    await page.getByRole('tab', { name: 'مجموعات المخاطر' }).click();
    await page.getByTestId('risk-groups-table').waitFor();
    expect(await page.getByTestId('open-margin-change').textContent()).toBe('تغيير متطلبات الهامش');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('marketing sees no Risk in the navigation and is refused a margin change', async () => {
    const page = await signedInAs(MARKETING);
    const atlas = await brandIdBySlug(page, 'atlas');
    await nav(page).getByRole('link', { name: 'Brands' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Risk' }).count()).toBe(0);

    const result = await page.evaluate(async (brandId) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({
          query: `mutation ($input: MarginChangeInput!) { applyMarginChange(input: $input) { id } }`,
          variables: { input: { brandId, assetClass: 'FX_MAJOR', leverage: 10 } },
        }),
      });
      return response.json();
    }, atlas);
    expect(result.data ?? null).toBeNull();
    expect(result.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
