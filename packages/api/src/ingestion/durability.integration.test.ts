import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../db/embedded-postgres';
import { exited } from '../test/process';

/**
 * Nothing acknowledged is ever lost: batches are acknowledged only once committed to the journal,
 * so after `kill -9` mid-stream and a restart, every acknowledged event is already there (a resend
 * of it is answered "duplicate"). Runs the built API as a real process on its own embedded database.
 */
const apiRoot = path.resolve(__dirname, '../..');
const TOKEN = 'durability-test-ingest-token';
let dataDir: string;

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: apiRoot,
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-durability-'));
  fs.chmodSync(dataDir, 0o755);
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    INGEST_TOKEN: TOKEN,
    // One simulated account to write to; the simulator itself barely moves.
    DEMO_SIMULATOR: 'true',
    DEMO_TRADERS: '1',
    DEMO_SPEED: '0.0001',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(apiRoot, 'dist/main.js')], { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('API did not start');
}

async function platformId(url: string): Promise<string> {
  const gql = async (query: string, token?: string) =>
    (await (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      })
    ).json()) as { data: Record<string, never> };
  const signIn = await gql(
    'mutation { signIn(input: { email: "admin@brokerdeck.test", password: "brokerdeck-demo" }) { token } }',
  );
  const token = (signIn.data.signIn as { token: string }).token;
  const brands = (await gql('{ brands { id slug } }', token)).data.brands as { id: string; slug: string }[];
  const atlas = brands.find((b) => b.slug === 'atlas')!;
  const platforms = (await gql(`{ platforms(brandId: "${atlas.id}") { id } }`, token)).data.platforms as {
    id: string;
  }[];
  return platforms[0]!.id;
}

const send = (url: string, platform: string, events: object[]) =>
  fetch(`${url}/ingest/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  }).then((r) => r.json() as Promise<{ accepted: number; duplicates: unknown[]; rejected: unknown[] }>);

it('loses no acknowledged event when the API is killed with -9 mid-stream', async () => {
  const first = await start();
  const platform = await platformId(first.url);
  const login = '7010001'; // the first simulated trader of the first demo run
  const acknowledged: object[] = [];
  let batchNo = 0;
  const problems: unknown[] = [];
  let killed = false;
  const sender = async () => {
    while (!killed) {
      const batch = Array.from({ length: 200 }, (_, i) => ({
        eventId: `kill-${batchNo}-${i}`,
        login,
        at: '2025-03-03T00:01:00Z',
        type: 'equity',
        equity: '100000.00',
      }));
      batchNo += 1;
      let answer: Awaited<ReturnType<typeof send>>;
      try {
        answer = await send(first.url, platform, batch);
      } catch {
        return; // the process died under this request: it was never acknowledged
      }
      if (answer.rejected.length > 0) {
        problems.push(answer.rejected[0]);
        return;
      }
      acknowledged.push(...batch);
    }
  };
  const senders = [sender(), sender(), sender()];
  const deadline = Date.now() + 60_000;
  while (acknowledged.length < 3_000 && problems.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(problems).toEqual([]);
  expect(acknowledged.length).toBeGreaterThanOrEqual(3_000);
  killed = true;
  first.child.kill('SIGKILL');
  await Promise.all(senders);
  await exited(first.child);

  const second = await start();
  try {
    let duplicates = 0;
    for (let i = 0; i < acknowledged.length; i += 1_000) {
      const answer = await send(second.url, platform, acknowledged.slice(i, i + 1_000));
      expect(answer.accepted).toBe(0);
      expect(answer.rejected).toEqual([]);
      duplicates += answer.duplicates.length;
    }
    expect(duplicates).toBe(acknowledged.length);
  } finally {
    second.child.kill('SIGTERM');
    await exited(second.child);
  }
}, 120_000);
