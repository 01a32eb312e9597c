import fs from 'node:fs';
import path from 'node:path';
import { SimulatedPlatform } from '../platform/simulator/simulator';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';

/**
 * The challenge lifecycle through the real pipeline: an account issued through the bridge,
 * platform events ingested, the engine applying the journal, the outbox carrying the consequences.
 */
let t: TestApi;
let token: string;
let platformId: string;
let brandId: string;
let planId: string;
let sizeId: string;
let sim: SimulatedPlatform;
/** Sahara's platform, whose clock stands still just after one day reset (for the replay test). */
const sahara = { platformId: '', brandId: '', planId: '', sizeId: '' };

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  const [row] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = row!.id;
  brandId = row!.brand_id;
  // A simulator that is not driven: it opens accounts and obeys commands; the test sends the events.
  sim = new SimulatedPlatform({ seed: 7, start: '2030-01-01T00:00:00Z' });
  t.api.platformRegistry.register(platformId, sim);
  const [plan] = await t.sql<{ plan_id: string; size_id: string }>(
    `SELECT v.plan_id, s->>'id' AS size_id FROM plan_version v, jsonb_array_elements(v.content->'sizes') s
      WHERE v.brand_id = $1 AND v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
        AND s->>'balance' = '100000.00'`,
    [brandId],
  );
  planId = plan!.plan_id;
  sizeId = plan!.size_id;
  const [other] = await t.sql<{ id: string; brand_id: string; plan_id: string; size_id: string }>(
    `SELECT p.id, p.brand_id, v.plan_id, s->>'id' AS size_id
       FROM platform_connection p JOIN brand b ON b.id = p.brand_id
       JOIN plan_version v ON v.brand_id = b.id, jsonb_array_elements(v.content->'sizes') s
      WHERE b.slug = 'sahara' AND v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
        AND s->>'balance' = '100000.00'`,
  );
  Object.assign(sahara, {
    platformId: other!.id,
    brandId: other!.brand_id,
    planId: other!.plan_id,
    sizeId: other!.size_id,
  });
  t.api.platformRegistry.register(sahara.platformId, new SimulatedPlatform({ seed: 8, start: '2025-03-04T08:00:00Z' }));
});
afterAll(() => t.stop());

