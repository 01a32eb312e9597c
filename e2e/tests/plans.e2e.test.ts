import type { Browser, Locator, Page } from 'playwright-core';
import {
  baseUrl,
  brandIdBySlug,
  dragWithKeyboard,
  dragWithMouse,
  eventually,
  graphql,
  idsInOrder,
  launch,
  seriousA11yViolations,
  signInToAdmin,
  subscribed,
} from '../support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

interface CataloguePlan {
  id: string;
  name: string;
  status: string;
  draft: { id: string } | null;
  published: { id: string } | null;
  versions: { id: string }[];
  current: {
    phases: {
      id: string;
      name: string;
      kind: string;
      rules: { dailyLoss: { pct: string | null } | null; maxLoss: { pct: string | null } | null };
    }[];
  };
}

const CATALOGUE = `query ($brandId: ID!) {
  planCatalogue(brandId: $brandId) {
    revision
    plans {
      id name status draft { id } published { id } versions { id }
      current { phases { id name kind rules { dailyLoss { pct } maxLoss { pct } } } }
    }
  }
}`;

async function catalogue(page: Page, brandId: string) {
  const data = await graphql<{ planCatalogue: { revision: number; plans: CataloguePlan[] } }>(page, CATALOGUE, {
    brandId,
  });
  return data.planCatalogue;
}

async function signedInPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signInToAdmin(page);
  return page;
}

async function openPlans(page: Page, brandId: string) {
  await page.goto(`${baseUrl()}/admin/brands/${brandId}/plans`);
  await page.locator('[data-testid^="plan-row-"]').first().waitFor();
}

async function openPhases(page: Page, planId: string) {
  await page.goto(`${baseUrl()}/admin/plans/${planId}`);
  await page.getByRole('tab', { name: 'Phases and rules' }).click();
  await page.locator('[data-testid^="phase-row-"]').first().waitFor();
}

