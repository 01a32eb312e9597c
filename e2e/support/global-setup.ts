import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const repoRoot = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A database of its own for this run: embedded by default, or a fresh one on DATABASE_URL's server. */
async function databaseFor(runId: string): Promise<Record<string, string>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return {};
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE bd_e2e_${runId}`);
  await admin.end();
  url.pathname = `/bd_e2e_${runId}`;
  return { DATABASE_URL: url.toString(), BD_E2E_DATABASE: `bd_e2e_${runId}` };
}

export default async function globalSetup() {
  for (const app of ['admin', 'client-portal']) {
    if (!fs.existsSync(path.join(repoRoot, 'packages', app, 'dist', 'index.html'))) {
      throw new Error(`packages/${app} is not built: run pnpm build first (pnpm test does)`);
    }
  }
  const runId = `${Date.now().toString(36)}${process.pid}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-e2e-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const database = await databaseFor(runId);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...database,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Jest sets NODE_ENV=test, which turns the demo off by default: the operations pages are tested
    // against the live demo (simulated traders, quotes, breaches), as a person trying the product sees it.
    DEMO_SIMULATOR: 'true',
  };
  if (!database.DATABASE_URL) delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'packages/api/dist/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`API exited during start:\n${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) throw new Error(`API not ready after 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  (globalThis as Record<string, unknown>).__brokerdeckE2e = { child, dataDir, database };
  process.env.BD_E2E_URL = url;
}
