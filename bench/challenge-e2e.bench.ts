/**
 * The challenge pipeline end to end, on the built API as its own process: 10,000 active challenge
 * accounts, a steady 2,000 equity updates/s through the NDJSON ingestion endpoint, and probes that
 * push one account at a time below its daily floor. For each probe it measures the time from
 * sending the breaching event to receiving the `challengeStatus` subscription message (which the
 * API publishes only after the breach transition is committed), and it samples the API process's
 * resident memory.
 *
 *   pnpm build
 *   packages/api/node_modules/.bin/tsx bench/challenge-e2e.bench.ts [seconds=30] [accounts=10000] [rate=2000]
 *
 * Uses BENCH_DATABASE_URL (a server's maintenance database; default the local PostgreSQL on
 * 127.0.0.1:5432): the database is outside the API process, as in production. It creates, then
 * drops, a database of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Resolved from the API package, which depends on them.
const apiRoot = path.resolve(__dirname, '../packages/api');
const apiRequire = createRequire(path.join(apiRoot, 'package.json'));
const { Client } = apiRequire('pg') as typeof import('pg');
const { createClient } = apiRequire('graphql-ws') as typeof import('graphql-ws');
const WebSocket = apiRequire('ws');
const { effectiveRules } = apiRequire('./dist/plans/plan.model');

const seconds = Number(process.argv[2] ?? 30);
const ACCOUNTS = Number(process.argv[3] ?? 10_000);
const RATE = Number(process.argv[4] ?? 2_000);
const PROBES_PER_SECOND = 10;
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'bench-ingest-token-000000';

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function startApi(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-bench-'));
  const child = spawn(process.execPath, [path.join(apiRoot, 'dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      INGEST_TOKEN: TOKEN,
      DEMO_SIMULATOR: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    await sleep(100);
  }
  throw new Error('API did not start');
}

async function gql<T>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Any demo staff member who may watch accounts (the owner needs a TOTP code, so try the others first). */
async function signIn(url: string): Promise<string> {
  for (const email of ['admin@brokerdeck.test', 'readonly@brokerdeck.test', 'owner@brokerdeck.test']) {
    try {
      const data = await gql<{ signIn: { token: string } }>(
        url,
        'mutation($i: SignInInput!) { signIn(input: $i) { token } }',
        { i: { email, password: 'brokerdeck-demo' } },
      );
      return data.signIn.token;
    } catch {}
  }
  throw new Error('no demo staff member could sign in');
}

