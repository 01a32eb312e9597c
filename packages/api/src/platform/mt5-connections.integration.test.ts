import { startTestApi, type TestApi } from '../test/harness';
import { FakeMt5Server } from './mt5/fake-server';
import { MANAGER_PASSWORD } from './mt5/test-helpers';

/**
 * A brand connected to "its MT5 server" at run time: the fake HTTPS server of the adapter tests,
 * which follows the documented Web API (there is no live MT5 server here). Everything else is the
 * real pipeline: the connection saved through GraphQL, the adapter built from the row, the poller
 * feeding ingestion, the engine deciding, and the breach going back to MT5 as a rights change.
 */
let t: TestApi;
let token: string;
let fake: FakeMt5Server;
let brandId: string;

const CONNECT = `mutation($input: ConnectMt5PlatformInput!) {
  connectMt5Platform(input: $input) { id kind name server status mt5 { url managerLogin accountGroup hasCaCertificate settings } }
}`;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestApi();
  token = await t.signIn();
  fake = await FakeMt5Server.start({ password: MANAGER_PASSWORD });
  const [brand] = await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'atlas'");
  brandId = brand!.id;
});
afterAll(async () => {
  await t.stop();
  await fake.stop();
});

const input = (overrides: Record<string, unknown> = {}) => ({
  brandId,
  name: 'Atlas MT5 Live',
  url: fake.url,
  managerLogin: fake.managerLogin,
  password: MANAGER_PASSWORD,
  server: 'AtlasMarkets-Live',
  caCertificate: fake.ca,
  // A slow answer on a loaded CI machine is not a failed poll (failures back the poller off).
  settings: { pingIntervalMs: 0, requestTimeoutMs: 30_000 },
  ...overrides,
});

