import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  baseUrl,
  brandIdBySlug,
  DEMO_PASSWORD,
  demoRunning,
  eventually,
  graphql,
  launch,
  signInThroughForm,
} from '../support/browser';

// The live demo may still be starting, a breach may take a minute or two, and axe takes a while.
jest.setTimeout(240_000);

const ADMIN = { email: 'admin@brokerdeck.test', password: DEMO_PASSWORD };
const SUPPORT = { email: 'support@brokerdeck.test', password: DEMO_PASSWORD };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function signedInAs(user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await signInThroughForm(page, user);
  return page;
}

interface Gauge {
  usedPct: number | null;
}
interface Account {
  id: string;
  login: string;
  status: string;
  traderName: string;
  availableStaffActions: string[];
  metrics: { dailyLoss: Gauge | null; maxLoss: Gauge | null } | null;
}

const ACCOUNT = `query ($id: ID!) {
  challengeAccount(id: $id) {
    id login status traderName availableStaffActions
    metrics { dailyLoss { usedPct } maxLoss { usedPct } }
  }
}`;

const PLAN_INPUT_FIELDS = `names { locale text } descriptions { locale text } kind platform riskGroupId
  sizes { id balance price currency overrides { phaseId field amount } }
  phases { id name kind advance warningThresholds
    funded { profitSplit { upTo pct } payout { firstAfterDays everyDays minAmount } }
    rules { dayReset { timeZone localTime } breachComparison
      dailyLoss { pct amount reference of action } maxLoss { pct amount mode lockAt }
      maxLossPerTrade { pct amount action } profitTarget { pct requireFlat measure }
      minTradingDays maxTradingDays maxDays maxInactiveDays tradingDay
      consistency { maxBestDayPct denominator comparison basis } minProfitableDays { count minPctOfInitial } passAt } }`;

let timedPlan: { planId: string; sizeId: string } | null = null;

/**
 * The demo's plans have no time limit, so there is nothing to extend on its accounts: a plan with a
 * 30-day limit is made from a preset and published (once per run), and accounts are issued on it.
 */
async function timeLimitedPlan(page: Page, brandId: string) {
  if (timedPlan) return timedPlan;
  const { createPlanFromPreset } = await graphql<{ createPlanFromPreset: { id: string } }>(
    page,
    'mutation ($b: ID!) { createPlanFromPreset(brandId: $b, presetId: "ftmo-2-step") { id } }',
    { b: brandId },
  );
  const planId = createPlanFromPreset.id;
  const { plan } = await graphql<{
    plan: { current: { names: { locale: string; text: string }[]; phases: { rules: Record<string, unknown> }[] } };
  }>(page, `query ($id: ID!) { plan(id: $id) { current { ${PLAN_INPUT_FIELDS} } } }`, { id: planId });
  const input = plan.current;
  input.names = input.names.map((n) => ({ ...n, text: `${n.text} 30 days (E2E)` }));
  input.phases[0]!.rules.maxDays = 30;
  await graphql(page, 'mutation ($id: ID!, $input: PlanInput!) { updatePlan(id: $id, input: $input) { id } }', {
    id: planId,
    input,
  });
  const { publishPlan } = await graphql<{
    publishPlan: { published: { sizes: { id: string; balance: string }[] } };
  }>(page, 'mutation ($id: ID!) { publishPlan(id: $id) { published { sizes { id balance } } } }', { id: planId });
  const size =
    publishPlan.published.sizes.find((s) => Number(s.balance) === 100_000) ?? publishPlan.published.sizes[0]!;
  timedPlan = { planId, sizeId: size.id };
  return timedPlan;
}

/**
 * A fresh active account on the time-limited plan, on the brand's demo platform: nobody trades it,
 * so nothing but the test changes it.
 */
