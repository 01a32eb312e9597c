import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { freePort } from '../db/embedded-postgres';
import { withDatabase } from '../test/global-setup';
import { exited } from '../test/process';

/**
 * Exactly once across `kill -9`: the built API runs as its own process on a database outside it
 * (the test's PostgreSQL server). One run is killed mid-stream, restarted, and sent the whole
 * stream again (a bridge resends what was not acknowledged); another runs uninterrupted on a copy
 * of the same database. Every account must end in the same state: status, rule, engine snapshot,
 * journal position, and the same transitions and outbox rows, each once.
 */
const apiRoot = path.resolve(__dirname, '../..');
const buildDir = path.join(apiRoot, `.build-engine-kill-${process.pid}`);
const TOKEN = 'engine-kill-test-ingest-token';
const TRADERS = 12;
const EVENTS_PER_ACCOUNT = 300;
const dataDirs: string[] = [];
const databases: string[] = [];

beforeAll(() => {
  // Its own output folder, so that other tests building dist/ at the same time cannot interfere.
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      buildDir,
      '--tsBuildInfoFile',
      path.join(buildDir, '.tsbuildinfo'),
    ],
    { cwd: apiRoot },
  );
}, 180_000);

afterAll(async () => {
  fs.rmSync(buildDir, { recursive: true, force: true });
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  const admin = new PgClient({ connectionString: withDatabase(process.env.BD_TEST_SERVER_URL!, 'postgres') });
  await admin.connect();
  for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
});

async function freshDatabase(): Promise<string> {
  const name = `bd_kill_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: withDatabase(process.env.BD_TEST_SERVER_URL!, 'postgres') });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.BD_TEST_TEMPLATE}`);
      break;
    } catch (error) {
      if (attempt >= 20 || !String((error as Error).message).includes('being accessed')) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  databases.push(name);
  return withDatabase(process.env.BD_TEST_SERVER_URL!, name);
}

