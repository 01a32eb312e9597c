import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type RunningApi, startApi } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { totpCode as totpCodeAt } from '../auth/totp';
import { TEST_OWNER, TEST_OWNER_TOTP_SECRET } from './constants';
import { withDatabase } from './global-setup';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; fields?: { path: string[]; message: string }[]; [key: string]: unknown };
  }[];
}

export interface TestApi {
  url: string;
  api: RunningApi;
  /** A connection straight to this test's own database, for asserting what was (not) stored. */
  sql<T extends Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /**
   * Signs a staff member in and returns the session token; the owner by default. For staff with
   * two-factor on (the seeded owner) it sends the current code of the demo secret, after clearing
   * the replay guard in this test's own database, so that a file may sign the owner in several
   * times within one 30-second step. Tests of the replay guard itself call signIn directly.
   */
  signIn(email?: string, password?: string): Promise<string>;
  ws(token?: string): WsClient;
  stop(): Promise<void>;
}

async function cloneTemplate(serverUrl: string, template: string, name: string) {
  const admin = new PgClient({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    // Two files cloning at the same moment can collide on the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !String((error as Error).message).includes('being accessed')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
}

/** Starts a whole API on a free port, on this test file's own database cloned from the migrated, seeded template. */
export async function startTestApi(): Promise<TestApi> {
  const serverUrl = process.env.BD_TEST_SERVER_URL;
  const template = process.env.BD_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('globalSetup did not run');
  const database = `bd_t_${process.env.BD_TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  await cloneTemplate(serverUrl, template, database);
  const databaseUrl = withDatabase(serverUrl, database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerdeck-test-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const api = await startApi(config, createLogger(config.LOG_LEVEL));
  const url = api.server.url;
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const clients: WsClient[] = [];

  const gql: TestApi['gql'] = async (query, variables, token) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<never>;
  };

  return {
    url,
    api,
    sql: async (query, params) => (await pg.query(query, params)).rows,
    gql,
    async signIn(email = TEST_OWNER.email, password = TEST_OWNER.password) {
      let totpCode: string | undefined;
      const [row] = (
        await pg.query('SELECT totp_secret IS NOT NULL AS totp FROM staff_user WHERE email = $1', [email.toLowerCase()])
      ).rows as { totp: boolean }[];
      if (row?.totp) {
        if (email.toLowerCase() !== TEST_OWNER.email) throw new Error(`no known TOTP secret for ${email}`);
        await pg.query('UPDATE staff_user SET totp_last_step = NULL WHERE email = $1', [TEST_OWNER.email]);
        totpCode = totpCodeAt(TEST_OWNER_TOTP_SECRET);
      }
      const result = await gql<{ signIn: { token: string } }>(
        'mutation SignIn($input: SignInInput!) { signIn(input: $input) { token } }',
        { input: { email, password, totpCode } },
      );
      if (!result.data?.signIn) throw new Error(`sign-in failed: ${JSON.stringify(result.errors)}`);
      return result.data.signIn.token;
    },
    ws(token) {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await pg.end();
      await api.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const admin = new PgClient({ connectionString: withDatabase(serverUrl, 'postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Collects the next `count` messages of a subscription. */
export function nextMessages<T>(client: WsClient, query: string, variables: Record<string, unknown>, count: number) {
  const received: { data?: T; errors?: unknown[] }[] = [];
  let unsubscribe: () => void = () => {};
  const done = new Promise<typeof received>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (message) => {
          received.push(message as { data?: T; errors?: unknown[] });
          if (received.length >= count) resolve(received);
        },
        error: (error) => reject(error),
        complete: () => resolve(received),
      },
    );
  });
  return { done, unsubscribe: () => unsubscribe() };
}
