import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown() {
  const state = (globalThis as Record<string, unknown>).__brokerdeckE2e as
    | { child: ChildProcess; dataDir: string; database: Record<string, string> }
    | undefined;
  if (!state) return;
  state.child.kill('SIGTERM');
  await new Promise((r) => (state.child.exitCode !== null ? r(null) : state.child.once('exit', r)));
  fs.rmSync(state.dataDir, { recursive: true, force: true });
  if (state.database.BD_E2E_DATABASE && process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${state.database.BD_E2E_DATABASE} WITH (FORCE)`);
    await admin.end();
  }
}
