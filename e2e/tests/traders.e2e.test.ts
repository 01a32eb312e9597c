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
 * A trader on a brand's portal: sign up on sahara, confirm the email with the link the outbox
 * carries, sign in again on sahara, and be refused on atlas with the same credentials; the demo
 * trader sees their live challenge accounts.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const TRADER = { name: 'Layla Haddad', email: `layla-${Date.now()}@example.test`, password: 'sahara-trader-pw' };

/** The newest verification link sent to `email`, read from the brand's outbox (outbound_message) as staff. */
async function verificationLink(admin: Page, brandSlug: string, email: string): Promise<string> {
  const brandId = await brandIdBySlug(admin, brandSlug);
  let link = '';
  await eventually(async () => {
    const { outbox } = await graphql<{ outbox: { recipient: string; template: string; body: string }[] }>(
      admin,
      'query ($brandId: ID!) { outbox(brandId: $brandId, limit: 200) { recipient template body } }',
      { brandId },
    );
    const message = outbox.find((m) => m.recipient === email && m.template === 'trader.verify-email');
    const found = message && /https?:\/\/\S+\/verify\/\S+/.exec(message.body)?.[0];
    if (!found) throw new Error(`no verification email to ${email} yet`);
    link = found;
  });
  return link;
}

/** The demo ADMIN of both brands (README "Demo users"; the owner's password, no two-factor): reads the outbox. */
async function signInAsDemoAdmin(page: Page) {
  await page.goto(`${baseUrl()}/admin/login`);
  await page.getByLabel('Email').fill('admin@brokerdeck.test');
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

async function signInOnPortal(page: Page, brandSlug: string, email: string, password: string) {
  await page.goto(`${baseUrl()}/sign-in?brand=${brandSlug}`);
  const form = page.getByTestId('sign-in-page');
  await form.waitFor();
  await form.locator('input[type="email"]').fill(email);
  await form.locator('input[type="password"]').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

describe('traders on their brand portal', () => {
  it('signs up on sahara, verifies the email from the outbox link, and signs in on sahara only', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl()}/?brand=sahara`);
    await page.getByTestId('brand-name').waitFor();
    // Sahara speaks Arabic first: the portal is right to left.
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('sign-in-page').waitFor();
    expect(new URL(page.url()).searchParams.get('brand')).toBe('sahara');
    await page.getByRole('link', { name: /أنشئ حسابًا/ }).click();

    const form = page.getByTestId('sign-up-page');
    await form.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.getByLabel('الاسم الكامل').fill(TRADER.name);
    await form.getByLabel('البريد الإلكتروني').fill(TRADER.email);
    await form.locator('input[type="password"]').fill(TRADER.password);
    await page.getByTestId('sign-up-submit').click();

    // Signed in at once, unverified: the banner asks to confirm the email.
    await page.getByTestId('verify-banner').waitFor();
    expect(await page.getByTestId('trader-name').textContent()).toContain(TRADER.name);
    expect(new URL(page.url()).pathname).toBe('/accounts');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const admin = await (await browser.newContext()).newPage();
    await signInAsDemoAdmin(admin);
    const link = await verificationLink(admin, 'sahara', TRADER.email);
    // The link opens sahara's portal, wherever the portal was served from.
    expect(new URL(link).searchParams.get('brand')).toBe('sahara');
    await page.goto(link);
    await page.getByTestId('verify-done').waitFor();
    await eventually(async () => expect(await page.getByTestId('verify-banner').count()).toBe(0));

    // Sign out, then in again with the same credentials on sahara.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    await signInOnPortal(page, 'sahara', TRADER.email, TRADER.password);
    await page.getByTestId('nav-accounts').waitFor();
    expect(await page.getByTestId('verify-banner').count()).toBe(0);

    // The same email and password on atlas's portal: not a trader there.
    const atlas = await (await browser.newContext()).newPage();
    await signInOnPortal(atlas, 'atlas', TRADER.email, TRADER.password);
    const refused = atlas.getByTestId('sign-in-error');
    await refused.waitFor();
    expect(await refused.getAttribute('data-code')).toBe('UNAUTHENTICATED');
    expect(await refused.textContent()).toContain('Email or password is not correct');
    expect(await atlas.getByTestId('sign-out').count()).toBe(0);
  });

  it('shows the demo trader their accounts with live figures, in their language and zone', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signInAsDemoAdmin(admin);
    const atlasId = await brandIdBySlug(admin, 'atlas');
    // The demo's simulated accounts are attached once its simulator runs.
    await eventually(async () => {
      const { challengeAccounts } = await graphql<{ challengeAccounts: { traderEmail: string }[] }>(
        admin,
        'query ($b: ID!) { challengeAccounts(brandId: $b) { traderEmail } }',
        { b: atlasId },
      );
      expect(challengeAccounts.map((a) => a.traderEmail)).toContain('trader@atlas.test');
    }, 60_000);

    const page = await (await browser.newContext()).newPage();
    await signInOnPortal(page, 'atlas', 'trader@atlas.test', 'brokerdeck-demo');
    const table = page.getByTestId('my-accounts');
    await table.waitFor();
    const row = page.getByTestId('account-row').first();
    const status = await row.getByTestId('account-status').getAttribute('data-status');
    expect(status).toMatch(/^(ACTIVE|FUNDED|PASSED|BREACHED|CLOSED)$/);
    expect(await row.getByTestId('account-balance').textContent()).toMatch(/\d/);
    // While the account trades the page follows it without a reload. A flat account's equity stands
    // still (and FX closes at weekends), so the bridge reports a new equity for it, as a platform would.
    if (status === 'ACTIVE' || status === 'FUNDED') {
      const equity = row.getByTestId('account-equity');
      const before = await equity.textContent();
      await reportEquity(admin, atlasId, (await row.getAttribute('data-account-id'))!);
      // The report (or, on an account that trades, the simulator's next figure after it) arrives live.
      await eventually(async () => expect(await equity.textContent()).not.toBe(before), 15_000);
    }
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The profile: Spanish and New York time, kept by the API and used by the portal at once.
    await page.getByTestId('nav-profile').click();
    await page.getByTestId('profile-page').waitFor();
    await page.getByTestId('profile-locale').selectOption('es');
    await page.getByTestId('profile-time-zone').selectOption('America/New_York');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();
    await eventually(async () => expect(await page.evaluate(() => document.documentElement.lang)).toBe('es'));
    expect(await page.getByText('America/New_York').count()).toBeGreaterThan(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const { traderMe } = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-brokerdeck-app': 'portal' },
        body: JSON.stringify({ query: '{ traderMe { locale timeZone } }' }),
      });
      return (await response.json()).data;
    });
    expect(traderMe).toEqual({ locale: 'es', timeZone: 'America/New_York' });
  });
});