async function main() {
  const database = `bd_bench_e2e_${process.pid}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = withDatabase(server, database);
  const api = await startApi(dbUrl);
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    // 10,000 accounts on atlas's first published plan with a 100,000 USD size, phase 1, set up in SQL.
    const { rows: plans } = await db.query(
      `SELECT v.id, v.plan_id, v.brand_id, v.content, p.id AS platform_id FROM plan_version v
         JOIN brand b ON b.id = v.brand_id AND b.slug = 'atlas'
         JOIN platform_connection p ON p.brand_id = b.id AND p.kind = 'SIMULATOR'
        WHERE v.status = 'PUBLISHED' ORDER BY v.created_at`,
    );
    const version = plans.find((v) => v.content.sizes.some((s: { balance: string }) => s.balance === '100000.00'))!;
    const size = version.content.sizes.find((s: { balance: string }) => s.balance === '100000.00');
    const phase = version.content.phases[0];
    const rules = effectiveRules(version.content, size.id, phase.id);
    await db.query(
      `INSERT INTO trader (id, brand_id, email, name) SELECT gen_random_uuid(), $1, 'bench' || g || '@trader.test', 'Bench ' || g
         FROM generate_series(1, $2) g`,
      [version.brand_id, ACCOUNTS],
    );
    await db.query(
      `INSERT INTO platform_account (id, platform_id, brand_id, login, currency)
       SELECT gen_random_uuid(), $1, $2, (8000000 + g)::text, 'USD' FROM generate_series(1, $3) g`,
      [version.platform_id, version.brand_id, ACCOUNTS],
    );
    await db.query(
      `INSERT INTO challenge_account (id, brand_id, trader_id, plan_id, plan_version_id, phase_id, phase_index, phase_name, size_id,
                                      currency, initial_balance, platform_account_id, login, status, rules, warning_thresholds)
       SELECT gen_random_uuid(), $1, t.id, $2, $3, $4, 0, $5, $6, 'USD', 100000, a.id, a.login, 'ACTIVE', $7, '{50,80,95}'
         FROM platform_account a JOIN trader t ON t.email = 'bench' || (a.login::int - 8000000) || '@trader.test' AND t.brand_id = $1
        WHERE a.login::int > 8000000`,
      [version.brand_id, version.plan_id, version.id, phase.id, phase.name, size.id, JSON.stringify(rules)],
    );
    const { rows: accounts } = await db.query<{ id: string; login: string }>(
      'SELECT id, login FROM challenge_account WHERE login::int > 8000000 ORDER BY login::int',
    );
    const platformId = version.platform_id as string;
    const token = await signIn(api.url);

    // Probe accounts take no background load, so a probe's event is never queued behind its own account's.
    const probeCount = Math.ceil(seconds * PROBES_PER_SECOND * 1.2);
    const probes = accounts.slice(0, probeCount);
    const loaded = accounts.slice(probeCount);

    const send = async (events: object[]) => {
      const started = performance.now();
      const response = await fetch(`${api.url}/ingest/${platformId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
        body: events.map((e) => JSON.stringify(e)).join('\n'),
      });
      const body = (await response.json()) as { accepted: number; rejected: unknown[] };
      if (body.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(body.rejected[0])}`);
      return performance.now() - started;
    };
    let seq = 0;
    const equity = (login: string, value: string) => ({
      eventId: `b-${seq++}`,
      login,
      at: new Date().toISOString(),
      type: 'equity',
      equity: value,
    });

    // Warm-up: every account gets one event, so the engine has loaded and committed each once.
    const warmStart = performance.now();
    for (let i = 0; i < accounts.length; i += 1000) {
      await send(accounts.slice(i, i + 1000).map((a) => equity(a.login, '100000.00')));
    }
    for (;;) {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM challenge_account WHERE login::int > 8000000 AND applied_seq = 0',
      );
      if (rows[0]!.n === 0) break;
      await sleep(200);
    }
    const warmSeconds = (performance.now() - warmStart) / 1000;

    // Subscriptions for every probe account, on one WebSocket, before the load starts.
    const ws = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
    });
    const received = new Map<string, number>();
    for (const probe of probes) {
      ws.subscribe(
        {
          query: 'subscription($id: ID!) { challengeStatus(accountId: $id) { kind rule } }',
          variables: { id: probe.id },
        },
        {
          next: (message) => {
            const status = (message.data as { challengeStatus?: { kind: string } } | undefined)?.challengeStatus;
            if (status?.kind === 'BREACH' && !received.has(probe.id)) received.set(probe.id, performance.now());
          },
          error: (error) => console.error('subscription error', error),
          complete: () => undefined,
        },
      );
    }
    await sleep(2_000);

    // The load: RATE equity updates/s in batches every 50 ms, round-robin over the loaded accounts.
    const stopAt = Date.now() + seconds * 1000;
    const ackLatencies: number[] = [];
    let loadSent = 0;
    // Batches are sent on schedule without waiting for the previous answer (at most 16 in flight),
    // as a bridge streaming at a fixed rate would; an account recurs only every few seconds.
    const load = (async () => {
      const perBatch = Math.round(RATE / 20);
      let cursor = 0;
      const begin = performance.now();
      const inFlight = new Set<Promise<void>>();
      for (let b = 0; Date.now() < stopAt; b++) {
        const batch = Array.from({ length: perBatch }, () => {
          const account = loaded[cursor++ % loaded.length]!;
          return equity(account.login, (100000 + ((cursor * 37) % 2000) - 1000).toFixed(2));
        });
        if (inFlight.size >= 16) await Promise.race(inFlight);
        const sent: Promise<void> = send(batch).then((ms) => {
          ackLatencies.push(ms);
          loadSent += batch.length;
          inFlight.delete(sent);
        });
        inFlight.add(sent);
        const due = begin + (b + 1) * 50;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await Promise.all(inFlight);
    })();

    // Probes: one breach every 100 ms, timed from the send to the subscription message.
    const sentAt = new Map<string, number>();
    const memory: number[] = [];
    const sampler = setInterval(() => memory.push(rssMiB(api.child.pid!)), 500);
    let p = 0;
    while (Date.now() < stopAt && p < probes.length) {
      const probe = probes[p++]!;
      sentAt.set(probe.id, performance.now());
      void send([equity(probe.login, '94000.00')]);
      await sleep(1000 / PROBES_PER_SECOND);
    }
    await load;
    await sleep(3_000);
    clearInterval(sampler);
    await ws.dispose();

    const { rows: breached } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM challenge_account WHERE id = ANY($1::uuid[]) AND status = 'BREACHED'",
      [[...sentAt.keys()]],
    );
    const latencies = [...sentAt.entries()]
      .map(([id, at]) => (received.has(id) ? received.get(id)! - at : Number.POSITIVE_INFINITY))
      .sort((a, b) => a - b);
    const missing = latencies.filter((l) => !Number.isFinite(l)).length;
    const acks = ackLatencies.sort((a, b) => a - b);
    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'never');
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
    console.log(
      `accounts: ${accounts.length} active (${probes.length} probe accounts), warm-up ${warmSeconds.toFixed(1)} s`,
    );
    console.log(
      `load: ${loadSent} equity updates in ${seconds} s = ${(loadSent / seconds).toFixed(0)}/s (target ${RATE}/s)`,
    );
    console.log(`ingestion ack per batch: p50 ${fmt(quantile(acks, 0.5))} ms, p99 ${fmt(quantile(acks, 0.99))} ms`);
    console.log(
      `breach → challengeStatus message (${latencies.length} probes, ${missing} missing): p50 ${fmt(quantile(latencies, 0.5))} ms, p95 ${fmt(quantile(latencies, 0.95))} ms, p99 ${fmt(quantile(latencies, 0.99))} ms, max ${fmt(latencies.at(-1) ?? NaN)} ms`,
    );
    console.log(`breach transitions committed: ${breached[0]!.n} of ${sentAt.size} probes`);
    console.log(`API RSS: max ${Math.max(...memory).toFixed(0)} MiB, last ${memory.at(-1)?.toFixed(0)} MiB`);
  } finally {
    await db.end();
    api.child.kill('SIGTERM');
    await new Promise((r) => api.child.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
