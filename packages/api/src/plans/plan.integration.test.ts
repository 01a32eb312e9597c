import { nextMessages, startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';
import { PLAN_PRESETS } from './presets';

const PLAN_FIELDS = `id position status name phaseOrderRevision
  published { id number status phases { id name kind rules { dailyLoss { pct } maxLoss { pct mode } } } }
  draft { id number status phases { id name kind } }
  current { id number phases { id name kind } }`;
const CATALOGUE = `query($brandId: ID!) { planCatalogue(brandId: $brandId) { revision plans { ${PLAN_FIELDS} } } }`;
const FROM_PRESET = `mutation($brandId: ID!, $presetId: String!) { createPlanFromPreset(brandId: $brandId, presetId: $presetId) { ${PLAN_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishPlan(id: $id) { ${PLAN_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: PlanInput!) { updatePlan(id: $id, input: $input) { ${PLAN_FIELDS} } }`;
const REORDER =
  'mutation($brandId: ID!, $planIds: [ID!]!, $revision: Int!) { reorderPlans(brandId: $brandId, planIds: $planIds, revision: $revision) { revision planIds } }';
const REORDER_PHASES =
  'mutation($planId: ID!, $phaseIds: [ID!]!, $revision: Int!) { reorderPhases(planId: $planId, phaseIds: $phaseIds, revision: $revision) { revision phaseIds versionId } }';

type PlanView = {
  id: string;
  status: string;
  name: string;
  phaseOrderRevision: number;
  published: {
    id: string;
    number: number;
    phases: { id: string; name: string; kind: string; rules: { dailyLoss: { pct: string } | null } }[];
  } | null;
  draft: { id: string; number: number; phases: { id: string }[] } | null;
  current: { id: string; phases: { id: string; name: string; kind: string }[] };
};

let t: TestApi;
let token: string;
let atlas: string;
let sahara: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  const rows = await t.sql<{ id: string; slug: string }>('SELECT id, slug FROM brand');
  atlas = rows.find((r) => r.slug === 'atlas')!.id;
  sahara = rows.find((r) => r.slug === 'sahara')!.id;
});
afterAll(() => t.stop());

const catalogue = async (brandId: string) =>
  (await t.gql<{ planCatalogue: { revision: number; plans: PlanView[] } }>(CATALOGUE, { brandId }, token)).data!
    .planCatalogue;

/** The editable content of a plan version as PlanInput, read back through the API. */
async function planInput(planId: string) {
  const result = await t.gql<{ plan: { current: Record<string, unknown> } }>(
    `query($id: ID!) { plan(id: $id) { current {
      names { locale text } descriptions { locale text } kind platform riskGroupId
      sizes { id balance price currency overrides { phaseId field amount } }
      phases { id name kind advance warningThresholds
        funded { profitSplit { upTo pct } payout { firstAfterDays everyDays minAmount } }
        rules { dayReset { timeZone localTime } breachComparison
          dailyLoss { pct amount reference of action } maxLoss { pct amount mode lockAt }
          maxLossPerTrade { pct amount action } profitTarget { pct requireFlat measure }
          minTradingDays maxTradingDays maxDays maxInactiveDays tradingDay
          consistency { maxBestDayPct denominator comparison basis } minProfitableDays { count minPctOfInitial } passAt } } } } }`,
    { id: planId },
    token,
  );
  return structuredClone(result.data!.plan.current) as {
    phases: {
      kind: string;
      rules: Record<string, unknown>;
      funded: { profitSplit: { upTo: string | null; pct: string }[] } | null;
    }[];
    sizes: { currency: string }[];
  } & Record<string, unknown>;
}

describe('the seeded catalogue', () => {
  it('has several published plans built from presets, in order', async () => {
    const { plans } = await catalogue(atlas);
    expect(plans.length).toBeGreaterThanOrEqual(3);
    expect(plans.every((p) => p.status === 'PUBLISHED')).toBe(true);
    expect(plans.map((p) => p.id)).toEqual((await catalogue(atlas)).plans.map((p) => p.id));
  });

  it('every preset is a valid plan', async () => {
    for (const preset of PLAN_PRESETS) {
      const result = await t.gql<{ createPlanFromPreset: PlanView }>(
        FROM_PRESET,
        { brandId: sahara, presetId: preset.id },
        token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.createPlanFromPreset.status).toBe('DRAFT');
    }
  });
});

