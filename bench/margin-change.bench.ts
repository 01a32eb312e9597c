/**
 * "Change margin requirement" for a whole brand at 100,000 accounts, through the API's real path:
 * the GraphQL `previewMarginChange` and `applyMarginChange` over HTTP (authorisation, validation,
 * RiskService, one transaction with its audit rows and one set-based INSERT … SELECT of the
 * platform pushes), the live books re-margined after the commit, and the push worker delivering
 * every account's group and leverage to the platform in the background, with progress read from
 * the `marginChange` query.
 *
 *   pnpm --filter @brokerdeck/api build
 *   packages/api/node_modules/.bin/tsx bench/margin-change.bench.ts [accounts=100000] [pushSeconds=240]
 *
 * The API runs in this process (its built `startApi`, HTTP on a free loopback port) so that a
 * simulated platform holding the 100,000 accounts can be registered as the brand's platform: the
 * pushes then really go to a platform. Accounts, their journals (a balance and two open positions
 * each: EURUSD and XAUUSD) and quotes are seeded with set-based SQL before the API starts, so its
 * risk runtime loads them as after a restart. Uses BENCH_DATABASE_URL (default the local
 * PostgreSQL on 127.0.0.1:5432); it creates, then drops, a database of its own.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const apiRoot = path.resolve(__dirname, '../packages/api');
const apiRequire = createRequire(path.join(apiRoot, 'package.json'));
apiRequire('reflect-metadata');
const { Client } = apiRequire('pg') as typeof import('pg');
const { startApi } = apiRequire('./dist/app') as typeof import('../packages/api/src/app');
const { loadConfig } = apiRequire('./dist/config') as typeof import('../packages/api/src/config');
const { createLogger } = apiRequire('./dist/logger') as typeof import('../packages/api/src/logger');
const { SimulatedPlatform } = apiRequire(
  './dist/platform/simulator/simulator',
) as typeof import('../packages/api/src/platform/simulator/simulator');
const { SIM_INSTRUMENTS } = apiRequire(
  './dist/platform/instruments',
) as typeof import('../packages/api/src/platform/instruments');

const ACCOUNTS = Number(process.argv[2] ?? 100_000);
const PUSH_SECONDS = Number(process.argv[3] ?? 240);
const RUNS = 5;
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FIRST_LOGIN = 5_000_001;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (from: number, to = performance.now()) => `${(to - from).toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function boot(databaseUrl: string, dataDir: string) {
  const config = loadConfig({
    ...process.env,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DEMO_SIMULATOR: 'false',
  });
  const api = await startApi(config, createLogger('warn'));
  return { api, url: `http://127.0.0.1:${api.server.port}` };
}

async function gql<T>(url: string, query: string, variables: object, token: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function main() {
  const database = `bd_bench_margin_${process.pid}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = withDatabase(server, database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-bench-'));
  const db = new Client({ connectionString: dbUrl });
  let running: Awaited<ReturnType<typeof boot>> | undefined;
  try {
    // 1. Migrate and seed the demo (brands, risk groups), then stop: the accounts go in with SQL.
    const first = await boot(dbUrl, dataDir);
    await first.api.stop();
    await db.connect();
    const [atlas] = (
      await db.query<{ platform_id: string; brand_id: string }>(
        `SELECT p.id AS platform_id, b.id AS brand_id FROM platform_connection p JOIN brand b ON b.id = p.brand_id
          WHERE b.slug = 'atlas' AND p.kind = 'SIMULATOR'`,
      )
    ).rows;
    const { platform_id: platformId, brand_id: brandId } = atlas!;
    const { rows: groups } = await db.query<{ id: string; name: string }>(
      'SELECT id, name FROM risk_group WHERE brand_id = $1 ORDER BY is_default DESC',
      [brandId],
    );
    const seedStart = performance.now();
    // 80 % in the default retail group (B-book), 20 % professional (A-book).
    await db.query(
      `INSERT INTO platform_account (id, platform_id, brand_id, login, currency, last_seq)
       SELECT gen_random_uuid(), $1, $2, ($3::int + g)::text, 'USD', 3 FROM generate_series(0, $4::int - 1) g`,
      [platformId, brandId, FIRST_LOGIN, ACCOUNTS],
    );
    await db.query(
      `INSERT INTO risk_account (platform_account_id, brand_id, risk_group_id, book)
       SELECT a.id, a.brand_id, CASE WHEN a.login::int % 5 = 0 THEN $2::uuid ELSE $1::uuid END,
              CASE WHEN a.login::int % 5 = 0 THEN 'A' ELSE 'B' END
         FROM platform_account a WHERE a.platform_id = $3`,
      [groups[0]!.id, groups[1]!.id, platformId],
    );
    // Each account: a deposit of 8,000–27,900, 0.5–2.4 lots of EURUSD and 0.1–1.0 lots of XAUUSD.
    await db.query(
      `INSERT INTO platform_event (account_id, seq, platform_id, brand_id, event_id, type, at, payload)
       SELECT a.id, s.seq, a.platform_id, a.brand_id, 'bench-' || a.login || '-' || s.seq, s.type, now() - interval '1 hour',
              CASE s.seq
                WHEN 1 THEN jsonb_build_object('type', 'balance', 'login', a.login, 'kind', 'DEPOSIT',
                                               'amount', (8000 + (a.login::int % 200) * 100)::text || '.00')
                WHEN 2 THEN jsonb_build_object('type', 'position', 'login', a.login, 'position', a.login || '-1',
                                               'symbol', 'EURUSD', 'side', CASE WHEN a.login::int % 3 = 0 THEN 'sell' ELSE 'buy' END,
                                               'volume', to_char(0.5 + (a.login::int % 20) / 10.0, 'FM0.00'),
                                               'openPrice', '1.08500', 'currentPrice', '1.08500', 'profit', '0.00')
                ELSE jsonb_build_object('type', 'position', 'login', a.login, 'position', a.login || '-2',
                                        'symbol', 'XAUUSD', 'side', 'buy',
                                        'volume', to_char(0.1 + (a.login::int % 10) / 10.0, 'FM0.00'),
                                        'openPrice', '2030.00', 'currentPrice', '2030.00', 'profit', '0.00')
              END
         FROM platform_account a CROSS JOIN (VALUES (1, 'balance'), (2, 'position'), (3, 'position')) AS s(seq, type)
        WHERE a.platform_id = $1`,
      [platformId],
    );
    await db.query(
      `INSERT INTO platform_quote (platform_id, symbol, bid, ask, at)
       SELECT $1, q.symbol, q.bid, q.ask, now() FROM unnest($2::text[], $3::numeric[], $4::numeric[]) AS q(symbol, bid, ask)
       ON CONFLICT (platform_id, symbol) DO UPDATE SET bid = excluded.bid, ask = excluded.ask`,
      [
        platformId,
        SIM_INSTRUMENTS.map((s) => s.symbol),
        SIM_INSTRUMENTS.map((s) => s.startPrice.toFixed(s.digits)),
        SIM_INSTRUMENTS.map((s) => (s.startPrice + s.spreadPoints / 10 ** s.digits).toFixed(s.digits)),
      ],
    );
    await db.query('ANALYZE');
    console.log(`seeded ${ACCOUNTS.toLocaleString('en-US')} accounts with 2 open positions each in ${ms(seedStart)}`);

    // 2. The API as after a restart: the risk runtime loads every account's journal.
    const bootStart = performance.now();
    running = await boot(dbUrl, dataDir);
    const { api, url } = running;
    console.log(`API started, risk books loaded, in ${ms(bootStart)}`);
    // The brand's platform: a simulator that holds the same logins, so the pushes are really delivered.
    const sim = new SimulatedPlatform({ seed: 1 });
    for (let i = 0; i < ACCOUNTS; i++) {
      await sim.createAccount({
        commandId: `bench-create-${i}`,
        login: String(FIRST_LOGIN + i),
        group: 'brokerdeck\\retail',
        leverage: 30,
        currency: 'USD',
        startingBalance: '10000.00',
      });
    }
    api.platformRegistry.register(platformId, sim);
    const { signIn } = await gql<{ signIn: { token: string } }>(
      url,
      'mutation($i: SignInInput!) { signIn(input: $i) { token } }',
      { i: { email: 'admin@brokerdeck.test', password: 'brokerdeck-demo' } },
      '',
    );
    const token = signIn.token;
    const input = { brandId, assetClass: 'FX_MAJOR', leverage: 10 };

    // 3. Preview: FX majors to 1:10 for every group of the brand.
    const previews: number[] = [];
    let summary = '';
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now();
      const { previewMarginChange: p } = await gql<{
        previewMarginChange: {
          accountsChanged: number;
          positionsChanged: number;
          marginCallBefore: number;
          marginCallAfter: number;
          stopOutAfter: number;
          totals: { currency: string; usedMarginBefore: string; usedMarginAfter: string }[];
          accounts: { login: string }[];
        };
      }>(
        url,
        `query($i: MarginChangeInput!) { previewMarginChange(input: $i) {
           accountsChanged positionsChanged marginCallBefore marginCallAfter stopOutAfter
           totals { currency usedMarginBefore usedMarginAfter }
           accounts { login riskGroupId usedMarginBefore usedMarginAfter marginLevelBefore marginLevelAfter statusAfter } } }`,
        { i: input },
        token,
      );
      if (run > 0) previews.push(performance.now() - started);
      const t = p.totals[0]!;
      summary =
        `${p.accountsChanged.toLocaleString('en-US')} accounts / ${p.positionsChanged.toLocaleString('en-US')} positions change, ` +
        `used margin ${t.usedMarginBefore} → ${t.usedMarginAfter} ${t.currency}, margin call ${p.marginCallBefore} → ${p.marginCallAfter}, ` +
        `stop-out → ${p.stopOutAfter}; ${p.accounts.length} accounts listed`;
    }
    console.log(
      `preview (GraphQL round trip): best ${Math.min(...previews).toFixed(0)} ms, median ${median(previews).toFixed(0)} ms — ${summary}`,
    );

    // 4. Apply, timing the commit and the live books: `setGroup` runs right after the transaction commits.
    const sample = String(FIRST_LOGIN + 1);
    const sampleId = (
      await db.query<{ id: string }>('SELECT id FROM platform_account WHERE platform_id = $1 AND login = $2', [
        platformId,
        sample,
      ])
    ).rows[0]!.id;
    const liveMargin = () => api.risk.runtime.live(sampleId)!.book.margin.account(sample).margin;
    const marginBefore = liveMargin();
    const runtime = api.risk.runtime;
    const original = runtime.setGroup.bind(runtime);
    let committedAt = 0;
    let liveAt = 0;
    runtime.setGroup = (group) => {
      if (committedAt === 0) committedAt = performance.now();
      original(group);
      liveAt = performance.now();
    };
    const applyStart = performance.now();
    const { applyMarginChange: change } = await gql<{ applyMarginChange: { id: string; total: number } }>(
      url,
      'mutation($i: MarginChangeInput!) { applyMarginChange(input: $i) { id total } }',
      { i: input },
      token,
    );
    const answeredAt = performance.now();
    runtime.setGroup = original;
    const marginAfter = liveMargin();
    // What a risk manager's next read sees: the account list (GraphQL) with the new margin.
    const readStart = performance.now();
    const { riskAccounts } = await gql<{ riskAccounts: { login: string; margin: string }[] }>(
      url,
      'query($b: ID!, $g: ID) { riskAccounts(brandId: $b, riskGroupId: $g) { login margin } }',
      { b: brandId, g: groups[0]!.id },
      token,
    );
    const readAt = performance.now();
    const seen = riskAccounts.find((a) => a.login === sample)?.margin;
    const { rows: audits } = await db.query<{ operation: string; n: number }>(
      `SELECT operation, count(*)::int AS n FROM audit_entry WHERE operation LIKE 'risk.marginChange%' GROUP BY operation ORDER BY operation`,
    );
    const { rows: queued } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM risk_command WHERE change_id = $1',
      [change.id],
    );
    console.log(
      `apply (GraphQL round trip): ${ms(applyStart, answeredAt)}; committed (groups, change row, ${queued[0]!.n.toLocaleString('en-US')} push rows, ` +
        `audit ${audits.map((a) => `${a.operation} ×${a.n}`).join(', ')}) ${ms(applyStart, committedAt)} after the request`,
    );
    console.log(
      `live books on the new margins ${ms(committedAt, liveAt)} after the commit (account ${sample}: margin ${marginBefore} → ${marginAfter}); ` +
        `riskAccounts read ${ms(readStart, readAt)} shows ${seen}, ${ms(committedAt, readAt)} after the commit`,
    );

    // 5. Pushes in the background, with progress as the admin sees it.
    const pushStart = performance.now();
    let last = { done: 0, pending: 0, retrying: 0, failed: 0, finished: false, total: change.total };
    while (performance.now() - pushStart < PUSH_SECONDS * 1000) {
      await sleep(5_000);
      const { marginChange } = await gql<{ marginChange: typeof last }>(
        url,
        'query($id: ID!) { marginChange(id: $id) { total done pending retrying failed finished } }',
        { id: change.id },
        token,
      );
      last = marginChange;
      const s = (performance.now() - pushStart) / 1000;
      console.log(
        `  pushes after ${s.toFixed(0)} s: ${last.done.toLocaleString('en-US')} done, ${last.pending} pending, ${last.retrying} retrying, ${last.failed} failed (${(last.done / s).toFixed(0)}/s)`,
      );
      if (last.finished) break;
    }
    const pushSeconds = (performance.now() - pushStart) / 1000;
    const onPlatform = sim.accounts().filter((a) => a.leverage === 20).length;
    console.log(
      `pushes: ${last.done.toLocaleString('en-US')} of ${last.total.toLocaleString('en-US')} delivered in ${pushSeconds.toFixed(0)} s` +
        ` (${(last.done / pushSeconds).toFixed(0)}/s), ${last.failed} failed; accounts at leverage 20 on the platform: ${onPlatform.toLocaleString('en-US')}`,
    );
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ` +
        `load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
  } finally {
    await running?.api.stop().catch((error) => console.error('stop failed', error));
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
