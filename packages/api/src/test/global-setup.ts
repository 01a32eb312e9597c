import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, openDatabase } from '../db/orm';
import { seedDemo } from '../db/seed';
import { systemScope } from '../db/tenancy';
import { createEventPubSub } from '../events/pubsub';
import { createLogger } from '../logger';
import { TEST_OWNER } from './constants';

/**
 * One PostgreSQL per test run: embedded by default, or the server DATABASE_URL names. A template
 * database is migrated and seeded once; each test file clones it (CREATE DATABASE … TEMPLATE).
 */
export default async function globalSetup() {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  const runId = `${Date.now().toString(36)}${process.pid}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-test-pg-'));
    // The cluster runs as the postgres user, which must be able to enter the folder.
    fs.chmodSync(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), log);
    (globalThis as Record<string, unknown>).__brokerdeckEmbedded = { stop: embedded.stop, dataDir };
    serverUrl = embedded.url;
  }
  const template = `bd_tpl_${runId}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const orm = await openDatabase(withDatabase(serverUrl, template));
  await migrate(orm);
  await seedDemo(systemScope(orm.em, 'test template seed'), createEventPubSub(), os.tmpdir(), TEST_OWNER);
  await orm.close(true);
  // MikroORM keeps its metadata on globalThis; left here it leaks into in-band test contexts as
  // objects of another realm (mikro-orm/mikro-orm#3783). Each test file discovers its own.
  for (const key of Object.keys(globalThis)) {
    if (key.startsWith('mikro-orm-')) delete (globalThis as Record<string, unknown>)[key];
  }

  process.env.BD_TEST_SERVER_URL = serverUrl;
  process.env.BD_TEST_TEMPLATE = template;
  // Tests start their own API on their own clone; the DATABASE_URL of the run is not theirs.
  process.env.BD_TEST_RUN_ID = runId;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
