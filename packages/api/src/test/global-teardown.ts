import fs from 'node:fs';
import { Client } from 'pg';
import { withDatabase } from './global-setup';

export default async function globalTeardown() {
  const serverUrl = process.env.BD_TEST_SERVER_URL;
  const embedded = (globalThis as Record<string, unknown>).__brokerdeckEmbedded as
    | { stop(): Promise<void>; dataDir: string }
    | undefined;
  if (embedded) {
    await embedded.stop();
    fs.rmSync(embedded.dataDir, { recursive: true, force: true });
    return;
  }
  if (!serverUrl) return;
  // On a shared server, leave nothing behind: the template and any clone a crashed test left.
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const runId = process.env.BD_TEST_RUN_ID;
  const { rows } = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
    [`bd_tpl_${runId}`, `bd_t_${runId}_%`],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await admin.end();
}
