import { SimulatedPlatform } from '../platform/simulator/simulator';
import { startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';

/**
 * Staff actions through GraphQL on the real pipeline: each one enters the account's journal as a
 * staff event, the engine applies it, its consequence reaches the platform through the outbox,
 * and it is audited with its reason. Actions that do not apply, wrong roles and other brands are
 * refused with typed errors and change nothing.
 */
let t: TestApi;
let owner: string;
let sim: SimulatedPlatform;
const atlas = { brandId: '', planId: '', sizeId: '', platformId: '' };
const sahara = { brandId: '', planId: '', sizeId: '' };

const ACCOUNT_FIELDS =
  'id status endedRule login initialBalance previousAccountId availableStaffActions metrics { balance equity }';

beforeAll(async () => {
  t = await startTestApi();
  owner = await t.signIn();
  const plans = await t.sql<{ slug: string; brand_id: string; plan_id: string; size_id: string; platform_id: string }>(
    `SELECT b.slug, b.id AS brand_id, v.plan_id, s->>'id' AS size_id, p.id AS platform_id
       FROM brand b JOIN platform_connection p ON p.brand_id = b.id
       JOIN plan_version v ON v.brand_id = b.id, jsonb_array_elements(v.content->'sizes') s
      WHERE v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
        AND s->>'balance' = '100000.00' AND b.slug IN ('atlas', 'sahara')`,
  );
  const a = plans.find((p) => p.slug === 'atlas')!;
  const s = plans.find((p) => p.slug === 'sahara')!;
  Object.assign(atlas, { brandId: a.brand_id, planId: a.plan_id, sizeId: a.size_id, platformId: a.platform_id });
  Object.assign(sahara, { brandId: s.brand_id, planId: s.plan_id, sizeId: s.size_id });
  // Not driven: it opens accounts and obeys commands, its clock stands just after the test's events.
  sim = new SimulatedPlatform({ seed: 11, start: '2025-03-04T12:00:00Z' });
  t.api.platformRegistry.register(atlas.platformId, sim);
  t.api.platformRegistry.register(s.platform_id, new SimulatedPlatform({ seed: 12, start: '2025-03-04T12:00:00Z' }));
});
afterAll(() => t.stop());

type Account = {
  id: string;
  status: string;
  endedRule: string | null;
  login: string;
  initialBalance: string;
  previousAccountId: string | null;
  availableStaffActions: string[];
  metrics: { balance: string; equity: string } | null;
};

async function issue(email: string, where: { brandId: string; planId: string; sizeId: string } = atlas) {
  const result = await t.gql<{ issueChallengeAccount: Account }>(
    `mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { ${ACCOUNT_FIELDS} } }`,
    {
      input: {
        brandId: where.brandId,
        planId: where.planId,
        sizeId: where.sizeId,
        traderEmail: email,
        traderName: 'Staff Test',
      },
    },
    owner,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.issueChallengeAccount;
}

async function ingest(events: object[]) {
  const response = await fetch(`${t.url}/ingest/${atlas.platformId}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  await t.api.live.settle();
}

const deal = (login: string, id: string, at: string, entry: 'in' | 'out', profit: string, extra: object = {}) => ({
  eventId: `${login}-${id}`,
  login,
  at,
  type: 'deal',
  id,
  position: 'p1',
  entry,
  symbol: 'EURUSD',
  side: entry === 'in' ? 'buy' : 'sell',
  volume: '1.00',
  price: '1.08500',
  profit,
  commission: '0.00',
  swap: '0.00',
  ...extra,
});
const equity = (login: string, id: string, at: string, value: string) => ({
  eventId: `${login}-${id}`,
  login,
  at,
  type: 'equity',
  equity: value,
});

/** A daily-loss breach at 09:30 (94,999.99 under 95,000.00); equity recovers and the position closes at −1,000. */
async function breach(account: Account) {
  const { login } = account;
  await ingest([
    deal(login, 'd1', '2025-03-04T08:00:00Z', 'in', '0.00'),
    equity(login, 'e1', '2025-03-04T09:30:00Z', '94999.99'),
    equity(login, 'e2', '2025-03-04T10:00:00Z', '99000.00'),
    deal(login, 'd2', '2025-03-04T11:00:00Z', 'out', '-1000.00'),
  ]);
}

async function read(id: string, token = owner) {
  const result = await t.gql<{ challengeAccount: Account }>(
    `query($id: ID!) { challengeAccount(id: $id) { ${ACCOUNT_FIELDS} } }`,
    { id },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.challengeAccount;
}

const MUTATIONS = {
  extend:
    'mutation($id: ID!, $days: Int!, $reason: String, $actionId: String) { extendChallengeTimeLimit(accountId: $id, days: $days, reason: $reason, actionId: $actionId) { ACCOUNT } }',
  reinstate:
    'mutation($id: ID!, $reason: String!, $actionId: String) { reinstateChallengeAccount(accountId: $id, reason: $reason, actionId: $actionId) { ACCOUNT } }',
  pass: 'mutation($id: ID!, $reason: String, $actionId: String) { passChallengeAccount(accountId: $id, reason: $reason, actionId: $actionId) { ACCOUNT } }',
  fail: 'mutation($id: ID!, $reason: String!, $actionId: String) { failChallengeAccount(accountId: $id, reason: $reason, actionId: $actionId) { ACCOUNT } }',
  close:
    'mutation($id: ID!, $reason: String!, $actionId: String) { closeChallengeAccount(accountId: $id, reason: $reason, actionId: $actionId) { ACCOUNT } }',
  reset:
    'mutation($id: ID!, $reason: String!, $actionId: String) { resetChallengeAccount(accountId: $id, reason: $reason, actionId: $actionId) { ACCOUNT } }',
};
type Kind = keyof typeof MUTATIONS;

async function act(kind: Kind, variables: Record<string, unknown>, token = owner) {
  const result = await t.gql<Record<string, Account>>(
    MUTATIONS[kind].replace('ACCOUNT', ACCOUNT_FIELDS),
    variables,
    token,
  );
  const data = result.data ? Object.values(result.data)[0] : undefined;
  return { account: data ?? null, error: result.errors?.[0] ?? null };
}

const auditOf = (id: string) =>
  t.sql<{ operation: string; actor_label: string; reason: string | null }>(
    `SELECT operation, actor_label, changes->'reason'->>1 AS reason FROM audit_entry WHERE target_id = $1 AND operation <> 'issueChallengeAccount' ORDER BY id`,
    [id],
  );
/** The timeline as the API answers it: who acted and why, for any staff role that may read it. */
const timeline = async (id: string) => {
  const result = await t.gql<{
    challengeTimeline: { kind: string; rule: string | null; reason: string | null; actor: string | null }[];
  }>('query($id: ID!) { challengeTimeline(accountId: $id) { kind rule reason actor } }', { id }, owner);
  expect(result.errors).toBeUndefined();
  return result.data!.challengeTimeline;
};
const staffEvents = (accountId: string) =>
  t.sql<{ event_id: string; action: string }>(
    "SELECT e.event_id, e.payload->>'action' AS action FROM platform_event e JOIN challenge_account c ON c.platform_account_id = e.account_id WHERE c.id = $1 AND e.type = 'staff' ORDER BY e.seq",
    [accountId],
  );

describe('reinstating a breach', () => {
  it('reopens trading with the figures since the breach, audits the reason, and does a repeated action once', async () => {
    const account = await issue('reinstate@trader.test');
    await breach(account);
    const breached = await read(account.id);
    expect(breached).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
    expect(breached.availableStaffActions).toEqual(['REINSTATE', 'CLOSE', 'RESET']);
    expect((await sim.getAccount(account.login)).mode).toBe('DISABLED');

    const variables = { id: account.id, reason: 'Bad price feed at 09:30', actionId: 'reinstate-1' };
    const { account: after, error } = await act('reinstate', variables);
    expect(error).toBeNull();
    expect(after).toMatchObject({
      status: 'ACTIVE',
      endedRule: null,
      metrics: { balance: '99000.00', equity: '99000.00' },
    });
    await t.api.live.settle();
    expect((await sim.getAccount(account.login)).mode).toBe('FULL');

    // The same action again (a double click, a retry): nothing more happens.
    const again = await act('reinstate', variables);
    expect(again.error).toBeNull();
    expect(again.account!.status).toBe('ACTIVE');
    expect(await staffEvents(account.id)).toEqual([{ event_id: 'staff:reinstate-1', action: 'REINSTATE' }]);
    expect(await auditOf(account.id)).toEqual([
      {
        operation: 'reinstateChallengeAccount',
        actor_label: 'owner@brokerdeck.test',
        reason: 'Bad price feed at 09:30',
      },
    ]);
    expect(await timeline(account.id)).toEqual([
      { kind: 'BREACH', rule: 'DAILY_LOSS', reason: null, actor: null },
      { kind: 'REINSTATE', rule: 'DAILY_LOSS', reason: 'Bad price feed at 09:30', actor: 'owner@brokerdeck.test' },
    ]);

    // A later crossing breaches again, from the reinstated figures (the journal is in time order: after the action).
    await ingest([equity(account.login, 'e3', '2025-03-04T12:03:00Z', '94000.00')]);
    expect(await read(account.id)).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
  });

  it('refuses an action that does not apply with CONFLICT and a clear message, changing nothing', async () => {
    const account = await issue('conflict@trader.test');
    const reinstate = await act('reinstate', { id: account.id, reason: 'Nothing to reinstate' });
    expect(reinstate.error?.extensions?.code).toBe('CONFLICT');
    expect(reinstate.error?.message).toBe('Only a breached account can be reinstated');
    const extend = await act('extend', { id: account.id, days: 5 });
    expect(extend.error?.extensions?.code).toBe('CONFLICT');
    expect(extend.error?.message).toBe('This phase has no time limit to extend');
    const noReason = await act('fail', { id: account.id, reason: '  ' });
    expect(noReason.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(noReason.error?.extensions?.fields).toEqual([{ path: ['reason'], message: expect.any(String) }]);
    expect(await staffEvents(account.id)).toEqual([]);
    expect(await auditOf(account.id)).toEqual([]);
    expect((await read(account.id)).status).toBe('ACTIVE');
  });
});

describe('manual decisions', () => {
  it('fails by hand: trading stops and positions close on the platform, with the reason on record', async () => {
    const account = await issue('fail@trader.test');
    await ingest([deal(account.login, 'd1', '2025-03-04T08:00:00Z', 'in', '0.00')]);
    const { account: after, error } = await act('fail', { id: account.id, reason: 'Hedging across accounts' });
    expect(error).toBeNull();
    expect(after).toMatchObject({ status: 'BREACHED', endedRule: 'MANUAL' });
    await t.api.live.settle();
    const commands = await t.sql<{ command: string; mode: string | null }>(
      "SELECT payload->>'command' AS command, payload->>'mode' AS mode FROM outbox WHERE topic = 'platform.command' AND payload->>'login' = $1 ORDER BY id",
      [account.login],
    );
    expect(commands).toEqual([
      { command: 'setTradingMode', mode: 'DISABLED' },
      { command: 'closeAllPositions', mode: null },
    ]);
    expect(await timeline(account.id)).toEqual([
      { kind: 'BREACH', rule: 'MANUAL', reason: 'Hedging across accounts', actor: 'owner@brokerdeck.test' },
    ]);
  });

  it('passes by hand: the phase passes and the next phase opens with a fresh balance', async () => {
    const account = await issue('pass@trader.test');
    const { account: after, error } = await act('pass', {
      id: account.id,
      reason: 'Target reached on a manual review',
    });
    expect(error).toBeNull();
    expect(after!.status).toBe('PASSED');
    await t.api.live.settle();
    const next = await t.sql<{ status: string; phase_name: string; initial_balance: string }>(
      'SELECT status, phase_name, initial_balance::text FROM challenge_account WHERE previous_account_id = $1',
      [account.id],
    );
    expect(next).toEqual([{ status: 'ACTIVE', phase_name: 'Verification', initial_balance: '100000.00' }]);
    expect(await auditOf(account.id)).toEqual([
      {
        operation: 'passChallengeAccount',
        actor_label: 'owner@brokerdeck.test',
        reason: 'Target reached on a manual review',
      },
    ]);
  });

  it('closes an account: trading is disabled and nothing applies after it', async () => {
    const account = await issue('close@trader.test');
    const { account: after } = await act('close', { id: account.id, reason: 'Trader asked to close' });
    expect(after).toMatchObject({ status: 'CLOSED', endedRule: 'CLOSED', availableStaffActions: [] });
    await t.api.live.settle();
    expect((await sim.getAccount(account.login)).mode).toBe('DISABLED');
    const pass = await act('pass', { id: account.id });
    expect(pass.error?.extensions?.code).toBe('CONFLICT');
  });

  it('resets: the old account closes and a new attempt of the same phase starts at the initial balance', async () => {
    const account = await issue('reset@trader.test');
    await breach(account);
    const { account: fresh, error } = await act('reset', { id: account.id, reason: 'Free retry after the outage' });
    expect(error).toBeNull();
    expect(fresh).toMatchObject({ status: 'ACTIVE', initialBalance: '100000.00', previousAccountId: account.id });
    expect(fresh!.login).not.toBe(account.login);
    expect((await read(account.id)).status).toBe('CLOSED');
    expect(await auditOf(account.id)).toEqual([
      {
        operation: 'resetChallengeAccount',
        actor_label: 'owner@brokerdeck.test',
        reason: 'Free retry after the outage',
      },
    ]);
  });
});

describe('who may act', () => {
  it('lets support extend only; other roles are FORBIDDEN and another brand is NOT_FOUND', async () => {
    const account = await issue('roles@trader.test');
    const support = await t.signIn('support@brokerdeck.test', 'test-owner-password');
    const readOnly = await t.signIn('readonly@brokerdeck.test', 'test-owner-password');
    const forbidden = await act('fail', { id: account.id, reason: 'x' }, support);
    expect(forbidden.error?.extensions?.code).toBe('FORBIDDEN');
    expect((await act('close', { id: account.id, reason: 'x' }, readOnly)).error?.extensions?.code).toBe('FORBIDDEN');
    // Support reaches the engine's check (no time limit on this plan) rather than the role check.
    expect((await act('extend', { id: account.id, days: 3 }, support)).error?.extensions?.code).toBe('CONFLICT');

    const other = await issue('other-brand@trader.test', sahara);
    const atlasOnly = await staffWith(t, 'atlas-risk@brokerdeck.test', [
      { brandId: atlas.brandId, role: 'RISK_MANAGER' },
    ]);
    const hidden = await act('fail', { id: other.id, reason: 'not yours' }, atlasOnly);
    expect(hidden.error?.extensions?.code).toBe('NOT_FOUND');
    expect(await staffEvents(other.id)).toEqual([]);
    expect(await auditOf(account.id)).toEqual([]);
    expect(await auditOf(other.id)).toEqual([]);
  });
});

describe('extending the time limit', () => {
  it('extends a phase with a time limit and audits the days', async () => {
    const account = await issue('extend@trader.test');
    // This plan has no time limit; give this account one as a plan with maxDays would.
    await t.sql(`UPDATE challenge_account SET rules = jsonb_set(rules, '{maxDays}', '30') WHERE id = $1`, [account.id]);
    const { account: after, error } = await act('extend', { id: account.id, days: 7, reason: 'Platform outage' });
    expect(error).toBeNull();
    expect(after!.status).toBe('ACTIVE');
    const [state] = await t.sql<{ max_days: number }>(
      "SELECT (engine_state->'limits'->>'maxDays')::int AS max_days FROM challenge_account WHERE id = $1",
      [account.id],
    );
    expect(state!.max_days).toBe(37);
    const [entry] = await t.sql<{ changes: Record<string, unknown> }>(
      "SELECT changes FROM audit_entry WHERE target_id = $1 AND operation = 'extendChallengeTimeLimit'",
      [account.id],
    );
    expect(entry!.changes).toMatchObject({ days: [null, 7], reason: [null, 'Platform outage'] });
  });
});

describe('explanation and payout share', () => {
  it('explains a breach in the reader’s language and zone, and a manual fail with its reason', async () => {
    const account = await issue('explain@trader.test');
    await breach(account);
    const query = `query($id: ID!, $locale: String!, $zone: String) {
      challengeAccount(id: $id) { explanation(locale: $locale, timeZone: $zone) { kind rule title text } } }`;
    const en = await t.gql<{ challengeAccount: { explanation: Record<string, string> } }>(
      query,
      { id: account.id, locale: 'en', zone: 'Europe/London' },
      owner,
    );
    expect(en.data!.challengeAccount.explanation).toEqual({
      kind: 'BREACH',
      rule: 'DAILY_LOSS',
      title: 'Breached: daily loss limit',
      text:
        'Your equity $94,999.99 fell below the daily floor $95,000.00 on Mar 4, 2025, 10:30 AM Prague time (Mar 4, 2025, 9:30 AM your time), ' +
        'set at 12:00 AM Prague time from the balance $100,000.00 minus 5 % of $100,000.00.',
    });
    const ar = await t.gql<{ challengeAccount: { explanation: Record<string, string> } }>(
      query,
      { id: account.id, locale: 'ar' },
      owner,
    );
    expect(ar.data!.challengeAccount.explanation.title).toBe('مخالفة: حد الخسارة اليومية');
  });

  it("shows a funded account's payout share per the plan's split", async () => {
    const account = await issue('funded@trader.test');
    // As the last phase of the plan (Funded, 80 % to the trader) would open it.
    await t.sql("UPDATE challenge_account SET phase_index = 2, status = 'FUNDED' WHERE id = $1", [account.id]);
    await ingest([
      deal(account.login, 'd1', '2025-03-04T08:00:00Z', 'in', '0.00'),
      deal(account.login, 'd2', '2025-03-04T09:00:00Z', 'out', '5000.25'),
    ]);
    const result = await t.gql<{ challengeAccount: { status: string; payoutShare: Record<string, unknown> } }>(
      'query($id: ID!) { challengeAccount(id: $id) { status payoutShare { profit paidBefore trader firm tiers { upTo pct profit trader } } } }',
      { id: account.id },
      owner,
    );
    expect(result.data!.challengeAccount).toEqual({
      status: 'FUNDED',
      payoutShare: {
        profit: '5000.25',
        paidBefore: '0.00',
        trader: '4000.20',
        firm: '1000.05',
        tiers: [{ upTo: null, pct: '80', profit: '5000.25', trader: '4000.20' }],
      },
    });
    const evaluation = await t.gql<{ challengeAccount: { payoutShare: unknown } }>(
      'query($id: ID!) { challengeAccount(id: $id) { payoutShare { trader } } }',
      { id: (await issue('evaluation@trader.test')).id },
      owner,
    );
    expect(evaluation.data!.challengeAccount.payoutShare).toBeNull();
  });
});
