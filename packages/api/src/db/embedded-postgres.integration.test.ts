import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './embedded-postgres';
import { exited } from '../test/process';

/**
 * The README's promise for a fresh machine: with no DATABASE_URL the API runs its own PostgreSQL,
 * keeps the data across restarts, survives being killed with -9, and stops it on SIGTERM.
 * Runs the built API (`dist/main.js`) as a real process.
 */
const apiRoot = path.resolve(__dirname, '../..');
const main = path.join(apiRoot, 'dist', 'main.js');
let dataDir: string;

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: apiRoot,
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-embedded-'));
  fs.chmodSync(dataDir, 0o755);
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function startApi(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`API exited: ${output}`);
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not become ready: ${output}`);
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, never>; errors?: unknown[] };
}

const postgresPid = () => {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(pidFile) ? Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10) : null;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('keeps data across a kill -9 and a restart, and stops its database on SIGTERM', async () => {
  const first = await startApi();
  expect(first.output()).toContain('admin console');
  const signIn = await gql(first.url, 'mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
    // The owner has two-factor on; the demo admin (ADMIN on both brands) edits a brand just as well.
    i: { email: 'admin@brokerdeck.test', password: 'brokerdeck-demo' },
  });
  const token = (signIn.data as unknown as { signIn: { token: string } }).signIn.token;
  const theme = await gql(first.url, '{ brandTheme(slug: "atlas") { name } }');
  expect(theme.data).toEqual({ brandTheme: { name: 'Atlas Funded' } });
  const brands = (await gql(first.url, '{ brands { id slug } }', {}, token)).data as unknown as {
    brands: { id: string; slug: string }[];
  };
  const atlas = brands.brands.find((b) => b.slug === 'atlas')!;
  await gql(
    first.url,
    'mutation($id: ID!) { updateBrand(id: $id, input: { name: "Atlas After Crash" }) { name } }',
    { id: atlas.id },
    token,
  );

  // kill -9: no shutdown hook runs; the orphaned PostgreSQL and its postmaster.pid stay behind.
  const orphan = postgresPid();
  first.child.kill('SIGKILL');
  await exited(first.child);
  expect(orphan && alive(orphan)).toBeTruthy();

  const second = await startApi();
  expect(await gql(second.url, '{ brandTheme(slug: "atlas") { name } }')).toEqual({
    data: { brandTheme: { name: 'Atlas After Crash' } },
  });
  const running = postgresPid();
  expect(running).not.toBe(orphan);

  second.child.kill('SIGTERM');
  const code = await exited(second.child);
  expect(code).toBe(0);
  expect(second.output()).toContain('stopped cleanly');
  expect(running && alive(running)).toBeFalsy();
}, 120_000);