async function startApi(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-kill-'));
  dataDirs.push(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    INGEST_TOKEN: TOKEN,
    SEED_DEMO: 'false',
    // Simulated traders give the accounts; the simulated market stands (almost) still, so every
    // event that matters is the test's own.
    DEMO_SIMULATOR: 'true',
    DEMO_TRADERS: String(TRADERS),
    DEMO_SPEED: '0.0001',
  };
  const child = spawn(process.execPath, [path.join(buildDir, 'main.js')], { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('API did not start');
}

interface Account {
  id: string;
  login: string;
  platform_id: string;
  initial_balance: string;
}

async function query<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The run's first accounts: the simulated traders of demo run 1 (logins 7010001…), on atlas. */
async function accounts(databaseUrl: string): Promise<Account[]> {
  for (let i = 0; i < 200; i++) {
    const rows = await query<Account>(
      databaseUrl,
      `SELECT c.id, c.login, p.platform_id, c.initial_balance::text FROM challenge_account c
         JOIN platform_account p ON p.id = c.platform_account_id JOIN brand b ON b.id = c.brand_id
        WHERE b.slug = 'atlas' AND c.login::bigint BETWEEN 7010001 AND 7019999 ORDER BY c.login`,
    );
    if (rows.length === TRADERS) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the demo accounts did not appear');
}

/** A seeded stream per account: equity random walks with drifts that breach some accounts, deals between. */
function stream(list: Account[]): object[][] {
  let seed = 20251125;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const start = Date.parse('2025-03-03T00:00:30Z');
  const perAccount = list.map((account, a) => {
    const initial = Number(account.initial_balance);
    const drift = [-0.0006, -0.0002, 0.0001, 0.0003][a % 4]!;
    let floating = 0;
    let balance = initial;
    const events: object[] = [];
    for (let i = 0; i < EVENTS_PER_ACCOUNT; i++) {
      const at = new Date(start + i * 100).toISOString();
      if (i % 25 === 10) {
        const profit = ((random() - 0.45) * initial * 0.004).toFixed(2);
        balance += Number(profit) - 6;
        floating -= Number(profit);
        const position = `k${a}-${i}`;
        const deal = {
          login: account.login,
          type: 'deal',
          symbol: 'EURUSD',
          volume: '1.00',
          position,
          commission: '-3.00',
          swap: '0.00',
        };
        events.push({
          ...deal,
          eventId: `k-${a}-${i}-in`,
          at,
          id: `${position}-in`,
          entry: 'in',
          side: 'buy',
          price: '1.08500',
          profit: '0.00',
        });
        events.push({
          ...deal,
          eventId: `k-${a}-${i}-out`,
          at,
          id: `${position}-out`,
          entry: 'out',
          side: 'sell',
          price: '1.08600',
          profit,
        });
        continue;
      }
      floating += initial * (drift + (random() - 0.5) * 0.004);
      const equity = Math.max(1, balance + floating);
      events.push({ eventId: `k-${a}-${i}`, login: account.login, at, type: 'equity', equity: equity.toFixed(2) });
    }
    return events;
  });
  // Interleaved across accounts, each account's events in order, in batches of 250.
  const all: object[] = [];
  for (let i = 0; i < Math.max(...perAccount.map((e) => e.length)); i++) {
    for (const events of perAccount) if (events[i]) all.push(events[i]!);
  }
  const batches: object[][] = [];
  for (let i = 0; i < all.length; i += 250) batches.push(all.slice(i, i + 250));
  return batches;
}

async function send(url: string, platformId: string, batch: object[]) {
  const response = await fetch(`${url}/ingest/${platformId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
    body: batch.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await response.json()) as { accepted: number; rejected: unknown[] };
  if (body.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(body.rejected[0])}`);
  return body;
}

/** Waits until the engine has applied every journalled event of these accounts (an ended account reads no further). */
async function settled(databaseUrl: string, ids: string[]) {
  for (let i = 0; i < 600; i++) {
    const [row] = await query<{ behind: number }>(
      databaseUrl,
      `SELECT count(*)::int AS behind FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
        WHERE c.id = ANY($1::uuid[]) AND c.applied_seq < p.last_seq AND c.status IN ('ACTIVE', 'FUNDED')`,
      [ids],
    );
    if (row!.behind === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the engine did not catch up');
}

/** Everything the engine decided about the accounts, by login (ids differ between the two databases). */
async function decided(databaseUrl: string, list: Account[]) {
  const ids = list.map((a) => a.id);
  const rows = await query<Record<string, unknown>>(
    databaseUrl,
    `SELECT c.login, c.status, c.ended_rule, c.applied_seq::text, c.engine_state, c.soft_locked_until, c.warnings_raised,
            (SELECT coalesce(json_agg(json_build_object('kind', t.kind, 'rule', t.rule, 'seq', t.seq, 'at', t.at, 'detail', t.detail)
                     ORDER BY t.seq, t.kind), '[]') FROM challenge_transition t WHERE t.account_id = c.id) AS transitions,
            (SELECT coalesce(json_agg(o.topic || coalesce(':' || (o.payload->>'command'), '') || coalesce(':' || (o.payload->>'mode'), '')
                     ORDER BY o.id), '[]') FROM outbox o
              WHERE o.payload->>'accountId' = c.id::text
                 OR (o.payload->>'login' = c.login AND o.payload->>'platformId' = p.platform_id::text)) AS outbox
       FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
      WHERE c.id = ANY($1::uuid[]) ORDER BY c.login`,
    [ids],
  );
  return rows;
}

it('ends in the same state after kill -9 mid-stream as an uninterrupted run, every transition once', async () => {
  // The uninterrupted run.
  const calmDb = await freshDatabase();
  const calm = await startApi(calmDb);
  const calmAccounts = await accounts(calmDb);
  const batches = stream(calmAccounts);
  try {
    for (const batch of batches) await send(calm.url, calmAccounts[0]!.platform_id, batch);
    await settled(
      calmDb,
      calmAccounts.map((a) => a.id),
    );
    // Give the outbox a moment so that both runs are compared after delivery attempts.
    await new Promise((r) => setTimeout(r, 1_500));
  } finally {
    calm.child.kill('SIGTERM');
    await exited(calm.child);
  }
  const expected = await decided(calmDb, calmAccounts);
  expect(expected.some((a) => a.status === 'BREACHED')).toBe(true);
  expect(expected.some((a) => a.status === 'ACTIVE')).toBe(true);

  // The interrupted run: killed while the engine works through a backlog.
  const killedDb = await freshDatabase();
  const first = await startApi(killedDb);
  const list = await accounts(killedDb);
  expect(list.map((a) => a.login)).toEqual(calmAccounts.map((a) => a.login));
  const platformId = list[0]!.platform_id;
  const half = Math.floor(batches.length / 2);
  for (const batch of batches.slice(0, half)) await send(first.url, platformId, batch);
  // One more batch in flight when the process dies: it may or may not have been committed.
  const inFlight = send(first.url, platformId, batches[half]!).catch(() => null);
  const [progress] = await query<{ behind: number }>(
    killedDb,
    `SELECT count(*)::int AS behind FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
      WHERE c.id = ANY($1::uuid[]) AND c.applied_seq < p.last_seq`,
    [list.map((a) => a.id)],
  );
  first.child.kill('SIGKILL');
  await exited(first.child);
  await inFlight;
  console.log(`killed with ${progress!.behind} accounts behind the journal`);

  const second = await startApi(killedDb);
  try {
    // The bridge resends from its last acknowledged batch; resending everything is the harshest case.
    for (const batch of batches) await send(second.url, platformId, batch);
    await settled(
      killedDb,
      list.map((a) => a.id),
    );
    await new Promise((r) => setTimeout(r, 1_500));
  } finally {
    second.child.kill('SIGTERM');
    await exited(second.child);
  }
  const actual = await decided(killedDb, list);
  expect(actual).toEqual(expected);
}, 240_000);
