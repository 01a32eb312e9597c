import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { authenticator } from 'otplib';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const baseUrl = () => {
  const url = process.env.BD_E2E_URL;
  if (!url) throw new Error('globalSetup did not start the API');
  return url;
};

/** Debian's Chromium, headless; never a downloaded browser. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const OWNER = { email: 'owner@brokerdeck.test', password: 'brokerdeck-demo' };
/** The demo owner's documented TOTP secret (README "Demo users"): the owner signs in with two factors. */
export const OWNER_TOTP_SECRET = 'BROKERDECKDEMOOWNERTOTPSECRET234';
export const DEMO_PASSWORD = 'brokerdeck-demo';

/** Shared by every test file of the run (each has its own module registry, so a file, not a variable). */
const runFile = (name: string) => path.join(os.tmpdir(), `bd-e2e-${new URL(baseUrl()).port}-${name}.json`);

/**
 * A TOTP code of the owner's secret that the API has not accepted yet: each code works once, so a
 * second sign-in within the same 30-second step waits for the next one.
 */
export async function freshOwnerCode(): Promise<string> {
  const file = runFile('owner-totp-step');
  const last = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as number) : -1;
  let step = Math.floor(Date.now() / 30_000);
  if (step <= last) {
    await new Promise((r) => setTimeout(r, (last + 1) * 30_000 - Date.now() + 200));
    step = Math.floor(Date.now() / 30_000);
  }
  fs.writeFileSync(file, JSON.stringify(step));
  return authenticator.generate(OWNER_TOTP_SECRET);
}

/** Fills the sign-in form; for the owner, the code step that follows (TOTP_REQUIRED) too. */
export async function signInThroughForm(page: Page, user = OWNER) {
  await page.goto(`${baseUrl()}/admin/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (user.email === OWNER.email) {
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill(await freshOwnerCode());
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/**
 * Signs a staff member in to the admin (the owner by default). The owner signs in through the form
 * once per run; later calls reuse that session's cookie, since a TOTP code cannot be used twice.
 */
export async function signInToAdmin(page: Page, user = OWNER) {
  const sessionFile = runFile('owner-session');
  if (user.email === OWNER.email && fs.existsSync(sessionFile)) {
    await page.context().addCookies([JSON.parse(fs.readFileSync(sessionFile, 'utf8'))]);
    await page.goto(`${baseUrl()}/admin/brands`);
    const signedIn = page.getByTestId('current-user');
    await Promise.race([signedIn.waitFor(), page.waitForURL((url) => url.pathname.endsWith('/login'))]);
    if (await signedIn.isVisible()) return;
  }
  await signInThroughForm(page, user);
  if (user.email === OWNER.email) {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'bd_session');
    if (cookie) fs.writeFileSync(sessionFile, JSON.stringify(cookie));
  }
}

/** Serious and critical accessibility violations on the page as it is now. */
export async function seriousA11yViolations(page: Page) {
  // A drawer or dialog still fading in is half transparent: its text would be measured at a
  // contrast nobody reads it at. Check once every running transition and animation has ended.
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Number.POSITIVE_INFINITY),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** A GraphQL request from inside the page: same origin, so it runs as the signed-in staff member. */
export async function graphql<T = Record<string, unknown>>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  );
  if (result.errors) throw new Error(`GraphQL: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** A brand's id by its slug (names may have been changed by another test; slugs are stable). */
export async function brandIdBySlug(page: Page, slug: string): Promise<string> {
  const { brands } = await graphql<{ brands: { id: string; slug: string }[] }>(page, '{ brands { id slug } }');
  const brand = brands.find((b) => b.slug === slug);
  if (!brand) throw new Error(`no brand ${slug}`);
  return brand.id;
}

/**
 * Drags `handle` onto `target` with the mouse the way a person does: press, a small move past
 * dnd-kit's activation distance, then a glide in steps, a pause, and release.
 */
export async function dragWithMouse(page: Page, handle: Locator, target: Locator) {
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('drag handle or target is not visible');
  const x = from.x + from.width / 2;
  const y = from.y + from.height / 2;
  const direction = to.y > from.y ? 1 : -1;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 8 * direction, { steps: 4 });
  await page.mouse.move(x, to.y + to.height / 2 + 6 * direction, { steps: 15 });
  await page.waitForTimeout(200);
  await page.mouse.up();
}

/** Keyboard sorting with dnd-kit: focus the handle, Space to lift, arrows to move, Space to drop. */
export async function dragWithKeyboard(page: Page, handle: Locator, keys: string[]) {
  await handle.focus();
  for (const key of ['Space', ...keys, 'Space']) {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
  }
}

/** The ids of the elements whose test id starts with `prefix`, in page order (`plan-row-<id>` → id). */
export function idsInOrder(page: Page, prefix: string): Promise<string[]> {
  return page
    .locator(`[data-testid^="${prefix}"]`)
    .evaluateAll((els, p) => els.map((el) => (el.getAttribute('data-testid') ?? '').slice(p.length)), prefix);
}

/** Retries an assertion for a few seconds: the UI updates asynchronously. */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Resolves once the page has sent a GraphQL subscription whose text contains `field` over its
 * WebSocket (call before the page loads), plus a moment for the server to register it.
 */
export function subscribed(page: Page, field: string): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      ws.on('framesent', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString();
        if (text.includes('"subscribe"') && text.includes(field)) setTimeout(resolve, 300);
      });
    });
  });
}

