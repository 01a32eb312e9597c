import { SimulatedPlatform } from '../platform/simulator/simulator';
import type { PlatformEvent } from '../platform/platform';
import { TEST_OWNER } from '../test/constants';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';

/**
 * Risk wired end to end: risk groups through GraphQL, the live books fed by ingestion, margin
 * call / stop-out / negative-balance correction carried to the platform through the command queue
 * exactly once, exposure, and "change margin requirement" with preview, apply, progress, rollback.
 */
let t: TestApi;
let token: string;
let platformId: string;
let brandId: string;
let sim: SimulatedPlatform;
const LOGIN = '9100001';
let seq = 0;
const at = () => new Date(Date.parse('2030-01-02T10:00:00Z') + ++seq * 1000).toISOString();

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  const [row] = await t.sql<{ id: string; brand_id: string }>(
    "SELECT p.id, p.brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id WHERE b.slug = 'atlas'",
  );
  platformId = row!.id;
  brandId = row!.brand_id;
  // An undriven simulator: it holds the account and obeys commands; the test sends the market.
  sim = new SimulatedPlatform({ seed: 11, start: '2030-01-03T00:00:00Z' });
  t.api.platformRegistry.register(platformId, sim);
  await sim.createAccount({
    commandId: 'create-1',
    login: LOGIN,
    group: 'sim\\prop',
    leverage: 100,
    currency: 'USD',
    startingBalance: '10000.00',
  });
  await t.sql(
    "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, $3, 'USD')",
    [platformId, brandId, LOGIN],
  );
  // What the platform itself reports back (the correction's balance operation) goes through ingestion too.
  sim.subscribe((events: readonly PlatformEvent[]) => {
    // (at the test's own clock, which the crafted events also follow)
    const balances = events.filter((e) => e.type === 'balance').map((e) => ({ ...e, at: at() }));
    if (balances.length > 0) void ingest(balances);
  });
});
afterAll(() => t.stop());