async function issue(email: string, where = { brandId, planId, sizeId }) {
  const result = await t.gql<{
    issueChallengeAccount: { id: string; login: string; status: string; phaseName: string };
  }>(
    'mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id login status phaseName } }',
    { input: { ...where, traderEmail: email, traderName: 'Test Trader' } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.issueChallengeAccount;
}

async function ingest(events: object[], platform = platformId) {
  const response = await fetch(`${t.url}/ingest/${platform}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { accepted: number; duplicates: unknown[]; rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  await t.api.live.settle();
  return body;
}

const account = async (id: string) =>
  (
    await t.gql<{
      challengeAccount: {
        status: string;
        endedRule: string | null;
        metrics: { balance: string; dailyLoss: { floor: string } };
      };
    }>(
      'query($id: ID!) { challengeAccount(id: $id) { status endedRule metrics { balance equity dailyLoss { floor distance usedPct } } } }',
      { id },
      token,
    )
  ).data!.challengeAccount;

/** A golden scenario's events, addressed to one login. */
function golden(name: string, login: string, prefix: string) {
  const file = path.resolve(__dirname, '../rules/golden', name);
  const scenario = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    events: Record<string, unknown>[];
    expect: Record<string, unknown>;
  };
  return {
    expect: scenario.expect,
    events: scenario.events.map((e, i): Record<string, unknown> => ({ ...e, eventId: `${prefix}-${i}`, login })),
  };
}

describe('a breach, end to end', () => {
  it('breaches at the exact event, disables trading on the platform, and records it exactly once', async () => {
    const issued = await issue('breach@trader.test');
    expect(issued).toMatchObject({ status: 'ACTIVE', phaseName: 'Challenge' });
    const feed = nextMessages<{ challengeStatus: { kind: string; rule: string; floor: string } }>(
      t.ws(token),
      'subscription($id: ID!) { challengeStatus(accountId: $id) { kind rule floor equity } }',
      { id: issued.id },
      1,
    );
    await new Promise((r) => setTimeout(r, 200));
    const scenario = golden('02-dl-breach-one-cent.json', issued.login, 'breach');
    await ingest(scenario.events);

    const after = await account(issued.id);
    expect(after.status).toBe('BREACHED');
    expect(after.endedRule).toBe(scenario.expect.rule);
    expect((await feed.done)[0]?.data?.challengeStatus).toMatchObject({
      kind: 'BREACH',
      rule: 'DAILY_LOSS',
      floor: '95000.00',
    });
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');

    // The same events again (a bridge retry): nothing new is stored, decided or sent.
    const before = await t.sql('SELECT count(*)::int AS n FROM outbox');
    const again = await ingest(scenario.events);
    expect(again.accepted).toBe(0);
    expect(
      await t.sql('SELECT count(*)::int AS n FROM challenge_transition WHERE account_id = $1', [issued.id]),
    ).toEqual([{ n: 1 }]);
    expect(await t.sql('SELECT count(*)::int AS n FROM outbox')).toEqual(before);
    expect(await t.sql('SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL')).toEqual([{ n: 0 }]);
  });
});

describe('a pass, end to end', () => {
  it('passes, stops trading, and opens the next phase with a fresh initial balance', async () => {
    const issued = await issue('pass@trader.test');
    const days = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];
    const events = days.flatMap((day, d) => [
      {
        eventId: `pass-${d}-in`,
        login: issued.login,
        at: `${day}T09:00:00Z`,
        type: 'deal',
        id: `d${d}a`,
        position: `p${d}`,
        entry: 'in',
        symbol: 'EURUSD',
        side: 'buy',
        volume: '1.00',
        price: '1.08500',
        profit: '0.00',
        commission: '0.00',
        swap: '0.00',
        equity: `${100000 + d * 2500}.00`,
      },
      {
        eventId: `pass-${d}-out`,
        login: issued.login,
        at: `${day}T15:00:00Z`,
        type: 'deal',
        id: `d${d}b`,
        position: `p${d}`,
        entry: 'out',
        symbol: 'EURUSD',
        side: 'sell',
        volume: '1.00',
        price: '1.09000',
        profit: '2500.00',
        commission: '0.00',
        swap: '0.00',
      },
    ]);
    await ingest(events);
    const after = await account(issued.id);
    expect(after.status).toBe('PASSED');
    expect(after.metrics.balance).toBe('110000.00');
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');

    const next = await t.sql<{ status: string; phase_name: string; initial_balance: string; login: string }>(
      'SELECT status, phase_name, initial_balance::text, login FROM challenge_account WHERE previous_account_id = $1',
      [issued.id],
    );
    expect(next).toEqual([
      { status: 'ACTIVE', phase_name: 'Verification', initial_balance: '100000.00', login: expect.any(String) },
    ]);
    expect(next[0]!.login).not.toBe(issued.login);
  });
});

describe('staff review of a pass', () => {
  it('rejects a pass waiting for review with a reason: the account closes and the decision is audited', async () => {
    const issued = await issue('review@trader.test');
    // As the engine leaves a pass whose phase advances by MANUAL_REVIEW.
    await t.sql("UPDATE challenge_account SET status = 'PASSED', review = 'PENDING_REVIEW' WHERE id = $1", [issued.id]);
    const noReason = await t.gql(
      'mutation($id: ID!) { rejectPass(accountId: $id, reason: " ") { status } }',
      { id: issued.id },
      token,
    );
    expect(noReason.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rejected = await t.gql<{ rejectPass: { status: string; review: string; endedRule: string } }>(
      'mutation($id: ID!) { rejectPass(accountId: $id, reason: "Copy trading across accounts") { status review endedRule } }',
      { id: issued.id },
      token,
    );
    expect(rejected.data!.rejectPass).toEqual({
      status: 'CLOSED',
      review: 'REJECTED',
      endedRule: 'REVIEW_REJECTED: Copy trading across accounts',
    });
    const trail = await t.sql<{ operation: string; actor_label: string; reason: string }>(
      `SELECT operation, actor_label, changes->'reason'->>1 AS reason FROM audit_entry WHERE target_id = $1 ORDER BY id`,
      [issued.id],
    );
    expect(trail).toEqual([
      { operation: 'issueChallengeAccount', actor_label: 'owner@brokerdeck.test', reason: null },
      { operation: 'rejectPass', actor_label: 'owner@brokerdeck.test', reason: 'Copy trading across accounts' },
    ]);
    const again = await t.gql(
      'mutation($id: ID!) { approvePass(accountId: $id) { status } }',
      { id: issued.id },
      token,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('near-breach alerts', () => {
  it('raises each warning threshold once per limit per day, again on a new day', async () => {
    const issued = await issue('warn@trader.test');
    const equity = (n: number, at: string, value: string) => ({
      eventId: `warn-${n}`,
      login: issued.login,
      at,
      type: 'equity',
      equity: value,
    });
    const open = {
      eventId: 'warn-open',
      login: issued.login,
      at: '2025-03-03T08:00:00Z',
      type: 'deal',
      id: 'w1',
      position: 'wp1',
      entry: 'in',
      symbol: 'EURUSD',
      side: 'buy',
      volume: '1.00',
      price: '1.08500',
      profit: '0.00',
      commission: '0.00',
      swap: '0.00',
      equity: '100000.00',
    };
    await ingest([
      open,
      equity(1, '2025-03-03T09:00:00Z', '97500.00'), // 50 % of the 5,000 daily room used
      equity(2, '2025-03-03T09:10:00Z', '97400.00'), // still 50 %: nothing new
      equity(3, '2025-03-03T09:20:00Z', '96000.00'), // 80 %
      equity(4, '2025-03-04T09:00:00Z', '97400.00'), // a new day (B(d) 100,000): 52 % again
    ]);
    const warnings = await t.sql<{ rule: string; threshold: number; day: string }>(
      `SELECT payload->>'rule' AS rule, (payload->>'threshold')::int AS threshold, payload->>'day' AS day FROM outbox
        WHERE topic = 'challenge.warning' AND payload->>'accountId' = $1 ORDER BY id`,
      [issued.id],
    );
    expect(warnings).toEqual([
      { rule: 'DAILY_LOSS', threshold: 50, day: '2025-03-02T23:00:00Z' },
      { rule: 'DAILY_LOSS', threshold: 80, day: '2025-03-02T23:00:00Z' },
      { rule: 'DAILY_LOSS', threshold: 50, day: '2025-03-03T23:00:00Z' },
    ]);
  });
});

describe('the engine is rebuilt from the journal', () => {
  it('a snapshot thrown away is rebuilt to the same state by replaying the journal', async () => {
    const issued = await issue('replay@trader.test', {
      brandId: sahara.brandId,
      planId: sahara.planId,
      sizeId: sahara.sizeId,
    });
    const scenario = golden('01-dl-dip-recover-active.json', issued.login, 'replay');
    // Bridges send no clock events: the scheduler writes the day reset into the journal by itself,
    // on the platform's own clock (Sahara's simulator stands at 2025-03-04T08:00Z). Sahara's plans
    // reset at midnight in Dubai, the brand's zone: 20:00Z.
    await ingest(
      scenario.events.filter((e) => e.type !== 'clock'),
      sahara.platformId,
    );
    for (let i = 0; i < 50; i++) {
      const clocks = await t.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM platform_event e JOIN challenge_account c ON c.platform_account_id = e.account_id WHERE c.id = $1 AND e.type = 'clock'",
        [issued.id],
      );
      if (clocks[0]!.n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await t.api.live.settle();
    expect(
      await t.sql(
        "SELECT e.event_id, e.at FROM platform_event e JOIN challenge_account c ON c.platform_account_id = e.account_id WHERE c.id = $1 AND e.type = 'clock'",
        [issued.id],
      ),
    ).toEqual([{ event_id: `clock:${issued.id}:2025-03-03T20:00:00.000Z`, at: new Date('2025-03-03T20:00:00Z') }]);
    const [original] = await t.sql<{ engine_state: unknown; metrics: unknown }>(
      'SELECT engine_state, metrics FROM challenge_account WHERE id = $1',
      [issued.id],
    );
    await t.sql('UPDATE challenge_account SET engine_state = NULL, applied_seq = 0 WHERE id = $1', [issued.id]);
    const [platformAccount] = await t.sql<{ platform_account_id: string }>(
      'SELECT platform_account_id FROM challenge_account WHERE id = $1',
      [issued.id],
    );
    t.api.live.wake([platformAccount!.platform_account_id]);
    await t.api.live.settle();
    const [rebuilt] = await t.sql<{ engine_state: unknown; metrics: unknown }>(
      'SELECT engine_state, metrics FROM challenge_account WHERE id = $1',
      [issued.id],
    );
    expect(rebuilt).toEqual(original);
    expect((await account(issued.id)).metrics.dailyLoss.floor).toBe('94200.00');
  });
});
