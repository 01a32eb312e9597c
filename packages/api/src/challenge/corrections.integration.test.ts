import { SimulatedPlatform } from '../platform/simulator/simulator';
import { startTestApi, type TestApi } from '../test/harness';

/**
 * A platform corrects or cancels a deal it already reported: the account is rebuilt from its
 * journal with the corrected deal, its figures are corrected and audited, and when the outcome
 * changes the breach is withdrawn (trading opens again) or raised (trading stops).
 */
let t: TestApi;
let owner: string;
let sim: SimulatedPlatform;
const atlas = { brandId: '', planId: '', sizeId: '', platformId: '' };

beforeAll(async () => {
  t = await startTestApi();
  owner = await t.signIn();
  const [row] = await t.sql<{ brand_id: string; plan_id: string; size_id: string; platform_id: string }>(
    `SELECT b.id AS brand_id, v.plan_id, s->>'id' AS size_id, p.id AS platform_id
       FROM brand b JOIN platform_connection p ON p.brand_id = b.id
       JOIN plan_version v ON v.brand_id = b.id, jsonb_array_elements(v.content->'sizes') s
      WHERE b.slug = 'atlas' AND v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
        AND s->>'balance' = '100000.00'`,
  );
  Object.assign(atlas, {
    brandId: row!.brand_id,
    planId: row!.plan_id,
    sizeId: row!.size_id,
    platformId: row!.platform_id,
  });
  sim = new SimulatedPlatform({ seed: 21, start: '2025-03-04T12:00:00Z' });
  t.api.platformRegistry.register(atlas.platformId, sim);
});
afterAll(() => t.stop());

async function issue(email: string) {
  const result = await t.gql<{ issueChallengeAccount: { id: string; login: string } }>(
    'mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id login } }',
    { input: { ...atlas, platformId: undefined, traderEmail: email, traderName: 'Correction Test' } },
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

/** Opens at 08:00 and closes at 09:00 with `profit`: flat, so equity is the balance. */
const trade = (login: string, profit: string) =>
  (['in', 'out'] as const).map((entry, i) => ({
    eventId: `${login}-d${i + 1}`,
    login,
    at: `2025-03-04T0${8 + i}:00:00Z`,
    type: 'deal',
    id: `d${i + 1}`,
    position: 'p1',
    entry,
    symbol: 'EURUSD',
    side: entry === 'in' ? 'buy' : 'sell',
    volume: '1.00',
    price: '1.08500',
    profit: entry === 'in' ? '0.00' : profit,
    commission: '0.00',
    swap: '0.00',
  }));
const correction = (login: string, profit: string) => ({
  eventId: `${login}-fix`,
  login,
  at: '2025-03-04T11:00:00Z',
  type: 'dealCorrection',
  dealId: 'd2',
  profit,
  commission: '0.00',
  swap: '0.00',
});

const account = async (id: string) =>
  (
    await t.gql<{ challengeAccount: { status: string; endedRule: string | null; metrics: { balance: string } } }>(
      'query($id: ID!) { challengeAccount(id: $id) { status endedRule metrics { balance } } }',
      { id },
      owner,
    )
  ).data!.challengeAccount;
const transitions = (id: string) =>
  t.sql<{ kind: string; rule: string | null }>(
    'SELECT kind, rule FROM challenge_transition WHERE account_id = $1 ORDER BY seq, kind',
    [id],
  );
const audits = (id: string) =>
  t.sql<{ operation: string; actor_kind: string; changes: Record<string, unknown> }>(
    "SELECT operation, actor_kind, changes FROM audit_entry WHERE target_id = $1 AND operation <> 'issueChallengeAccount' ORDER BY id",
    [id],
  );

describe('deal corrections', () => {
  it('withdraws a breach that no longer holds: figures corrected, trading on again, audited', async () => {
    const issued = await issue('withdrawn@trader.test');
    await ingest(trade(issued.login, '-6000.00'));
    expect(await account(issued.id)).toMatchObject({ status: 'BREACHED', endedRule: 'DAILY_LOSS' });
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');

    await ingest([correction(issued.login, '-600.00')]);
    expect(await account(issued.id)).toEqual({ status: 'ACTIVE', endedRule: null, metrics: { balance: '99400.00' } });
    expect((await sim.getAccount(issued.login)).mode).toBe('FULL');
    expect(await transitions(issued.id)).toEqual([
      { kind: 'BREACH', rule: 'DAILY_LOSS' },
      { kind: 'CORRECTION', rule: 'DAILY_LOSS' },
    ]);
    expect(await audits(issued.id)).toEqual([
      {
        operation: 'correctDeal',
        actor_kind: 'SYSTEM',
        changes: {
          dealId: [null, 'd2'],
          balance: ['94000.00', '99400.00'],
          status: ['BREACHED', 'ACTIVE'],
          rule: ['DAILY_LOSS', null],
        },
      },
    ]);
    // Delivered again, the correction changes nothing more.
    const before = await t.sql('SELECT count(*)::int AS n FROM outbox');
    await ingest([correction(issued.login, '-600.00')]);
    expect(await t.sql('SELECT count(*)::int AS n FROM outbox')).toEqual(before);
  });

  it('raises a breach that now holds: trading stops at the correction', async () => {
    const issued = await issue('raised@trader.test');
    await ingest(trade(issued.login, '-4000.00'));
    expect(await account(issued.id)).toMatchObject({ status: 'ACTIVE', metrics: { balance: '96000.00' } });

    await ingest([correction(issued.login, '-5500.00')]);
    expect(await account(issued.id)).toEqual({
      status: 'BREACHED',
      endedRule: 'DAILY_LOSS',
      metrics: { balance: '94500.00' },
    });
    await t.api.live.settle();
    expect((await sim.getAccount(issued.login)).mode).toBe('DISABLED');
    expect(await transitions(issued.id)).toEqual([
      { kind: 'BREACH', rule: 'DAILY_LOSS' },
      { kind: 'CORRECTION', rule: null },
    ]);
    expect((await audits(issued.id))[0]).toMatchObject({
      operation: 'correctDeal',
      changes: { status: ['ACTIVE', 'BREACHED'], rule: [null, 'DAILY_LOSS'] },
    });
  });

  it('cancels a deal: the account is rebuilt without it', async () => {
    const issued = await issue('cancelled@trader.test');
    await ingest(trade(issued.login, '2000.00'));
    expect((await account(issued.id)).metrics.balance).toBe('102000.00');
    await ingest([
      {
        eventId: `${issued.login}-cancel`,
        login: issued.login,
        at: '2025-03-04T11:00:00Z',
        type: 'dealCancel',
        dealId: 'd2',
      },
    ]);
    expect(await account(issued.id)).toMatchObject({ status: 'ACTIVE', metrics: { balance: '100000.00' } });
    expect((await audits(issued.id))[0]).toMatchObject({
      operation: 'cancelDeal',
      changes: { balance: ['102000.00', '100000.00'] },
    });
  });
});
