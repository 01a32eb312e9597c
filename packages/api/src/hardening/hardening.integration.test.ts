import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { type RunningApi, startApi } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { withDatabase } from '../test/global-setup';
import { startTestApi, type TestApi } from '../test/harness';
import { QUERY_LIMITS } from './graphql-limits';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}
const codes = (a: Answer) => a.body.errors?.map((e) => e.extensions?.code);
const noStackTraces = (a: Answer) => expect(JSON.stringify(a.body)).not.toMatch(/stacktrace|\bat .+:\d+:\d+/);

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';
const MISSPELT = '{ brandz { id } }';

/** WebSocket: the first answer (result or errors) of one operation. */
async function overSocket(url: string, query: string) {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  try {
    return await new Promise<{ data?: unknown; errors?: readonly { message: string }[] }>((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (value) => resolve(value as never),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('GraphQL hardening (development configuration)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  it('refuses an over-deep query with a typed error', async () => {
    const depth = QUERY_LIMITS.maxDepth + 3;
    const answer = await post(t.url, `{ brands ${'{ colors '.repeat(depth)}{ primary }${' }'.repeat(depth)} }`);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toContain('QUERY_TOO_COMPLEX');
    expect(answer.body.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')?.message).toMatch(/depth/i);
    noStackTraces(answer);
  });

  it('refuses an alias bomb and a directive flood, over HTTP and WebSocket alike', async () => {
    const bomb = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: supportedLocales`).join(' ')} }`;
    const answer = await post(t.url, bomb);
    expect([answer.status, codes(answer)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
    expect(answer.body.errors?.[0]?.message).toMatch(/aliases/i);
    expect(answer.body.data).toBeUndefined();
    const flood = await post(t.url, `{ supportedLocales ${'@skip(if: false) '.repeat(100)}}`);
    expect(codes(flood)).toContain('QUERY_TOO_COMPLEX');
    const socket = await overSocket(t.url, bomb);
    expect(socket.errors?.[0]?.message).toMatch(/aliases/i);
    expect(socket.data).toBeUndefined();
  });

  it('stops parsing a document with too many tokens', async () => {
    const answer = await post(t.url, `{ ${'supportedLocales '.repeat(QUERY_LIMITS.maxTokens + 10)}}`);
    expect([answer.status, codes(answer)]).toEqual([400, ['GRAPHQL_PARSE_FAILED']]);
    expect(answer.body.errors?.[0]?.message).toMatch(/tokens/);
  });

  it('refuses a simple cross-site request (CSRF): a GET or form POST without a preflight header', async () => {
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ supportedLocales }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
    const form = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('mutation { signOut }')}`,
    });
    expect(form.status).toBe(400);
    // With a header no browser sends cross-site without a preflight, the same GET is served.
    const preflighted = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ supportedLocales }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it('in development, still answers introspection and suggests field names', async () => {
    expect((await post(t.url, INTROSPECTION)).body.errors).toBeUndefined();
    expect((await post(t.url, MISSPELT)).body.errors?.[0]?.message).toMatch(/Did you mean .*"brands"/);
  });
});

/** The same API on its own database clone, with NODE_ENV=production. */
async function startProductionApi(): Promise<{ url: string; stop(): Promise<void> }> {
  const serverUrl = process.env.BD_TEST_SERVER_URL!;
  const database = `bd_t_${process.env.BD_TEST_RUN_ID}_prod_${randomBytes(3).toString('hex')}`;
  const admin = new PgClient({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${database} TEMPLATE ${process.env.BD_TEST_TEMPLATE}`);
      break;
    } catch (error) {
      if (attempt >= 20 || !String((error as Error).message).includes('being accessed')) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-prod-test-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: withDatabase(serverUrl, database),
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DEMO_SIMULATOR: 'false',
    INGEST_TOKEN: randomBytes(24).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  let api: RunningApi;
  try {
    api = await startApi(config, createLogger(config.LOG_LEVEL));
  } catch (error) {
    await admin.end();
    throw error;
  }
  return {
    url: api.server.url,
    async stop() {
      await api.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe('GraphQL hardening with NODE_ENV=production', () => {
  let prod: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    prod = await startProductionApi();
  });
  afterAll(() => prod?.stop());

  it('refuses introspection over HTTP and WebSocket', async () => {
    const answer = await post(prod.url, INTROSPECTION);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors?.[0]?.message).toMatch(/introspection/i);
    expect(JSON.stringify(answer.body)).not.toContain('"Query"');
    const socket = await overSocket(prod.url, INTROSPECTION);
    expect(socket.data).toBeUndefined();
    expect(socket.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('shows no field suggestions and no stack traces', async () => {
    const answer = await post(prod.url, MISSPELT);
    expect(codes(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors?.[0]?.message).toMatch(/Cannot query field "brandz"/);
    expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean|brands/);
    noStackTraces(answer);
    const socket = await overSocket(prod.url, MISSPELT);
    expect(JSON.stringify(socket)).not.toMatch(/Did you mean|brands/);
    const broken = await post(prod.url, '{ brands {');
    expect(codes(broken)).toEqual(['GRAPHQL_PARSE_FAILED']);
    noStackTraces(broken);
  });

  it('keeps the limits on', async () => {
    const bomb = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: supportedLocales`).join(' ')} }`;
    expect(codes(await post(prod.url, bomb))).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