describe('versions', () => {
  it('an edit of a published plan is a draft customers do not see until it is published; old versions keep their rules', async () => {
    const created = (
      await t.gql<{ createPlanFromPreset: PlanView }>(FROM_PRESET, { brandId: atlas, presetId: 'ftmo-2-step' }, token)
    ).data!.createPlanFromPreset;
    const v1 = (await t.gql<{ publishPlan: PlanView }>(PUBLISH, { id: created.id }, token)).data!.publishPlan;
    expect(v1.published?.number).toBe(1);

    const input = await planInput(created.id);
    (input.phases[0]!.rules.dailyLoss as { pct: string }).pct = '4';
    const edited = (await t.gql<{ updatePlan: PlanView }>(UPDATE, { id: created.id, input }, token)).data!.updatePlan;
    expect(edited.draft?.number).toBe(2);
    expect(edited.published?.phases[0]?.rules.dailyLoss?.pct).toBe('5');

    const portal = await t.gql<{ publicCatalogue: { plans: { versionId: string }[] } }>(
      'query { publicCatalogue(brandSlug: "atlas", locale: "en") { plans { versionId } } }',
    );
    expect(portal.data!.publicCatalogue.plans.map((p) => p.versionId)).toContain(v1.published!.id);

    const diff = await t.gql<{ planVersionDiff: { path: string; before: string; after: string }[] }>(
      'query($a: ID!, $b: ID!) { planVersionDiff(fromVersionId: $a, toVersionId: $b) { path before after } }',
      { a: v1.published!.id, b: edited.draft!.id },
      token,
    );
    expect(diff.data!.planVersionDiff).toEqual([
      { path: 'phase "Challenge".rules.dailyLoss.pct', before: '5', after: '4' },
    ]);

    const v2 = (await t.gql<{ publishPlan: PlanView }>(PUBLISH, { id: created.id }, token)).data!.publishPlan;
    expect(v2.published?.number).toBe(2);
    const stored = await t.sql<{ number: number; status: string; pct: string }>(
      "SELECT number, status, content->'phases'->0->'rules'->'dailyLoss'->>'pct' AS pct FROM plan_version WHERE plan_id = $1 ORDER BY number",
      [created.id],
    );
    expect(stored).toEqual([
      { number: 1, status: 'RETIRED', pct: '5' },
      { number: 2, status: 'PUBLISHED', pct: '4' },
    ]);
  });
});

describe('validation: every invalid configuration is refused at its field and nothing is saved', () => {
  type Input = Awaited<ReturnType<typeof planInput>>;
  const rules = (i: Input, phase = 0) => i.phases[phase]!.rules as Record<string, Record<string, unknown> | unknown>;
  const cases: [string, (i: Input) => void, string[]][] = [
    [
      'a percentage out of range',
      (i) => ((rules(i).dailyLoss as Record<string, unknown>).pct = '120'),
      ['input', 'phases', '0', 'rules', 'dailyLoss', 'pct'],
    ],
    [
      'a daily loss not below the max loss',
      (i) => ((rules(i).dailyLoss as Record<string, unknown>).pct = '12'),
      ['input', 'phases', '0', 'rules', 'dailyLoss', 'pct'],
    ],
    [
      'a zero profit target',
      (i) => ((rules(i).profitTarget as Record<string, unknown>).pct = '0'),
      ['input', 'phases', '0', 'rules', 'profitTarget', 'pct'],
    ],
    [
      'min trading days above max',
      (i) => Object.assign(rules(i), { minTradingDays: 10, maxTradingDays: 5 }),
      ['input', 'phases', '0', 'rules', 'minTradingDays'],
    ],
    [
      'a consistency percent of 0',
      (i) =>
        (rules(i).consistency = { maxBestDayPct: '0', denominator: 'NET_PROFIT', comparison: 'AT_MOST', basis: 'DAY' }),
      ['input', 'phases', '0', 'rules', 'consistency', 'maxBestDayPct'],
    ],
    [
      'a consistency percent above 100',
      (i) =>
        (rules(i).consistency = {
          maxBestDayPct: '101',
          denominator: 'NET_PROFIT',
          comparison: 'AT_MOST',
          basis: 'DAY',
        }),
      ['input', 'phases', '0', 'rules', 'consistency', 'maxBestDayPct'],
    ],
    [
      'lockAt on a static max loss',
      (i) => ((rules(i).maxLoss as Record<string, unknown>).lockAt = '100.00'),
      ['input', 'phases', '0', 'rules', 'maxLoss', 'lockAt'],
    ],
    ['a funded phase that is not last', (i) => i.phases.reverse(), ['input', 'phases', '0', 'kind']],
    [
      'two funded phases',
      (i) => {
        i.phases[1]!.kind = 'FUNDED';
        rules(i, 1).profitTarget = null;
        i.phases[1]!.funded = i.phases[2]!.funded;
      },
      ['input', 'phases', '2', 'kind'],
    ],
    [
      'split tiers not ascending',
      (i) =>
        (i.phases[2]!.funded!.profitSplit = [
          { upTo: '5000', pct: '100' },
          { upTo: '1000', pct: '90' },
          { upTo: null, pct: '80' },
        ]),
      ['input', 'phases', '2', 'funded', 'profitSplit', '1', 'upTo'],
    ],
    [
      'a split above 100 %',
      (i) => (i.phases[2]!.funded!.profitSplit = [{ upTo: null, pct: '120' }]),
      ['input', 'phases', '2', 'funded', 'profitSplit', '0', 'pct'],
    ],
    [
      'an unknown time zone',
      (i) => ((rules(i).dayReset as Record<string, unknown>).timeZone = 'Europe/Atlantis'),
      ['input', 'phases', '0', 'rules', 'dayReset', 'timeZone'],
    ],
    ['an unknown currency', (i) => (i.sizes[0]!.currency = 'XYZ'), ['input', 'sizes', '0', 'currency']],
  ];

  it.each(cases)('%s', async (_what, breakIt, path) => {
    const planId = (await catalogue(atlas)).plans[0]!.id;
    const before = await t.sql('SELECT id, status, content FROM plan_version ORDER BY id');
    const input = await planInput(planId);
    breakIt(input);
    const result = await t.gql(UPDATE, { id: planId, input }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.fields?.map((f) => f.path)).toContainEqual(path);
    expect(await t.sql('SELECT id, status, content FROM plan_version ORDER BY id')).toEqual(before);
  });
});

