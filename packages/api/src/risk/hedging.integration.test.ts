import { SimulatedPlatform } from '../platform/simulator/simulator';
import { TEST_OWNER } from '../test/constants';
import { startTestApi, type TestApi } from '../test/harness';

/**
 * A-book routing end to end: deals of an A-book client reach the journal through ingestion, the
 * hedger passes them to the simulated liquidity provider (6 points of spread, 20 ms), and every
 * hedge fill is recorded with its difference to the client's fill and readable through `hedges`.
 * B-book clients are not hedged; a position opened in the B-book is not hedged when it closes.
 */
let t: TestApi;
let token: string;
let platformId: string;
let brandId: string;
const ids = new Map<string, string>();
const A_CLIENT = '9300001';
const B_CLIENT = '9300002';
let seq = 0;
const at = () => new Date(Date.parse('2030-05-02T10:00:00Z') + ++seq * 1000).toISOString();

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  const [row] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = row!.id;
  brandId = row!.brand_id;
  const sim = new SimulatedPlatform({ seed: 13, start: '2030-05-03T00:00:00Z' });
  t.api.platformRegistry.register(platformId, sim);
  for (const login of [A_CLIENT, B_CLIENT]) {
    await sim.createAccount({
      commandId: `create-${login}`,
      login,
      group: 'sim\\retail',
      leverage: 30,
      currency: 'USD',
      startingBalance: '10000.00',
    });
    const [a] = await t.sql<{ id: string }>(
      "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, $3, 'USD') RETURNING id",
      [platformId, brandId, login],
    );
    ids.set(login, a!.id);
  }
  // Both accounts known to the risk books (a balance each), then the B client opens a position.
  await ingest([
    { eventId: 'bal-a', at: at(), type: 'balance', login: A_CLIENT, amount: '10000.00', kind: 'DEPOSIT' },
    { eventId: 'bal-b', at: at(), type: 'balance', login: B_CLIENT, amount: '10000.00', kind: 'DEPOSIT' },
    quote('1.10000', '1.10010'),
    deal(B_CLIENT, 'B1', 'PB1', 'in', 'buy', '1.10010'),
  ]);
  const groups = await t.gql<{ riskGroups: { id: string; name: string }[] }>(
    'query($b: ID!) { riskGroups(brandId: $b) { id name } }',
    { b: brandId },
    token,
  );
  const professional = groups.data!.riskGroups.find((g) => g.name === 'Professional')!.id;
  const moved = await t.gql(
    'mutation($i: AssignRiskGroupInput!) { assignRiskGroup(input: $i) }',
    { i: { riskGroupId: professional, platformAccountIds: [ids.get(A_CLIENT)] } },
    token,
  );
  expect(moved.errors).toBeUndefined();
});
afterAll(() => t.stop());

function quote(bid: string, ask: string) {
  return { eventId: `q-${++seq}`, at: at(), type: 'quote', symbol: 'EURUSD', bid, ask };
}

function deal(login: string, id: string, position: string, entry: 'in' | 'out', side: 'buy' | 'sell', price: string) {
  return {
    eventId: `deal-${id}`,
    at: at(),
    type: 'deal',
    login,
    id,
    position,
    entry,
    symbol: 'EURUSD',
    side,
    volume: '1.00',
    price,
    profit: entry === 'out' ? '90.00' : '0.00',
    commission: '0.00',
    swap: '0.00',
  };
}

async function ingest(events: object[]) {
  const response = await fetch(`${t.url}/ingest/${platformId}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  for (let i = 0; i < 3; i++) await t.api.risk.settle();
}

interface Hedge {
  login: string;
  dealId: string;
  entry: string;
  clientSide: string;
  hedgeSide: string;
  volume: string;
  clientPrice: string;
  hedgePrice: string;
  slippage: string;
  slippageValue: string;
  currency: string;
  status: string;
  provider: string;
  latencyMs: number;
}
const HEDGE =
  'login dealId entry clientSide hedgeSide volume clientPrice hedgePrice slippage slippageValue currency status provider latencyMs';

const hedges = async (as = token) =>
  t.gql<{ hedges: Hedge[] }>(`query($b: ID!) { hedges(brandId: $b) { ${HEDGE} } }`, { b: brandId }, as);

describe('A-book hedging', () => {
  it('hedges an A-book client as the position opens and closes, recording the fill against the client fill', async () => {
    await ingest([deal(A_CLIENT, 'A1', 'PA1', 'in', 'buy', '1.10010')]);
    await ingest([quote('1.10100', '1.10110'), deal(A_CLIENT, 'A2', 'PA1', 'out', 'sell', '1.10100')]);
    const r = await hedges();
    expect(r.errors).toBeUndefined();
    // Newest first. The provider fills at mid ± 3 points: buy 1.10008 against the client's
    // 1.10010 (2 points better for the firm), sell 1.10102 against 1.10100 (again 2 better).
    expect(r.data!.hedges).toEqual([
      expect.objectContaining({
        login: A_CLIENT,
        dealId: 'A2',
        entry: 'out',
        clientSide: 'sell',
        hedgeSide: 'sell',
        clientPrice: '1.10100',
        hedgePrice: '1.10102',
        slippage: '-0.00002',
        slippageValue: '-2.00',
        currency: 'USD',
        status: 'FILLED',
        provider: 'simulated',
      }),
      expect.objectContaining({
        dealId: 'A1',
        entry: 'in',
        hedgeSide: 'buy',
        volume: '1.00',
        clientPrice: '1.10010',
        hedgePrice: '1.10008',
        slippage: '-0.00002',
        slippageValue: '-2.00',
      }),
    ]);
    expect(r.data!.hedges[0]!.latencyMs).toBeGreaterThanOrEqual(20);
  });

  it('does not hedge B-book clients, nor the close of a position opened in the B-book', async () => {
    await ingest([deal(B_CLIENT, 'B2', 'PB1', 'out', 'sell', '1.10100')]);
    const rows = await t.sql<{ login: string }>('SELECT login FROM risk_hedge');
    expect(rows.map((r) => r.login)).toEqual([A_CLIENT, A_CLIENT]);
  });

  it('hedges a deal once, however often the hedger is woken', async () => {
    t.api.risk.hedger.wake([ids.get(A_CLIENT)!, ids.get(B_CLIENT)!]);
    await t.api.risk.settle();
    expect(await t.sql('SELECT 1 FROM risk_hedge')).toHaveLength(2);
  });

  it('is readable by risk readers only', async () => {
    const marketing = await t.signIn('marketing@brokerdeck.test', TEST_OWNER.password);
    const refused = await hedges(marketing);
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const readOnly = await t.signIn('readonly@brokerdeck.test', TEST_OWNER.password);
    expect((await hedges(readOnly)).data!.hedges).toHaveLength(2);
  });
});
