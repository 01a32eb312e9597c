/**
 * Ingestion throughput into PostgreSQL: several senders post 500-event batches through the
 * ingestion service (validation, account lookup, dedup by eventId, per-account sequence, one
 * committed transaction per batch with synchronous_commit on). Prints events/s and the
 * per-batch acknowledgement latency (p50/p99).
 *
 *   pnpm build
 *   packages/api/node_modules/.bin/tsx bench/ingestion.bench.ts [seconds] [senders]
 *
 * Uses BENCH_DATABASE_URL (a server's maintenance database; default the local PostgreSQL on
 * 127.0.0.1:5432) and creates, then drops, a database of its own.
 */
import os from 'node:os';
import { Client, Pool } from 'pg';

// Compiled API modules: they carry the decorator metadata MikroORM needs (tsx emits none).
const { openDatabase, migrate } = require('../packages/api/dist/db/orm');
const { PgEventLog } = require('../packages/api/dist/ingestion/event-log');
const { IngestionService, IngestionStats } = require('../packages/api/dist/ingestion/ingestion.service');
const { createLogger } = require('../packages/api/dist/logger');

const seconds = Number(process.argv[2] ?? 15);
const senders = Number(process.argv[3] ?? 4);
const BATCH = 500;
const ACCOUNTS = 2_000;
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main() {
  const database = `bd_bench_ingest_${process.pid}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = withDatabase(server, database);
  const orm = await openDatabase(url);
  await migrate(orm);
  await orm.close(true);

  const pool = new Pool({ connectionString: url, max: senders + 2 });
  pool.on('error', () => undefined); // connections ended by the final DROP DATABASE
  const { rows: sync } = await pool.query('SHOW synchronous_commit');
  const brandId = '00000000-0000-4000-8000-0000000000b1';
  const platformId = '00000000-0000-4000-8000-0000000000a1';
  await pool.query(
    `INSERT INTO brand (id, name, slug, colors, locales, default_locale, currency, time_zone, created_at, updated_at)
     VALUES ($1, 'Bench', 'bench', '{"primary":"#000000","accent":"#ffffff"}', '{en}', 'en', 'USD', 'UTC', now(), now())`,
    [brandId],
  );
  await pool.query(
    `INSERT INTO platform_connection (id, brand_id, kind, name, server) VALUES ($1, $2, 'SIMULATOR', 'bench', 'bench')`,
    [platformId, brandId],
  );
  await pool.query(
    `INSERT INTO platform_account (id, platform_id, brand_id, login, currency)
     SELECT gen_random_uuid(), $1, $2, (100000 + g)::text, 'USD' FROM generate_series(1, $3) g`,
    [platformId, brandId, ACCOUNTS],
  );
  const service = new IngestionService(
    pool,
    new PgEventLog(pool),
    () => undefined,
    new IngestionStats(),
    createLogger('silent'),
  );

  // Each sender owns a slice of the accounts (as a bridge partitioned by account would), and
  // every batch mixes equity updates and deals across 50 accounts of its slice.
  const latencies: number[] = [];
  let accepted = 0;
  const deadline = Date.now() + seconds * 1000;
  const base = Date.parse('2026-01-05T00:00:00Z');
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const per = ACCOUNTS / senders;
      for (let b = 0; Date.now() < deadline; b++) {
        const at = new Date(base + b * 1000).toISOString();
        const batch = Array.from({ length: BATCH }, (_, i) => {
          const login = String(100001 + s * per + ((b * 50 + (i % 50)) % per));
          const eventId = `s${s}-b${b}-${i}`;
          return i % 10 === 0
            ? {
                eventId,
                login,
                at,
                type: 'deal',
                id: eventId,
                position: `p${eventId}`,
                entry: 'in',
                symbol: 'EURUSD',
                side: 'buy',
                volume: '1.00',
                price: '1.08500',
                profit: '0.00',
                commission: '-3.50',
                swap: '0.00',
              }
            : { eventId, login, at, type: 'equity', equity: `${100000 + (i % 97)}.25` };
        });
        const started = process.hrtime.bigint();
        const result = await service.ingest(platformId, batch);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        accepted += result.accepted;
      }
    }),
  );
  const elapsed = seconds;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  const { rows: count } = await pool.query('SELECT count(*)::int AS n FROM platform_event');
  console.log(
    `machine: ${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}, PostgreSQL at ${new URL(server).host}`,
  );
  console.log(
    `synchronous_commit=${sync[0].synchronous_commit}, ${senders} senders, ${BATCH}-event batches, ${ACCOUNTS} accounts, ${seconds} s`,
  );
  console.log(
    `accepted ${accepted} events (${count[0].n} in the journal) = ${Math.round(accepted / elapsed).toLocaleString('en')} events/s`,
  );
  console.log(
    `batch acknowledgement latency: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (${latencies.length} batches)`,
  );
  await pool.end();
  await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  await admin.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