/**
 * Waits until `read` returns something other than `before` (a live value moving without a reload)
 * and returns it; fails after `timeoutMs`.
 */
export async function changed(read: () => Promise<string>, before: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await read();
    if (now !== before) return now;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(before)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The number a formatted figure shows: "1,219,650" → 1219650. */
export const figure = (text: string | null) => Number((text ?? '').replace(/[^\d.-]/g, ''));

/**
 * The live demo starts after the API is ready: waits until the brand's demo simulator is connected
 * and its simulated traders have their challenge accounts.
 */
export async function demoRunning(page: Page, brandId: string, accounts = 12, timeoutMs = 60_000) {
  const query = `query ($brandId: ID!) {
    platforms(brandId: $brandId) { id name status }
    challengeAccounts(brandId: $brandId) { id }
  }`;
  await eventually(async () => {
    const data = await graphql<{ platforms: { name: string; status: string }[]; challengeAccounts: unknown[] }>(
      page,
      query,
      { brandId },
    );
    const demo = data.platforms.find((p) => p.name === 'Demo simulator');
    if (demo?.status !== 'CONNECTED' || data.challengeAccounts.length < accounts) {
      throw new Error(`demo not running yet: ${JSON.stringify({ demo, accounts: data.challengeAccounts.length })}`);
    }
  }, timeoutMs);
}

/** The brand's demo simulator platform, with its clock. */
async function demoPlatform(admin: Page, brandId: string): Promise<{ id: string; platformTime: string }> {
  const { platforms } = await graphql<{ platforms: { id: string; name: string; platformTime: string | null }[] }>(
    admin,
    'query ($b: ID!) { platforms(brandId: $b) { id name platformTime } }',
    { b: brandId },
  );
  const platform = platforms.find((p) => p.name === 'Demo simulator')!;
  return { id: platform.id, platformTime: platform.platformTime! };
}

/** Sends events to a platform's ingestion endpoint as its bridge would; all must be accepted. */
async function ingest(platformId: string, events: object[]) {
  const response = await fetch(`${baseUrl()}/ingest/${platformId}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const { accepted } = (await response.json()) as { accepted: number };
  if (accepted !== events.length) throw new Error(`${events.length - accepted} of the events were not accepted`);
}

/**
 * Moves the demo market's quotes of `symbols` by `factor` through the bridge, a second after the
 * platform's clock (the simulated market may be closed: FX at its weekends).
 */
export async function reportQuotes(admin: Page, brandId: string, symbols: string[], factor = 1.005) {
  const platform = await demoPlatform(admin, brandId);
  const { instruments } = await graphql<{
    instruments: { symbol: string; bid: string | null; ask: string | null; digits: number }[];
  }>(admin, 'query ($p: ID!) { instruments(platformId: $p) { symbol bid ask digits } }', { p: platform.id });
  const at = new Date(Date.parse(platform.platformTime) + 1_000).toISOString();
  const quotes = instruments
    .filter((i) => symbols.includes(i.symbol) && i.bid && i.ask)
    .map((i) => ({
      eventId: `e2e-quote-${i.symbol}-${Date.now()}`,
      at,
      type: 'quote',
      symbol: i.symbol,
      bid: (Number(i.bid) * factor).toFixed(i.digits),
      ask: (Number(i.ask) * factor).toFixed(i.digits),
    }));
  if (quotes.length === 0) throw new Error(`no quotes for ${symbols.join(', ')}`);
  await ingest(platform.id, quotes);
}

/** Reports a new equity (current + 12.34) for a demo account through the bridge, a second after the platform's clock. */
export async function reportEquity(admin: Page, brandId: string, accountId: string): Promise<string> {
  const { challengeAccount } = await graphql<{
    challengeAccount: { login: string; initialBalance: string; metrics: { equity: string } | null };
  }>(admin, 'query ($id: ID!) { challengeAccount(id: $id) { login initialBalance metrics { equity } } }', {
    id: accountId,
  });
  const platform = await demoPlatform(admin, brandId);
  // A fresh account has no figures yet: its equity is its initial balance.
  const current = challengeAccount.metrics?.equity ?? challengeAccount.initialBalance;
  const equity = (Number(current) + 12.34).toFixed(2);
  await ingest(platform.id, [
    {
      eventId: `e2e-equity-${accountId}-${Date.now()}`,
      login: challengeAccount.login,
      at: new Date(Date.parse(platform.platformTime) + 1_000).toISOString(),
      type: 'equity',
      equity,
    },
  ]);
  return equity;
}