describe('ordering', () => {
  it('reorders the catalogue; a stale revision is a CONFLICT; the order stands', async () => {
    const before = await catalogue(sahara);
    const reversed = [...before.plans].reverse().map((p) => p.id);
    const ok = await t.gql<{ reorderPlans: { revision: number } }>(
      REORDER,
      { brandId: sahara, planIds: reversed, revision: before.revision },
      token,
    );
    expect(ok.data!.reorderPlans.revision).toBe(before.revision + 1);
    const stale = await t.gql(
      REORDER,
      { brandId: sahara, planIds: before.plans.map((p) => p.id), revision: before.revision },
      token,
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await catalogue(sahara)).plans.map((p) => p.id)).toEqual(reversed);
  });

  it('many concurrent reorders from the same view: exactly one wins and its order is the result, never a mix', async () => {
    const before = await catalogue(atlas);
    const ids = before.plans.map((p) => p.id);
    const orders = Array.from({ length: 12 }, (_, k) =>
      [...ids.slice(k % ids.length), ...ids.slice(0, k % ids.length)].reverse(),
    );
    const results = await Promise.all(
      orders.map((planIds) => t.gql(REORDER, { brandId: atlas, planIds, revision: before.revision }, token)),
    );
    const winners = results.map((r, i) => (r.errors ? null : i)).filter((i) => i !== null) as number[];
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.errors).every((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toBe(true);
    expect((await catalogue(atlas)).plans.map((p) => p.id)).toEqual(orders[winners[0]!]);
  });

  it('chained concurrent reorders, each from the latest revision, end in one submitted order', async () => {
    const submitted: string[][] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        for (let attempt = 0; attempt < 30; attempt++) {
          const now = await catalogue(atlas);
          const ids = now.plans.map((p) => p.id);
          const order = [...ids.slice(k % ids.length), ...ids.slice(0, k % ids.length)];
          const result = await t.gql(REORDER, { brandId: atlas, planIds: order, revision: now.revision }, token);
          if (!result.errors) return void submitted.push(order);
        }
      }),
    );
    const final = (await catalogue(atlas)).plans.map((p) => p.id);
    expect(submitted.map((o) => o.join())).toContain(final.join());
    const positions = await t.sql<{ position: number }>(
      'SELECT position FROM plan WHERE brand_id = $1 AND NOT archived ORDER BY position',
      [atlas],
    );
    expect(positions.map((p) => p.position)).toEqual(final.map((_, i) => i));
  });

  it('reordering the phases of a published plan makes a new draft version; the funded phase must stay last', async () => {
    const plan = (await catalogue(sahara)).plans.find(
      (p) => p.status === 'PUBLISHED' && p.current.phases.length === 3,
    )!;
    const [a, b, funded] = plan.current.phases.map((p) => p.id) as [string, string, string];
    const moved = await t.gql<{ reorderPhases: { revision: number; versionId: string } }>(
      REORDER_PHASES,
      { planId: plan.id, phaseIds: [b, a, funded], revision: plan.phaseOrderRevision },
      token,
    );
    expect(moved.errors).toBeUndefined();
    const after = (
      await t.gql<{ plan: PlanView }>(`query($id: ID!) { plan(id: $id) { ${PLAN_FIELDS} } }`, { id: plan.id }, token)
    ).data!.plan;
    expect(after.draft?.phases.map((p) => p.id)).toEqual([b, a, funded]);
    expect(after.published?.phases.map((p) => p.id)).toEqual([a, b, funded]);
    expect(moved.data!.reorderPhases.versionId).toBe(after.draft!.id);

    const stale = await t.gql(
      REORDER_PHASES,
      { planId: plan.id, phaseIds: [a, b, funded], revision: plan.phaseOrderRevision },
      token,
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const fundedFirst = await t.gql(
      REORDER_PHASES,
      { planId: plan.id, phaseIds: [funded, a, b], revision: after.phaseOrderRevision },
      token,
    );
    expect(fundedFirst.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pushes the new order to a second console and a public catalogue change to the portal', async () => {
    const staffFeed = nextMessages<{ planOrderChanged: { planIds: string[] } }>(
      t.ws(token),
      'subscription($brandId: ID!) { planOrderChanged(brandId: $brandId) { revision planIds } }',
      { brandId: sahara },
      1,
    );
    const portalFeed = nextMessages<{ publicCatalogueChanged: string }>(
      t.ws(),
      'subscription { publicCatalogueChanged(brandSlug: "sahara") }',
      {},
      1,
    );
    await new Promise((r) => setTimeout(r, 200));
    const now = await catalogue(sahara);
    const order = [...now.plans.map((p) => p.id)].reverse();
    await t.gql(REORDER, { brandId: sahara, planIds: order, revision: now.revision }, token);
    expect((await staffFeed.done)[0]?.data?.planOrderChanged.planIds).toEqual(order);
    expect((await portalFeed.done)[0]?.data?.publicCatalogueChanged).toBe('sahara');
    const portal = await t.gql<{ publicCatalogue: { plans: { planId: string }[] } }>(
      'query { publicCatalogue(brandSlug: "sahara", locale: "es") { plans { planId } } }',
    );
    const published = new Set((await catalogue(sahara)).plans.filter((p) => p.status === 'PUBLISHED').map((p) => p.id));
    expect(portal.data!.publicCatalogue.plans.map((p) => p.planId)).toEqual(order.filter((id) => published.has(id)));
  });

  it('refuses a reorder of another brand, and a staff subscription to it, as NOT_FOUND', async () => {
    const atlasOnly = await staffWith(t, 'atlas-admin@brokerdeck.test', [{ brandId: atlas, role: 'ADMIN' }]);
    const theirs = await catalogue(sahara);
    const result = await t.gql(
      REORDER,
      { brandId: sahara, planIds: theirs.plans.map((p) => p.id), revision: theirs.revision },
      atlasOnly,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const phases = await t.gql(REORDER_PHASES, { planId: theirs.plans[0]!.id, phaseIds: [], revision: 0 }, atlasOnly);
    expect(phases.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await catalogue(sahara)).revision).toBe(theirs.revision);
    const feed = nextMessages(
      t.ws(atlasOnly),
      'subscription($b: ID!) { planOrderChanged(brandId: $b) { revision } }',
      { b: sahara },
      1,
    );
    await expect(feed.done).rejects.toBeDefined();
  });

  it('lets READ_ONLY staff read the catalogue but not reorder it (FORBIDDEN)', async () => {
    const reader = await staffWith(t, 'reader@brokerdeck.test', [{ brandId: atlas, role: 'READ_ONLY' }]);
    const now = (
      await t.gql<{ planCatalogue: { revision: number; plans: { id: string }[] } }>(
        CATALOGUE,
        { brandId: atlas },
        reader,
      )
    ).data!.planCatalogue;
    const result = await t.gql(
      REORDER,
      { brandId: atlas, planIds: now.plans.map((p) => p.id), revision: now.revision },
      reader,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
