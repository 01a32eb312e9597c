import { createHash } from 'node:crypto';
import { startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';

let t: TestApi;
let admin: string; // ADMIN of every brand
const brand: Record<'atlas' | 'sahara', { id: string; platformId: string; accountId: string }> = {} as never;

/** A challenge account straight in the database (the engine is not under test here). */
async function seedAccount(slug: 'atlas' | 'sahara', login: string) {
  const [row] = await t.sql<{ brand_id: string; platform_id: string; plan_id: string; version_id: string }>(
    `SELECT b.id AS brand_id, p.id AS platform_id, v.plan_id, v.id AS version_id
       FROM brand b JOIN platform_connection p ON p.brand_id = b.id JOIN plan_version v ON v.brand_id = b.id
      WHERE b.slug = $1 AND v.status = 'PUBLISHED' LIMIT 1`,
    [slug],
  );
  const { brand_id, platform_id, plan_id, version_id } = row!;
  const [trader] = await t.sql<{ id: string }>(
    `INSERT INTO trader (id, brand_id, email, name) VALUES (gen_random_uuid(), $1, $2, 'Key Test') RETURNING id`,
    [brand_id, `${login}@keys.test`],
  );
  const [platformAccount] = await t.sql<{ id: string }>(
    `INSERT INTO platform_account (id, platform_id, brand_id, login, currency)
     VALUES (gen_random_uuid(), $1, $2, $3, 'USD') RETURNING id`,
    [platform_id, brand_id, login],
  );
  const [account] = await t.sql<{ id: string }>(
    `INSERT INTO challenge_account (id, brand_id, trader_id, plan_id, plan_version_id, phase_id, phase_index, phase_name,
       size_id, currency, initial_balance, platform_account_id, login, status, rules)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, 'p1', 0, 'Challenge', 's1', 'USD', 100000, $5, $6, 'ACTIVE', '{}')
     RETURNING id`,
    [brand_id, trader!.id, plan_id, version_id, platformAccount!.id, login],
  );
  brand[slug] = { id: brand_id, platformId: platform_id, accountId: account!.id };
}

interface Created {
  key: string;
  apiKey: { id: string; prefix: string; scopes: string[]; ratePerMinute: number; createdBy: string };
}

async function createKey(input: { brandId: string; name: string; scopes: string[]; ratePerMinute?: number }) {
  const result = await t.gql<{ createApiKey: Created }>(
    `mutation Create($input: CreateApiKeyInput!) {
       createApiKey(input: $input) { key apiKey { id prefix scopes ratePerMinute createdBy } }
     }`,
    { input },
    admin,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createApiKey;
}

/** What a partner does: a plain HTTP POST with the key, like curl. */
async function asPartner(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return {
    status: response.status,
    headers: response.headers,
    body,
    codes: body.errors?.map((e) => e.extensions?.code),
  };
}

const ACCOUNTS = 'query($brandId: ID!) { challengeAccounts(brandId: $brandId) { id status login } }';
const ACCOUNT = 'query($id: ID!) { challengeAccount(id: $id) { id login } }';

interface IngestAnswer {
  received?: number;
  accepted?: number;
  rejected?: unknown[];
  error: { code: string; message: string; retryAfterSeconds?: number };
}

async function ingest(key: string, platformId: string, events: object[]) {
  const response = await fetch(`${t.url}/ingest/${platformId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as IngestAnswer };
}

beforeAll(async () => {
  t = await startTestApi();
  admin = await staffWith(t, 'keys-admin@brokerdeck.test', [{ brandId: null, role: 'ADMIN' }]);
  await seedAccount('atlas', '7700001');
  await seedAccount('sahara', '7700002');
});
afterAll(() => t.stop());

describe('partner API keys', () => {
  it('are shown once, stored only as a SHA-256 hash, and read their brand over plain HTTP', async () => {
    const created = await createKey({ brandId: brand.atlas.id, name: 'Affiliate CRM', scopes: ['accounts:read'] });
    expect(created.key).toMatch(/^bdk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.slice(4, 12)).toBe(created.apiKey.prefix);
    expect(created.apiKey).toMatchObject({
      scopes: ['accounts:read'],
      ratePerMinute: 600,
      createdBy: 'keys-admin@brokerdeck.test',
    });

    // Nothing in the row reproduces the key: the secret part appears nowhere, only its hash.
    const [row] = await t.sql<Record<string, unknown>>('SELECT * FROM api_key WHERE id = $1', [created.apiKey.id]);
    const secret = created.key.split('_').slice(2).join('_');
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));

    const { status, body } = await asPartner(created.key, ACCOUNTS, { brandId: brand.atlas.id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      challengeAccounts: [{ id: brand.atlas.accountId, status: 'ACTIVE', login: '7700001' }],
    });
    const one = await asPartner(created.key, ACCOUNT, { id: brand.atlas.accountId });
    expect(one.body.data).toEqual({ challengeAccount: { id: brand.atlas.accountId, login: '7700001' } });

    // The list shows what a key is, never the key; last use is recorded (at most once a minute).
    const list = await t.gql<{ apiKeys: Record<string, unknown>[] }>(
      'query($b: ID!) { apiKeys(brandId: $b) { id name prefix scopes createdBy createdAt lastUsedAt revokedAt } }',
      { b: brand.atlas.id },
      admin,
    );
    const listed = list.data!.apiKeys.find((k) => k.id === created.apiKey.id)!;
    expect(listed).toMatchObject({ name: 'Affiliate CRM', prefix: created.apiKey.prefix, revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it('answer NOT_FOUND for another brand and FORBIDDEN outside their scopes', async () => {
    const { key } = await createKey({ brandId: brand.atlas.id, name: 'Reader', scopes: ['accounts:read'] });
    // Another brand's objects: not found, as if they did not exist.
    expect((await asPartner(key, ACCOUNTS, { brandId: brand.sahara.id })).codes).toEqual(['NOT_FOUND']);
    expect((await asPartner(key, ACCOUNT, { id: brand.sahara.accountId })).codes).toEqual(['NOT_FOUND']);
    // Operations no scope opens, or another scope's.
    expect((await asPartner(key, '{ brands { id } }')).codes).toEqual(['FORBIDDEN']);
    expect((await asPartner(key, '{ planPresets { id } }')).codes).toEqual(['FORBIDDEN']);
    const mutation = await asPartner(
      key,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { brandId: brand.atlas.id, name: 'escalate', scopes: ['risk:write'] } },
    );
    expect(mutation.codes).toEqual(['FORBIDDEN']);
    expect(await t.sql("SELECT 1 FROM api_key WHERE name = 'escalate'")).toEqual([]);

    const plansOnly = await createKey({ brandId: brand.atlas.id, name: 'Catalogue', scopes: ['plans:read'] });
    expect((await asPartner(plansOnly.key, ACCOUNTS, { brandId: brand.atlas.id })).codes).toEqual(['FORBIDDEN']);
    const catalogue = await asPartner(plansOnly.key, 'query($b: ID!) { planCatalogue(brandId: $b) { __typename } }', {
      b: brand.atlas.id,
    });
    expect(catalogue.body.errors).toBeUndefined();
    expect((await asPartner(plansOnly.key, '{ planPresets { id } }')).body.errors).toBeUndefined();
  });

  it('stop working at once when revoked, and both changes are audited without the key', async () => {
    const { key, apiKey } = await createKey({
      brandId: brand.atlas.id,
      name: 'Short-lived',
      scopes: ['accounts:read'],
    });
    expect((await asPartner(key, ACCOUNTS, { brandId: brand.atlas.id })).status).toBe(200);
    const revoked = await t.gql<{ revokeApiKey: { revokedAt: string | null } }>(
      'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
      { id: apiKey.id },
      admin,
    );
    expect(revoked.data?.revokeApiKey.revokedAt).not.toBeNull();

    const after = await asPartner(key, ACCOUNTS, { brandId: brand.atlas.id });
    expect(after.status).toBe(401);
    expect(after.codes).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(after.body)).not.toContain(key);
    // Even a public operation: a bad key is never silently anonymous.
    expect((await asPartner(key, '{ supportedLocales }')).codes).toEqual(['UNAUTHENTICATED']);
    expect((await asPartner(`${key.slice(0, -3)}abc`, '{ supportedLocales }')).codes).toEqual(['UNAUTHENTICATED']);
    expect((await asPartner('bdk_00000000_nope', '{ supportedLocales }')).codes).toEqual(['UNAUTHENTICATED']);

    const entries = await t.sql<{ operation: string; actor_kind: string; changes: Record<string, unknown> }>(
      `SELECT operation, actor_kind, changes FROM audit_entry WHERE target_type = 'ApiKey' AND target_id = $1 ORDER BY id`,
      [apiKey.id],
    );
    expect(entries.map((e) => [e.operation, e.actor_kind])).toEqual([
      ['createApiKey', 'STAFF'],
      ['revokeApiKey', 'STAFF'],
    ]);
    expect(entries[0]!.changes).toMatchObject({ name: [null, 'Short-lived'], scopes: [null, ['accounts:read']] });
    const secret = key.split('_').slice(2).join('_');
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it('are rate-limited per key: RATE_LIMITED with retryAfterSeconds once the bucket is empty', async () => {
    const { key } = await createKey({
      brandId: brand.atlas.id,
      name: 'Tiny',
      scopes: ['accounts:read'],
      ratePerMinute: 5,
    });
    const other = await createKey({ brandId: brand.atlas.id, name: 'Neighbour', scopes: ['accounts:read'] });
    for (let i = 0; i < 5; i++) {
      expect((await asPartner(key, ACCOUNTS, { brandId: brand.atlas.id })).body.errors).toBeUndefined();
    }
    const sixth = await asPartner(key, ACCOUNTS, { brandId: brand.atlas.id });
    expect(sixth.status).toBe(429);
    expect(sixth.codes).toEqual(['RATE_LIMITED']);
    const retryAfter = sixth.body.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(12); // one token comes back every 12 s at 5/min
    expect(sixth.headers.get('retry-after')).toBe(String(retryAfter));
    // Another key of the same brand has its own bucket.
    expect((await asPartner(other.key, ACCOUNTS, { brandId: brand.atlas.id })).body.errors).toBeUndefined();
  });

  it('post events to /ingest with events:ingest on their own brand only; the ingest token still works', async () => {
    const ingestKey = await createKey({ brandId: brand.atlas.id, name: 'Bridge', scopes: ['events:ingest'] });
    const event = (id: string) => ({
      eventId: id,
      login: '7700001',
      at: new Date(Date.UTC(2026, 0, 5, 8, 0)).toISOString(),
      type: 'equity',
      equity: '100000.00',
    });
    const ok = await ingest(ingestKey.key, brand.atlas.platformId, [event('k-1'), event('k-2')]);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ received: 2, accepted: 2, rejected: [] });

    const elsewhere = await ingest(ingestKey.key, brand.sahara.platformId, [event('k-3')]);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const reader = await createKey({ brandId: brand.atlas.id, name: 'No ingest', scopes: ['accounts:read'] });
    const forbidden = await ingest(reader.key, brand.atlas.platformId, [event('k-4')]);
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const unknown = await ingest('bdk_12345678_not-a-real-key-not-a-real-key-not-a-real', brand.atlas.platformId, [
      event('k-5'),
    ]);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const token = await ingest('dev-ingest-token-not-for-production', brand.sahara.platformId, []);
    expect(token.status).toBe(200);
    // Nothing from the refused posts reached the journal.
    const journal = await t.sql<{ event_id: string }>(
      "SELECT event_id FROM platform_event WHERE event_id LIKE 'k-%' ORDER BY event_id",
    );
    expect(journal.map((r) => r.event_id)).toEqual(['k-1', 'k-2']);
    // The key's use that changed data is audited, in the journal's transaction; the same batch
    // again stores nothing and adds no entry.
    expect((await ingest(ingestKey.key, brand.atlas.platformId, [event('k-1'), event('k-2')])).body).toMatchObject({
      accepted: 0,
    });
    const audits = await t.sql<{
      actor_kind: string;
      actor_id: string;
      brand_id: string;
      changes: Record<string, unknown>;
    }>(
      "SELECT actor_kind, actor_id, brand_id, changes FROM audit_entry WHERE operation = 'ingestPlatformEvents' AND target_id = $1",
      [brand.atlas.platformId],
    );
    expect(audits).toEqual([
      {
        actor_kind: 'API_KEY',
        actor_id: ingestKey.apiKey.id,
        brand_id: brand.atlas.id,
        changes: { received: [null, 2], accepted: [null, 2], duplicates: [null, 0], rejected: [null, 0] },
      },
    ]);

    // The GraphQL way in takes the same scope.
    const viaGraphql = await asPartner(
      ingestKey.key,
      'mutation($p: ID!, $e: [JSONObject!]!) { ingestPlatformEvents(platformId: $p, events: $e) { accepted } }',
      { p: brand.atlas.platformId, e: [event('k-6')] },
    );
    expect(viaGraphql.body).toEqual({ data: { ingestPlatformEvents: { accepted: 1 } } });

    const slow = await createKey({
      brandId: brand.atlas.id,
      name: 'Slow bridge',
      scopes: ['events:ingest'],
      ratePerMinute: 1,
    });
    expect((await ingest(slow.key, brand.atlas.platformId, [])).status).toBe(200);
    const limited = await ingest(slow.key, brand.atlas.platformId, []);
    expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.retryAfterSeconds).toBe(Number(limited.headers.get('retry-after')));
  });

  it('are managed by OWNER/ADMIN of the key’s brand only, with typed input errors', async () => {
    const readOnly = await staffWith(t, 'keys-readonly@brokerdeck.test', [
      { brandId: brand.atlas.id, role: 'READ_ONLY' },
    ]);
    const create = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }';
    const input = { brandId: brand.atlas.id, name: 'Nope', scopes: ['accounts:read'] };
    expect((await t.gql(create, { input }, readOnly)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(
      (await t.gql('query($b: ID!) { apiKeys(brandId: $b) { id } }', { b: brand.atlas.id }, readOnly)).errors?.map(
        (e) => e.extensions?.code,
      ),
    ).toEqual(['FORBIDDEN']);

    // ADMIN on atlas, READ_ONLY on sahara: may not revoke sahara's key; sees nothing of a third brand.
    const split = await staffWith(t, 'keys-split@brokerdeck.test', [
      { brandId: brand.atlas.id, role: 'ADMIN' },
      { brandId: brand.sahara.id, role: 'READ_ONLY' },
    ]);
    const saharaKey = await createKey({ brandId: brand.sahara.id, name: 'Sahara CRM', scopes: ['plans:read'] });
    const revoke = 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }';
    expect((await t.gql(revoke, { id: saharaKey.apiKey.id }, split)).errors?.map((e) => e.extensions?.code)).toEqual([
      'FORBIDDEN',
    ]);
    const atlasOnly = await staffWith(t, 'keys-atlas@brokerdeck.test', [{ brandId: brand.atlas.id, role: 'ADMIN' }]);
    expect(
      (await t.gql(revoke, { id: saharaKey.apiKey.id }, atlasOnly)).errors?.map((e) => e.extensions?.code),
    ).toEqual(['NOT_FOUND']);
    expect(
      (await t.gql(create, { input: { ...input, brandId: brand.sahara.id } }, atlasOnly)).errors?.map(
        (e) => e.extensions?.code,
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await t.sql('SELECT revoked_at FROM api_key WHERE id = $1', [saharaKey.apiKey.id])).toEqual([
      { revoked_at: null },
    ]);

    const bad = await t.gql(
      create,
      { input: { brandId: brand.atlas.id, name: '', scopes: ['accounts:write'], ratePerMinute: 0 } },
      admin,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields?.map((f) => f.path.join('.')).sort()).toEqual([
      'input.name',
      'input.ratePerMinute',
      'input.scopes',
    ]);
  });
});