describe('connecting a brand to its MT5 server', () => {
  it('refuses bad settings and wrong credentials with typed errors and saves nothing', async () => {
    const count = async () =>
      (await t.sql<{ n: number }>("SELECT count(*)::int AS n FROM platform_connection WHERE kind = 'MT5'"))[0]!.n;
    const before = await count();

    const http = await t.gql(CONNECT, { input: input({ url: fake.url.replace('https:', 'http:') }) }, token);
    expect(http.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(http.errors?.[0]?.extensions?.fields?.[0]?.path).toEqual(['input', 'url']);

    const unknownSetting = await t.gql(CONNECT, { input: input({ settings: { noSuchThing: 1 } }) }, token);
    expect(unknownSetting.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const wrong = await t.gql(CONNECT, { input: input({ password: 'not-the-password' }) }, token);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PLATFORM_REJECTED');

    const untrusted = await t.gql(CONNECT, { input: input({ caCertificate: null }) }, token);
    expect(untrusted.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(untrusted.errors?.[0]?.extensions?.fields?.[0]?.path).toEqual(['input', 'caCertificate']);

    expect(await count()).toBe(before);
  });

  it('connects, keeps the password only sealed, trades an issued account, and disables it on MT5 at a breach', async () => {
    const connected = await t.gql<{ connectMt5Platform: { id: string; status: string; mt5: Record<string, unknown> } }>(
      CONNECT,
      { input: input() },
      token,
    );
    expect(connected.errors).toBeUndefined();
    const platform = connected.data!.connectMt5Platform;
    expect(platform.mt5).toMatchObject({
      managerLogin: fake.managerLogin,
      accountGroup: 'demo\\prop',
      hasCaCertificate: true,
    });
    expect(JSON.stringify(connected)).not.toContain(MANAGER_PASSWORD);

    // At rest: sealed, never plain; the audit entry has no password either.
    const [stored] = await t.sql<{ settings: string }>('SELECT settings::text FROM platform_connection WHERE id = $1', [
      platform.id,
    ]);
    expect(stored!.settings).not.toContain(MANAGER_PASSWORD);
    expect(stored!.settings).toContain('"passwordSealed": "v1.');
    const audits = await t.sql<{ changes: string }>(
      "SELECT changes::text FROM audit_entry WHERE operation = 'connectMt5Platform' AND target_id = $1",
      [platform.id],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.changes).not.toContain(MANAGER_PASSWORD);
    expect(audits[0]!.changes).not.toContain('v1.');

    // A plan that trades on MT5, then an account issued on it: created through the adapter.
    const [plan] = await t.sql<{ plan_id: string; size_id: string }>(
      `SELECT v.plan_id, s->>'id' AS size_id FROM plan_version v, jsonb_array_elements(v.content->'sizes') s
        WHERE v.brand_id = $1 AND v.status = 'PUBLISHED' AND v.content->'names'->0->>'text' = 'Classic 2-Step Challenge'
          AND s->>'balance' = '100000.00'`,
      [brandId],
    );
    await t.sql(
      `UPDATE plan_version SET content = jsonb_set(content, '{platform}', '"MT5"') WHERE plan_id = $1 AND status = 'PUBLISHED'`,
      [plan!.plan_id],
    );
    const issued = await t.gql<{ issueChallengeAccount: { id: string; login: string; status: string } }>(
      'mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id login status } }',
      {
        input: {
          brandId,
          planId: plan!.plan_id,
          sizeId: plan!.size_id,
          traderEmail: 'mt5@trader.test',
          traderName: 'MT5 Trader',
        },
      },
      token,
    );
    expect(issued.errors).toBeUndefined();
    const { id: accountId, login } = issued.data!.issueChallengeAccount;
    const user = fake.user(login);
    expect(user.group).toBe('demo\\prop');
    expect(user.balance).toBe(10_000_000);

    // The trader buys 10 lots; the poller reads the deal and the equity into the journal.
    fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 10 });
    await until('the deal in the journal', async () => {
      const rows = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM platform_event e JOIN platform_account a ON a.id = e.account_id
          WHERE a.login = $1 AND a.platform_id = $2 AND e.type = 'deal'`,
        [login, platform.id],
      );
      return rows[0]!.n >= 1;
    });

    // The market falls 100 pips: equity 90,000 is under the daily floor of 95,000.
    fake.setPrice('EURUSD', 1.075, 1.0751);
    const breached = await until('the breach', async () => {
      const [row] = await t.sql<{ status: string; ended_rule: string | null }>(
        'SELECT status, ended_rule FROM challenge_account WHERE id = $1',
        [accountId],
      );
      return row?.status === 'BREACHED' ? row : null;
    });
    expect(breached.ended_rule).toBe('DAILY_LOSS');
    // The consequence went back through the bridge: trading disabled on the MT5 account.
    await until(
      'trading disabled on MT5',
      async () => (fake.user(login).rights & 0x4) !== 0 && (fake.user(login).rights & 0x1) === 0,
    );

    const list = await t.gql<{ platforms: { id: string; status: string; accounts: number; pollFailures: number }[] }>(
      'query($b: ID!) { platforms(brandId: $b) { id status accounts pollFailures } }',
      { b: brandId },
      token,
    );
    expect(list.data!.platforms.find((p) => p.id === platform.id)).toMatchObject({
      status: 'CONNECTED',
      accounts: 1,
      pollFailures: 0,
    });
  }, 150_000);

  it('changes a connection: a new wrong password is refused and the working one stays', async () => {
    const [row] = await t.sql<{ id: string }>("SELECT id FROM platform_connection WHERE kind = 'MT5' LIMIT 1");
    const update =
      'mutation($id: ID!, $input: UpdateMt5PlatformInput!) { updateMt5Platform(id: $id, input: $input) { name server mt5 { accountGroup } } }';
    const wrong = await t.gql(update, { id: row!.id, input: { password: 'wrong-password' } }, token);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PLATFORM_REJECTED');
    const renamed = await t.gql<{ updateMt5Platform: { name: string; mt5: { accountGroup: string } } }>(
      update,
      { id: row!.id, input: { name: 'Atlas MT5', accountGroup: 'demo\\funded' } },
      token,
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateMt5Platform).toMatchObject({ name: 'Atlas MT5', mt5: { accountGroup: 'demo\\funded' } });
    expect(t.api.platformRegistry.get(row!.id)).toBeDefined();
  });

  it('is rebuilt from its row when the API starts again', async () => {
    const [row] = await t.sql<{ id: string }>("SELECT id FROM platform_connection WHERE kind = 'MT5' LIMIT 1");
    t.api.platformRegistry.unregister(row!.id);
    // Starting all connections again (what start-up does) finds the row, decrypts and connects.
    await t.api.mt5Connections.startAll();
    const platform = t.api.platformRegistry.get(row!.id);
    expect(platform?.kind).toBe('mt5');
  });
});