async function issuedAccount(page: Page, brandId: string, name: string): Promise<Account> {
  const { planId, sizeId } = await timeLimitedPlan(page, brandId);
  const { issueChallengeAccount } = await graphql<{ issueChallengeAccount: { id: string } }>(
    page,
    'mutation ($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id } }',
    {
      input: {
        brandId,
        planId,
        sizeId,
        traderEmail: `e2e-staff-${Date.now()}-${Math.floor(Math.random() * 1000)}@example.com`,
        traderName: name,
      },
    },
  );
  const { challengeAccount } = await graphql<{ challengeAccount: Account }>(page, ACCOUNT, {
    id: issueChallengeAccount.id,
  });
  expect(challengeAccount.status).toBe('ACTIVE');
  expect(challengeAccount.availableStaffActions).toEqual(expect.arrayContaining(['EXTEND', 'FAIL', 'CLOSE']));
  return challengeAccount;
}

async function openAccount(page: Page, account: Account) {
  await page.goto(`${baseUrl()}/admin/accounts/${account.id}`);
  await page.getByTestId('timeline').waitFor();
  await page.getByTestId('staff-actions').waitFor();
}

/** Opens an action's dialog, fills it and confirms; returns the dialog (gone once the action is done). */
async function act(page: Page, action: string, fill: { reason?: string; days?: number }): Promise<Locator> {
  await page.getByTestId(`staff-action-${action}`).click();
  const dialog = page.getByTestId(`staff-dialog-${action}`);
  await dialog.waitFor();
  if (fill.days !== undefined) await dialog.getByLabel('Days to add').fill(String(fill.days));
  if (fill.reason !== undefined) await dialog.getByLabel('Reason').fill(fill.reason);
  return dialog;
}

