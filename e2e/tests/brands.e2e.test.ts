import type { Browser } from 'playwright-core';
import { baseUrl, launch, seriousA11yViolations, signInToAdmin } from '../support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

describe('a brand edited in the admin shows in its portal', () => {
  it('changes name and colour in the admin; an open portal restyles live and a fresh one shows it', async () => {
    const portal = await (await browser.newContext()).newPage();
    await portal.goto(`${baseUrl()}/?brand=atlas`);
    await portal.getByTestId('brand-name').waitFor();
    expect(await portal.getByTestId('brand-name').textContent()).toContain('Atlas Funded');

    const admin = await (await browser.newContext()).newPage();
    await signInToAdmin(admin);
    await admin.goto(`${baseUrl()}/admin/brands`);
    await admin.getByRole('link', { name: 'Atlas Funded' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('Atlas Prime');
    const primary = admin.getByLabel('Primary colour');
    await primary.fill('#8b1e3f');
    await primary.press('Enter');
    // The live preview follows the form before anything is saved.
    await expect_(async () => expect(await admin.getByTestId('portal-preview').textContent()).toContain('Atlas Prime'));
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Brand saved').first().waitFor();

    // The portal that was already open follows through its subscription, without a reload.
    await expect_(async () => expect(await portal.getByTestId('brand-name').textContent()).toContain('Atlas Prime'));
    const header = portal.getByTestId('brand-header');
    await expect_(async () =>
      expect(await header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb('#8b1e3f')),
    );

    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(`${baseUrl()}/?brand=atlas`);
    await fresh.getByTestId('brand-name').waitFor();
    expect(await fresh.getByTestId('brand-name').textContent()).toContain('Atlas Prime');
  });

  it('shows the duplicate-slug error under the Slug field and saves nothing', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signInToAdmin(admin);
    await admin.goto(`${baseUrl()}/admin/brands`);
    await admin.getByRole('link', { name: /Sahara/ }).click();
    const slug = admin.getByLabel('Slug');
    await slug.fill('atlas');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('already used by another brand').waitFor();
    await admin.goto(`${baseUrl()}/?brand=sahara`);
    await admin.getByTestId('brand-name').waitFor();
  });
});

describe('the portal speaks the brand languages', () => {
  it('switches to Arabic and lays the page out right to left', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl()}/?brand=atlas`);
    await page.getByTestId('brand-name').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await page.getByTestId('language-switcher').selectOption('ar');
    await expect_(async () => expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl'));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    // The choice survives a reload.
    await page.reload();
    await page.getByTestId('brand-name').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
  });

  it('opens an Arabic-first brand right to left', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl()}/?brand=sahara`);
    await page.getByTestId('brand-name').waitFor();
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual([
      'rtl',
      'ar',
    ]);
  });

  it('has no serious accessibility violations on the portal and the admin sign-in', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl()}/?brand=atlas`);
    await page.getByTestId('brand-name').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`${baseUrl()}/admin/login`);
    await page.getByLabel('Email').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

/** Retries an assertion for a few seconds: the UI updates asynchronously. */
async function expect_(assertion: () => Promise<void>, timeoutMs = 8000) {
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