async function ingest(events: object[]) {
  const response = await fetch(`${t.url}/ingest/${platformId}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  await settle();
}

async function settle() {
  for (let i = 0; i < 3; i++) {
    await t.api.risk.settle();
    await new Promise((r) => setTimeout(r, 20));
  }
}

const quote = (bid: string, ask: string) => ({
  eventId: `q-${++seq}`,
  at: at(),
  type: 'quote',
  symbol: 'EURUSD',
  bid,
  ask,
});

const gql = async <T>(query: string, variables: Record<string, unknown> = {}, as = token) => {
  const result = await t.gql<T>(query, variables, as);
  return result;
};

const ACCOUNT_FIELDS = 'login status marginLevel equity margin balance';

describe('risk groups', () => {
  it('seeds an ESMA retail default per brand: gold 1:20 while silver keeps the METAL class 1:10', async () => {
    const r = await gql<{
      riskGroups: {
        name: string;
        isDefault: boolean;
        leverage: Record<string, number>;
        symbolLeverage: { symbol: string; leverage: number }[];
      }[];
    }>(
      'query($b: ID!) { riskGroups(brandId: $b) { name isDefault leverage { FX_MAJOR FX_MINOR METAL INDEX COMMODITY EQUITY CRYPTO } symbolLeverage { symbol leverage } } }',
      { b: brandId },
    );
    const retail = r.data!.riskGroups.find((g) => g.isDefault)!;
    expect(retail.name).toBe('Retail (ESMA)');
    expect(retail.leverage).toEqual({
      FX_MAJOR: 30,
      FX_MINOR: 20,
      METAL: 10,
      INDEX: 10,
      COMMODITY: 10,
      EQUITY: 5,
      CRYPTO: 2,
    });
    expect(retail.symbolLeverage).toContainEqual({ symbol: 'XAUUSD', leverage: 20 });
    expect(retail.symbolLeverage.find((s) => s.symbol === 'XAGUSD')).toBeUndefined();
  });

  it('refuses an invalid group with field paths and stores nothing; an update is audited with its diff', async () => {
    const bad = await gql('mutation($i: CreateRiskGroupInput!) { createRiskGroup(input: $i) { id } }', {
      i: { brandId, name: 'Bad', stopOutLevel: '120', leverage: { FX_MAJOR: 0 } },
    });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const paths = bad.errors![0]!.extensions!.fields!.map((f) => f.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.leverage.FX_MAJOR']));
    expect(await t.sql("SELECT 1 FROM risk_group WHERE name = 'Bad'")).toHaveLength(0);

    const created = await gql<{ createRiskGroup: { id: string; hedging: string; book: string } }>(
      'mutation($i: CreateRiskGroupInput!) { createRiskGroup(input: $i) { id hedging book } }',
      { i: { brandId, name: 'Scalpers', hedging: 'NETTING', book: 'A' } },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createRiskGroup.id;
    const updated = await gql<{ updateRiskGroup: { marginCallLevel: string; version: number } }>(
      'mutation($id: ID!, $i: UpdateRiskGroupInput!) { updateRiskGroup(id: $id, input: $i) { marginCallLevel version } }',
      { id, i: { marginCallLevel: '120' } },
    );
    expect(updated.data!.updateRiskGroup).toEqual({ marginCallLevel: '120', version: 2 });
    const [entry] = await t.sql<{ changes: Record<string, unknown> }>(
      "SELECT changes FROM audit_entry WHERE operation = 'risk.group.update' AND target_id = $1",
      [id],
    );
    expect(entry!.changes).toEqual({ marginCallLevel: ['100', '120'] });

    const marketing = await t.signIn('marketing@brokerdeck.test', TEST_OWNER.password);
    const refused = await gql('query($b: ID!) { riskGroups(brandId: $b) { id } }', { b: brandId }, marketing);
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const readOnly = await t.signIn('readonly@brokerdeck.test', TEST_OWNER.password);
    const denied = await gql(
      'mutation($id: ID!, $i: UpdateRiskGroupInput!) { updateRiskGroup(id: $id, input: $i) { id } }',
      { id, i: { marginCallLevel: '110' } },
      readOnly,
    );
    expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('margin call, stop-out and negative balance protection through the platform', () => {
  it('raises a margin call once per crossing, stops out, and corrects a negative balance to zero', async () => {
    await ingest([
      { eventId: 'e-start', at: at(), type: 'equity', login: LOGIN, equity: '10000.00', balance: '10000.00' },
      quote('1.10000', '1.10010'),
      {
        eventId: 'd-in',
        at: at(),
        type: 'deal',
        login: LOGIN,
        id: 'D1',
        position: 'P1',
        entry: 'in',
        symbol: 'EURUSD',
        side: 'buy',
        volume: '1.00',
        price: '1.10010',
        profit: '0.00',
        commission: '0.00',
        swap: '0.00',
      },
    ]);
    const exposure = await gql<{ exposure: { symbols: { symbol: string; netLots: string; netUnits: string }[] } }>(
      'query($f: ExposureFilter) { exposure(filter: $f) { symbols { symbol netLots netUnits value } } }',
      { f: { brandId } },
    );
    expect(exposure.data!.exposure.symbols).toContainEqual(
      expect.objectContaining({ symbol: 'EURUSD', netLots: '1.00', netUnits: '100000' }),
    );

    // 1.03400: equity 3,390, margin 100,000 · 1.0341 / 30 = 3,447 → 98 %: margin call, not stop-out.
    await ingest([quote('1.03400', '1.03410')]);
    await ingest([quote('1.03300', '1.03310')]); // still under: no second call
    const calls = await t.sql<{ kind: string }>(
      'SELECT kind FROM risk_event e JOIN platform_account p ON p.id = e.platform_account_id WHERE p.login = $1 ORDER BY e.id',
      [LOGIN],
    );
    expect(calls.map((c) => c.kind)).toEqual(['MARGIN_CALL']);
    expect((await sim.getAccount(LOGIN)).mode).toBe('CLOSE_ONLY');
    const list = await gql<{ exposure: { marginCalls: { login: string; status: string }[] } }>(
      'query($f: ExposureFilter) { exposure(filter: $f) { marginCalls { login status } } }',
      { f: { brandId } },
    );
    expect(list.data!.exposure.marginCalls).toContainEqual({ login: LOGIN, status: 'MARGIN_CALL' });

    // 1.01000: equity 990 against 3,367 of margin → 29 %: the position is closed through the bridge.
    await ingest([quote('1.01000', '1.01010')]);
    const [close] = await t.sql<{ kind: string; status: string; payload: { position: string } }>(
      "SELECT kind, status, payload FROM risk_command WHERE login = $1 AND kind = 'CLOSE_POSITION'",
      [LOGIN],
    );
    expect(close).toMatchObject({ status: 'DONE', payload: { position: 'P1' } });

    // The platform filled the close with slippage: the balance goes to −1,000; protection books +1,000.
    await ingest([
      {
        eventId: 'd-out',
        at: at(),
        type: 'deal',
        login: LOGIN,
        id: 'D2',
        position: 'P1',
        entry: 'out',
        symbol: 'EURUSD',
        side: 'sell',
        volume: '1.00',
        price: '0.99010',
        profit: '-11000.00',
        commission: '0.00',
        swap: '0.00',
      },
    ]);
    await settle();
    const [correction] = await t.sql<{ status: string; payload: { amount: string } }>(
      "SELECT status, payload FROM risk_command WHERE login = $1 AND kind = 'CORRECTION'",
      [LOGIN],
    );
    expect(correction).toEqual({ status: 'DONE', payload: { amount: '1000.00' } });
    expect((await sim.getAccount(LOGIN)).balance).toBe('11000.00');
    const accounts = await gql<{ riskAccounts: { login: string; balance: string; status: string }[] }>(
      `query($b: ID!) { riskAccounts(brandId: $b) { ${ACCOUNT_FIELDS} } }`,
      { b: brandId },
    );
    expect(accounts.data!.riskAccounts.find((a) => a.login === LOGIN)).toMatchObject({
      balance: '0.00',
      status: 'NO_MARGIN',
    });
    const kinds = await t.sql<{ kind: string }>(
      'SELECT kind FROM risk_event e JOIN platform_account p ON p.id = e.platform_account_id WHERE p.login = $1 ORDER BY e.id',
      [LOGIN],
    );
    expect(kinds.map((k) => k.kind)).toEqual([
      'MARGIN_CALL',
      'STOP_OUT',
      'NEGATIVE_BALANCE_CORRECTION',
      'MARGIN_CALL_CLEARED',
    ]);
  });
});

describe('change margin requirement', () => {
  it('previews, applies atomically with progress to the platform, takes effect at once, and rolls back', async () => {
    await ingest([
      quote('1.10000', '1.10010'),
      {
        eventId: 'd-in-2',
        at: at(),
        type: 'deal',
        login: LOGIN,
        id: 'D3',
        position: 'P2',
        entry: 'in',
        symbol: 'EURUSD',
        side: 'buy',
        volume: '0.10',
        price: '1.10010',
        profit: '0.00',
        commission: '0.00',
        swap: '0.00',
      },
      { eventId: 'b-1', at: at(), type: 'balance', login: LOGIN, amount: '5000.00', kind: 'DEPOSIT' },
    ]);
    const input = { brandId, assetClass: 'FX_MAJOR', leverage: 10 };
    const preview = await gql<{
      previewMarginChange: {
        accountsChanged: number;
        accounts: { login: string; usedMarginBefore: string; usedMarginAfter: string }[];
      };
    }>(
      'query($i: MarginChangeInput!) { previewMarginChange(input: $i) { accountsChanged riskGroupIds accounts { login riskGroupId usedMarginBefore usedMarginAfter marginLevelBefore marginLevelAfter statusAfter } } }',
      { i: input },
    );
    expect(preview.errors).toBeUndefined();
    const row = preview.data!.previewMarginChange.accounts.find((a) => a.login === LOGIN)!;
    // 0.1 lot · 100,000 · 1.1001 = 11,001 USD: 1:30 → 366.70, 1:10 → 1,100.10.
    expect(row).toMatchObject({ usedMarginBefore: '366.70', usedMarginAfter: '1100.10' });
    // Which groups the change covers, and each account's group, by id.
    const groupIds = (preview.data!.previewMarginChange as unknown as { riskGroupIds: string[] }).riskGroupIds;
    expect(groupIds.length).toBeGreaterThan(0);
    expect(groupIds).toContain((row as unknown as { riskGroupId: string }).riskGroupId);

    const bad = await gql('query($i: MarginChangeInput!) { previewMarginChange(input: $i) { accountsChanged } }', {
      i: { ...input, leverage: 0 },
    });
    expect(bad.errors![0]!.extensions!.fields).toEqual([{ path: ['input', 'leverage'], message: expect.any(String) }]);

    const applied = await gql<{ applyMarginChange: { id: string; total: number } }>(
      'mutation($i: MarginChangeInput!) { applyMarginChange(input: $i) { id total done finished createdAt riskGroupIds } }',
      { i: input },
    );
    expect(applied.errors).toBeUndefined();
    expect(
      Number.isNaN(Date.parse((applied.data!.applyMarginChange as unknown as { createdAt: string }).createdAt)),
    ).toBe(false);
    const changeId = applied.data!.applyMarginChange.id;
    // Effective in the live figures at once, before any push.
    const live = await gql<{ riskAccounts: { login: string; margin: string }[] }>(
      `query($b: ID!) { riskAccounts(brandId: $b) { ${ACCOUNT_FIELDS} } }`,
      { b: brandId },
    );
    expect(live.data!.riskAccounts.find((a) => a.login === LOGIN)!.margin).toBe('1100.10');

    await settle();
    const progress = await gql<{ marginChange: { total: number; done: number; finished: boolean } }>(
      'query($id: ID!) { marginChange(id: $id) { total done failed retrying finished } }',
      { id: changeId },
    );
    expect(progress.data!.marginChange.finished).toBe(true);
    const [push] = await t.sql<{ status: string; payload: { leverage: number; group: string } }>(
      'SELECT status, payload FROM risk_command WHERE change_id = $1 AND login = $2',
      [changeId, LOGIN],
    );
    // The account's platform leverage becomes the group's highest cap left (1:20).
    expect(push).toEqual({ status: 'DONE', payload: { leverage: 20, group: 'brokerdeck\\retail' } });
    expect((await sim.getAccount(LOGIN)).leverage).toBe(20);
    const audits = await t.sql<{ operation: string }>(
      "SELECT operation FROM audit_entry WHERE operation LIKE 'risk.marginChange%' ORDER BY id",
    );
    expect(audits.map((a) => a.operation)).toEqual(
      expect.arrayContaining(['risk.marginChange.group', 'risk.marginChange.apply']),
    );

    // An unreachable platform: the push is retried and reported, never dropped; a rollback restores 1:30.
    sim.setReachable(false);
    const rolled = await gql<{ rollbackMarginChange: { id: string; rollbackOf: string } }>(
      'mutation($id: ID!) { rollbackMarginChange(changeId: $id) { id rollbackOf } }',
      { id: changeId },
    );
    expect(rolled.data!.rollbackMarginChange.rollbackOf).toBe(changeId);
    const rollbackId = rolled.data!.rollbackMarginChange.id;
    await settle();
    const waiting = await gql<{
      marginChange: { retrying: number; finished: boolean; problems: { login: string; error: string }[] };
    }>('query($id: ID!) { marginChange(id: $id) { retrying finished problems { login status attempts error } } }', {
      id: rollbackId,
    });
    expect(waiting.data!.marginChange.finished).toBe(false);
    expect(waiting.data!.marginChange.problems).toContainEqual(expect.objectContaining({ login: LOGIN }));
    sim.setReachable(true);
    const feed = nextMessages<{ marginChangeProgress: { finished: boolean } }>(
      t.ws(token),
      'subscription($id: ID!) { marginChangeProgress(changeId: $id) { done finished } }',
      { id: rollbackId },
      1,
    );
    await feed.done;
    feed.unsubscribe();
    await t.sql('UPDATE risk_command SET next_attempt_at = now() WHERE change_id = $1', [rollbackId]);
    await settle();
    const after = await gql<{ marginChange: { finished: boolean } }>(
      'query($id: ID!) { marginChange(id: $id) { finished } }',
      {
        id: rollbackId,
      },
    );
    expect(after.data!.marginChange.finished).toBe(true);
    expect((await sim.getAccount(LOGIN)).leverage).toBe(30);
    const margin = await gql<{ riskAccounts: { login: string; margin: string }[] }>(
      `query($b: ID!) { riskAccounts(brandId: $b) { ${ACCOUNT_FIELDS} } }`,
      { b: brandId },
    );
    expect(margin.data!.riskAccounts.find((a) => a.login === LOGIN)!.margin).toBe('366.70');
  });

  it('streams exposure over the subscription when a quote moves', async () => {
    const feed = nextMessages<{ exposureChanged: { symbols: { symbol: string; value: string }[] } }>(
      t.ws(token),
      'subscription($f: ExposureFilter) { exposureChanged(filter: $f) { symbols { symbol value } } }',
      { f: { brandId } },
      2,
    );
    await new Promise((r) => setTimeout(r, 150));
    await ingest([quote('1.20000', '1.20010')]);
    const messages = await feed.done;
    feed.unsubscribe();
    const last = messages[messages.length - 1]!.data!.exposureChanged.symbols.find((s) => s.symbol === 'EURUSD')!;
    // 0.1 lot · 100,000 at the mid 1.20005.
    expect(last.value).toBe('12000.50');
  });
});