/** Serious and critical accessibility violations, with the elements they are on. */
async function seriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('; ')})`,
    );
}

const timelineItems = (page: Page, entry: string) =>
  page.locator(`[data-testid="timeline-item"][data-entry="${entry}"]`);
const status = (page: Page) => page.getByTestId('account-status').first().getAttribute('data-status');

describe('staff actions on a challenge account', () => {
  it('extends the time limit of an active account once, even on a double click, and the timeline says who and why', async () => {
    const page = await signedInAs(ADMIN);
    const atlas = await brandIdBySlug(page, 'atlas');
    await demoRunning(page, atlas);
    const account = await issuedAccount(page, atlas, 'Staff Extend E2E');
    await openAccount(page, account);
    // An admin sees every action that applies to an active account.
    for (const action of ['EXTEND', 'PASS', 'FAIL', 'CLOSE', 'RESET']) {
      await page.getByTestId(`staff-action-${action}`).waitFor();
    }
    expect(await page.getByTestId('staff-action-REINSTATE').count()).toBe(0);
    const before = await timelineItems(page, 'EXTEND').count();

    const reason = `E2E platform outage ${Date.now() % 100_000}`;
    const dialog = await act(page, 'EXTEND', { days: 3, reason });
    expect(await dialog.getByTestId('staff-consequence').textContent()).toContain(
      'calendar-day and trading-day limits grow by the days below',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Two quick clicks: one action id per opening of the dialog, so the extension happens once.
    await dialog.getByTestId('staff-confirm').dblclick();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`The time limit of ${account.traderName} is extended by 3 days`).first().waitFor();

    const extended = timelineItems(page, 'EXTEND').filter({ hasText: reason });
    await extended.waitFor();
    expect(await extended.count()).toBe(1);
    expect(await timelineItems(page, 'EXTEND').count()).toBe(before + 1);
    expect(await extended.getByTestId('timeline-actor').textContent()).toBe('By admin@brokerdeck.test');
    expect(await extended.getByTestId('timeline-days').textContent()).toBe('3 days added');
    expect(await extended.getByTestId('timeline-reason').textContent()).toBe(`Reason: ${reason}`);
    expect(await extended.locator('[data-testid="timeline-bullet-staff"]').count()).toBe(1);
    expect(await extended.getAttribute('data-source')).toBe('staff');
    expect(await status(page)).toBe('ACTIVE');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('reinstates a breached account with a reason (failing a calm active one by hand first)', async () => {
    const page = await signedInAs(ADMIN);
    const atlas = await brandIdBySlug(page, 'atlas');
    await demoRunning(page, atlas);
    // An account no simulated trader trades: a demo account reinstated may breach again at once
    // as its trader carries on.
    const account = await issuedAccount(page, atlas, 'Staff Reinstate E2E');
    await openAccount(page, account);
    const failReason = `E2E prohibited strategy ${Date.now() % 100_000}`;
    const failDialog = await act(page, 'FAIL', {});
    // The reason is required: the dialog says so and stays open.
    await failDialog.getByTestId('staff-confirm').click();
    await failDialog.getByText('Give a reason').waitFor();
    await failDialog.getByLabel('Reason').fill(failReason);
    expect(await failDialog.getByTestId('staff-consequence').textContent()).toContain('trading is disabled');
    await failDialog.getByTestId('staff-confirm').click();
    await failDialog.waitFor({ state: 'detached' });
    await eventually(async () => expect(await status(page)).toBe('BREACHED'), 15_000);
    const failed = timelineItems(page, 'MANUAL_FAIL').filter({ hasText: failReason });
    await failed.waitFor();
    expect(await failed.getAttribute('data-kind')).toBe('BREACH');
    expect(await failed.textContent()).toContain('Failed by staff');
    expect(await failed.getByTestId('timeline-actor').textContent()).toBe('By admin@brokerdeck.test');
    const { challengeTimeline } = await graphql<{ challengeTimeline: { kind: string; rule: string | null }[] }>(
      page,
      'query ($id: ID!) { challengeTimeline(accountId: $id) { kind rule } }',
      { id: account.id },
    );
    expect(challengeTimeline.at(-1)).toEqual({ kind: 'BREACH', rule: 'MANUAL' });

    const reason = `E2E breach withdrawn after review ${Date.now() % 100_000}`;
    const dialog = await act(page, 'REINSTATE', { reason });
    expect(await dialog.getByTestId('staff-consequence').textContent()).toContain(
      'trading is re-enabled on the platform',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByTestId('staff-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`The account of ${account.traderName} is reinstated`).first().waitFor();
    await eventually(async () => expect(await status(page)).toBe('ACTIVE'), 15_000);
    const reinstated = timelineItems(page, 'REINSTATE').filter({ hasText: reason });
    await reinstated.waitFor();
    expect(await reinstated.textContent()).toContain('Reinstated by staff');
    expect(await reinstated.getByTestId('timeline-reason').textContent()).toBe(`Reason: ${reason}`);
    // The buttons follow the account: an active account is not reinstated again.
    await page.getByTestId('staff-action-FAIL').waitFor();
    expect(await page.getByTestId('staff-action-REINSTATE').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('shows a conflict from the API in the dialog when the action no longer applies', async () => {
    const page = await signedInAs(ADMIN);
    const atlas = await brandIdBySlug(page, 'atlas');
    await demoRunning(page, atlas);
    const account = await issuedAccount(page, atlas, 'Staff Conflict E2E');
    await openAccount(page, account);
    const dialog = await act(page, 'PASS', { reason: 'E2E reviewed' });
    // Someone else fails the account meanwhile (another tab, another member).
    await graphql(
      page,
      'mutation ($id: ID!) { failChallengeAccount(accountId: $id, reason: "E2E elsewhere") { id } }',
      {
        id: account.id,
      },
    );
    await dialog.getByTestId('staff-confirm').click();
    const conflict = dialog.getByTestId('staff-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Only an active account can be passed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Put the account back for the other tests.
    await graphql(
      page,
      'mutation ($id: ID!) { reinstateChallengeAccount(accountId: $id, reason: "E2E undo") { id } }',
      {
        id: account.id,
      },
    );
  });

  it('offers support only the extension', async () => {
    const admin = await signedInAs(ADMIN);
    const atlas = await brandIdBySlug(admin, 'atlas');
    await demoRunning(admin, atlas);
    const account = await issuedAccount(admin, atlas, 'Staff Support E2E');
    const page = await signedInAs(SUPPORT);
    await openAccount(page, account);
    await page.getByTestId('staff-action-EXTEND').waitFor();
    expect(await page.locator('[data-testid^="staff-action-"]').count()).toBe(1);
  });
});