describe('the plan designer', () => {
  it('creates a plan from a preset in five clicks or fewer', async () => {
    const page = await signedInPage();
    const sahara = await brandIdBySlug(page, 'sahara');
    const before = await catalogue(page, sahara);
    await openPlans(page, sahara);

    let clicks = 0;
    const click = async (target: Locator) => {
      clicks += 1;
      await target.click();
    };
    await click(page.getByRole('button', { name: 'New plan from preset' }));
    await click(page.getByRole('button', { name: /Apex-style intraday/ }));
    await click(page.getByRole('button', { name: 'Create', exact: true }));

    await page.waitForURL(/\/admin\/plans\/[0-9a-f-]{36}$/);
    await page.getByTestId('plan-form').waitFor();
    expect(clicks).toBeLessThanOrEqual(5);
    await page.getByRole('heading', { name: 'Intraday Trailing 1-Step' }).waitFor();

    // A new draft at the end of the brand's catalogue.
    const planId = page.url().split('/').pop()!;
    const after = await catalogue(page, sahara);
    expect(after.plans.map((p) => p.id)).toEqual([...before.plans.map((p) => p.id), planId]);
    expect(after.plans.at(-1)).toMatchObject({ status: 'DRAFT', published: null });
  });

  it('reorders phases with the mouse into a new draft version that stands after a reload', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    const plan = (await catalogue(page, atlas)).plans.find(
      (p) => p.current.phases.length >= 3 && p.current.phases.slice(0, 2).every((ph) => ph.kind !== 'FUNDED'),
    )!;
    const [first, second, ...rest] = plan.current.phases;
    await openPhases(page, plan.id);
    expect(await idsInOrder(page, 'phase-row-')).toEqual(plan.current.phases.map((p) => p.id));

    await dragWithMouse(
      page,
      page.getByRole('button', { name: `Drag ${first!.name}`, exact: true }),
      page.getByTestId(`phase-row-${second!.id}`),
    );
    const expected = [second!.id, first!.id, ...rest.map((p) => p.id)];
    await eventually(async () => expect(await idsInOrder(page, 'phase-row-')).toEqual(expected));
    // On a published plan the new order is a draft, like any other edit.
    await page.getByTestId('plan-draft').waitFor();

    await page.reload();
    await page.getByRole('tab', { name: 'Phases and rules' }).click();
    await page.locator('[data-testid^="phase-row-"]').first().waitFor();
    expect(await idsInOrder(page, 'phase-row-')).toEqual(expected);

    // The draft against the published version: the order is one of the changes.
    await page.getByRole('button', { name: 'Compare with published' }).click();
    await page.getByTestId('version-diff').waitFor();
    expect(await page.getByTestId('version-diff').textContent()).toContain('phase order');
  });

  it('moves a plan with the keyboard; another console and the portal follow live; a reload keeps it', async () => {
    const admin = await signedInPage();
    const other = await signedInPage();
    const portal = await (await browser.newContext()).newPage();
    const atlas = await brandIdBySlug(admin, 'atlas');
    const otherListens = subscribed(other, 'planOrderChanged');
    const portalListens = subscribed(portal, 'publicCatalogueChanged');
    await openPlans(admin, atlas);
    await openPlans(other, atlas);
    await portal.goto(`${baseUrl()}/?brand=atlas`);
    await portal.getByTestId('catalogue').waitFor();
    await Promise.all([otherListens, portalListens]);

    const plans = (await catalogue(admin, atlas)).plans;
    const before = await idsInOrder(admin, 'plan-row-');
    expect(before).toEqual(plans.map((p) => p.id));
    const moving = plans[0]!;
    await dragWithKeyboard(admin, admin.getByRole('button', { name: `Drag ${moving.name}`, exact: true }), [
      'ArrowDown',
    ]);
    const expected = [before[1]!, before[0]!, ...before.slice(2)];
    await eventually(async () => expect(await idsInOrder(admin, 'plan-row-')).toEqual(expected));

    // The second console follows through its subscription, without a reload.
    await eventually(async () => expect(await idsInOrder(other, 'plan-row-')).toEqual(expected));

    // So does the portal's catalogue (published plans only).
    const published = new Set(plans.filter((p) => p.published).map((p) => p.id));
    const portalOrder = () =>
      portal.getByTestId('catalogue-plan').evaluateAll((els) => els.map((el) => el.getAttribute('data-plan-id') ?? ''));
    await eventually(async () => expect(await portalOrder()).toEqual(expected.filter((id) => published.has(id))));
    const names = await portal.getByTestId('catalogue-plan-name').allTextContents();
    expect(names[0]).toBe(plans.find((p) => p.id === expected.find((id) => published.has(id)))!.name);

    await admin.reload();
    await admin.locator('[data-testid^="plan-row-"]').first().waitFor();
    expect(await idsInOrder(admin, 'plan-row-')).toEqual(expected);
  });

  it('rolls a stale reorder back: CONFLICT, a notice, and the fresh order', async () => {
    const page = await signedInPage();
    // This console hears nothing live, so its view of the order goes stale.
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (!String(message).includes('"next"')) ws.send(message);
      });
      ws.onMessage((message) => server.send(message));
    });
    const sahara = await brandIdBySlug(page, 'sahara');
    await openPlans(page, sahara);
    const before = await catalogue(page, sahara);
    const shown = await idsInOrder(page, 'plan-row-');
    expect(shown).toEqual(before.plans.map((p) => p.id));

    // Someone else moves the last plan to the top.
    const fresh = [shown.at(-1)!, ...shown.slice(0, -1)];
    await graphql(
      page,
      'mutation ($b: ID!, $ids: [ID!]!, $r: Int!) { reorderPlans(brandId: $b, planIds: $ids, revision: $r) { revision } }',
      { b: sahara, ids: fresh, r: before.revision },
    );
    expect(await idsInOrder(page, 'plan-row-')).toEqual(shown);

    const moving = before.plans[0]!;
    await dragWithKeyboard(page, page.getByRole('button', { name: `Drag ${moving.name}`, exact: true }), ['ArrowDown']);
    await page.getByText('The order was changed by someone else; reloaded.').waitFor();
    await eventually(async () => expect(await idsInOrder(page, 'plan-row-')).toEqual(fresh));
    expect((await catalogue(page, sahara)).plans.map((p) => p.id)).toEqual(fresh);
  });

  it("shows the API's message at the daily-loss field and saves nothing", async () => {
    const page = await signedInPage();
    const sahara = await brandIdBySlug(page, 'sahara');
    const plan = (await catalogue(page, sahara)).plans.find(
      (p) => !p.draft && p.current.phases[0]?.rules.dailyLoss?.pct && p.current.phases[0]?.rules.maxLoss?.pct === '10',
    )!;
    await openPhases(page, plan.id);

    const dailyLoss = page.getByLabel('Daily loss limit', { exact: true });
    await dailyLoss.fill('12');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await eventually(async () => expect(await dailyLoss.getAttribute('aria-invalid')).toBe('true'));
    const errorId = (await dailyLoss.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain(
      'The daily loss (12%) must be smaller than the maximum loss (10%)',
    );

    const after = (await catalogue(page, sahara)).plans.find((p) => p.id === plan.id)!;
    expect(after.draft).toBeNull();
    expect(after.versions).toHaveLength(plan.versions.length);
    expect(after.current.phases[0]!.rules.dailyLoss!.pct).toBe(plan.current.phases[0]!.rules.dailyLoss!.pct);
  });

  it('previews the rule summaries in each brand language', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    const plan = (await catalogue(page, atlas)).plans.find((p) => p.current.phases[0]?.rules.dailyLoss?.pct)!;
    await page.goto(`${baseUrl()}/admin/plans/${plan.id}`);
    await page.getByRole('tab', { name: 'Rule summary preview' }).click();
    await page.getByTestId('preview-en').waitFor();
    expect(await page.getByTestId('preview-en').textContent()).toContain('Daily loss limit');
    await page.getByRole('tab', { name: 'Spanish' }).click();
    await page.getByTestId('preview-es').waitFor();
    expect(await page.getByTestId('preview-es').textContent()).toContain('Límite de pérdida diaria');
  });

  it('has no serious accessibility violations on the plans page and the editor', async () => {
    const page = await signedInPage();
    const atlas = await brandIdBySlug(page, 'atlas');
    await openPlans(page, atlas);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New plan from preset' }).click();
    await page.getByRole('button', { name: /FTMO-style/ }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    const plan = (await catalogue(page, atlas)).plans[0]!;
    await page.goto(`${baseUrl()}/admin/plans/${plan.id}`);
    await page.getByTestId('plan-form').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    for (const tab of ['Account sizes', 'Phases and rules', 'Rule summary preview', 'Versions']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(300);
      expect({ tab, violations: await seriousA11yViolations(page) }).toEqual({ tab, violations: [] });
    }

    const portal = await (await browser.newContext()).newPage();
    await portal.goto(`${baseUrl()}/?brand=atlas`);
    await portal.getByTestId('catalogue').waitFor();
    expect(await seriousA11yViolations(portal)).toEqual([]);
    await portal.getByTestId('catalogue-plan').first().getByRole('link').click();
    await portal.getByTestId('plan-page').waitFor();
    expect(await seriousA11yViolations(portal)).toEqual([]);
  }, 120_000);
});
