import type { Browser, Page } from 'playwright-core';
import { FakeMt5Server } from '../../packages/api/src/platform/mt5/fake-server';
import { baseUrl, brandIdBySlug, eventually, launch, seriousA11yViolations, signInToAdmin } from '../support/browser';

/**
 * Connecting a brand to its MT5 server from the platforms page, against the fake MT5 Web API
 * server of the adapter tests (HTTPS with a certificate made at test time; there is no live MT5
 * server here). The API process checks the credentials against it before saving.
 */
jest.setTimeout(120_000);

const PASSWORD = 'Mgr#E2E-secret-1';
let browser: Browser;
let fake: FakeMt5Server;
beforeAll(async () => {
  browser = await launch();
  fake = await FakeMt5Server.start({ password: PASSWORD });
});
afterAll(async () => {
  await browser?.close();
  await fake?.stop();
});

async function fill(page: Page, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    await page.getByRole('dialog').getByLabel(label, { exact: false }).first().fill(value);
  }
}

test('an admin connects an MT5 server: mistakes are shown on their fields, wrong credentials save nothing', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await signInToAdmin(page);
  const brandId = await brandIdBySlug(page, 'atlas');
  await page.goto(`${baseUrl()}/admin/brands/${brandId}/platforms`);
  await page.getByTestId('connect-mt5').click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('Web API address').waitFor();

  await fill(page, {
    Name: 'Atlas MT5 Live',
    'Web API address': fake.url.replace('https', 'http'),
    'Manager login': 'manager',
  });
  await modal.getByLabel('Manager password').fill(PASSWORD);
  await modal.getByRole('button', { name: 'Check and connect' }).click();
  await modal.getByText('Must be an https:// address').waitFor();
  await modal.getByText('The manager login is a number').waitFor();

  await fill(page, { 'Web API address': fake.url, 'Manager login': fake.managerLogin, 'CA certificate': fake.ca });
  await modal.getByLabel('Manager password').fill('not-the-password');
  await modal.getByRole('button', { name: 'Check and connect' }).click();
  await modal
    .getByRole('alert')
    .getByText(/refused the manager login/)
    .waitFor();
  expect(await page.getByTestId('platforms-table').getByText('Atlas MT5 Live').count()).toBe(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await modal.getByLabel('Manager password').fill(PASSWORD);
  await modal.getByRole('button', { name: 'Check and connect' }).click();
  await modal.waitFor({ state: 'detached' });
  const row = page.getByTestId('platforms-table').getByRole('row', { name: /Atlas MT5 Live/ });
  await eventually(async () => {
    expect(await row.getByText('Connected').count()).toBe(1);
  }, 15_000);
  // The fake server saw the adapter authenticate and poll.
  expect(fake.commands()).toContain('test/access');
  await context.close();
});
