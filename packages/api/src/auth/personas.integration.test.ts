import type { GraphQLField } from 'graphql';
import { staffWith } from '../test/staff';
import { startTestApi, type TestApi } from '../test/harness';
import { documentFor as document, rootOperations, sampleArguments } from '../test/schema-operations';
import type { StaffRole } from './auth.entity';
import { type BrandOf, type OperationRule, PERMISSIONS } from './permissions';
import { API_SCOPES, type ApiScope } from './viewer';

/**
 * The generated authorization test: every query, mutation and subscription of the committed
 * schema, called as each persona — anonymous, a trader, staff of another brand, READ_ONLY staff,
 * an API key without the scope, and a persona the rule allows — with arguments that point at real
 * objects of the atlas brand. What each persona must get follows from the operation's rule in
 * the permission table, so a new operation is covered the moment it has a rule (and the schema
 * test fails until it has one). Refused calls must change nothing.
 */
const operations = rootOperations;

/** Calls that end the caller's own session: made last, on a session of their own. */
const ENDS_SESSION = new Set(['Mutation.signOut', 'Mutation.traderSignOut']);

type Fixtures = Record<BrandOf['via'], string>;

/** Sample arguments, with the argument the rule reads the brand from set to a real atlas object. */
function argumentsFor(field: GraphQLField<unknown, unknown>, rule: OperationRule, fixtures: Fixtures) {
  const variables = sampleArguments(field);
  if ('staff' in rule && rule.brand) {
    const path = rule.brand.arg.split('.');
    let target = variables;
    for (const key of path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = fixtures[rule.brand.via];
  }
  return variables;
}

type Persona = 'anonymous' | 'trader' | 'otherBrandStaff' | 'readOnly' | 'apiKeyWithoutScope' | 'allowed';
const PERSONAS: Persona[] = ['anonymous', 'trader', 'otherBrandStaff', 'readOnly', 'apiKeyWithoutScope', 'allowed'];
/** What a persona must get: a refusal code, or ALLOWED (past authorisation: success or a non-authorisation error). */
type Outcome = 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

function expected(persona: Persona, rule: OperationRule): Outcome {
  if ('public' in rule) return 'ALLOWED';
  if (persona === 'anonymous') return 'UNAUTHENTICATED';
  if ('signedIn' in rule || persona === 'allowed') return 'ALLOWED';
  switch (persona) {
    case 'trader':
      return rule.trader ? 'ALLOWED' : 'FORBIDDEN';
    case 'apiKeyWithoutScope':
      return 'FORBIDDEN';
    case 'readOnly':
      return rule.staff.includes('READ_ONLY') ? 'ALLOWED' : 'FORBIDDEN';
    case 'otherBrandStaff':
      // ADMIN, but on sahara only: atlas's objects do not exist for them.
      if (rule.brand) return 'NOT_FOUND';
      return rule.staff.includes('ADMIN') ? 'ALLOWED' : 'FORBIDDEN';
  }
}

const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'TOTP_ENROLLMENT_REQUIRED']);

let t: TestApi;
let fixtures: Fixtures;
const tokens = new Map<string, string>();

/** A token for the persona, chosen for this operation's rule. */
async function tokenFor(
  persona: Persona,
  rule: OperationRule,
  atlas: string,
  sahara: string,
  fresh = false,
): Promise<string | undefined> {
  const cached = async (key: string, make: () => Promise<string>) => {
    if (fresh) return make();
    if (!tokens.has(key)) tokens.set(key, await make());
    return tokens.get(key)!;
  };
  switch (persona) {
    case 'anonymous':
      return undefined;
    case 'trader':
      return cached('trader', async () => {
        const input = {
          brandSlug: 'atlas',
          email: 'persona-trader@trader.test',
          password: 'trader-password-1',
          name: 'Persona',
        };
        await t.gql('mutation($input: TraderSignUpInput!) { traderSignUp(input: $input) { token } }', { input });
        const result = await t.gql<{ traderSignIn: { token: string } }>(
          'mutation { traderSignIn(brandSlug: "atlas", email: "persona-trader@trader.test", password: "trader-password-1") { token } }',
        );
        return result.data!.traderSignIn.token;
      });
    case 'otherBrandStaff':
      return cached('other', () => staffWith(t, 'persona-other@staff.test', [{ brandId: sahara, role: 'ADMIN' }]));
    case 'readOnly':
      return cached('readOnly', () =>
        staffWith(t, 'persona-readonly@staff.test', [{ brandId: atlas, role: 'READ_ONLY' }]),
      );
    case 'apiKeyWithoutScope': {
      const allowed = 'staff' in rule ? (rule.scopes ?? []) : [];
      const scope = API_SCOPES.find((s) => !allowed.includes(s))!;
      return cached(`key:${scope}`, () => apiKey(atlas, scope));
    }
    case 'allowed': {
      // Operations only traders call (their own data) are allowed for the trader.
      if ('staff' in rule && rule.staff.length === 0 && rule.trader)
        return tokenFor('trader', rule, atlas, sahara, fresh);
      if (!('staff' in rule))
        return cached('readOnly', () =>
          staffWith(t, 'persona-readonly@staff.test', [{ brandId: atlas, role: 'READ_ONLY' }]),
        );
      // Owners sign in with their second factor; any other role with a plain grant on atlas.
      const role = rule.staff.find((r) => r !== 'OWNER');
      if (!role) return cached('owner', () => t.signIn());
      return cached(`role:${role}`, () =>
        staffWith(t, `persona-${role.toLowerCase()}@staff.test`, [{ brandId: atlas, role: role as StaffRole }]),
      );
    }
  }
}

async function apiKey(brandId: string, scope: ApiScope): Promise<string> {
  const owner = tokens.get('owner') ?? (await t.signIn());
  tokens.set('owner', owner);
  const result = await t.gql<{ createApiKey: { key: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { brandId, name: `persona ${scope}`, scopes: [scope], ratePerMinute: 100000 } },
    owner,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createApiKey.key;
}

/** Runs one operation; subscriptions over WebSocket (an error at subscribe time, or a live stream). */
async function call(root: string, field: GraphQLField<unknown, unknown>, variables: object, token?: string) {
  const query = document(root, field);
  if (root !== 'Subscription') {
    const result = await t.gql(query, variables as Record<string, unknown>, token);
    return result.errors?.[0]?.extensions?.code ?? null;
  }
  const client = t.ws(token);
  try {
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 400);
      client.subscribe(
        { query, variables: variables as Record<string, unknown> },
        {
          next: (message) => {
            const code = (message.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
            if (code) {
              clearTimeout(timer);
              resolve(code);
            }
          },
          error: (error) => {
            clearTimeout(timer);
            const first = Array.isArray(error) ? error[0] : error;
            resolve((first as { extensions?: { code?: string } })?.extensions?.code ?? 'CLOSED');
          },
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** A digest of what refusals must leave alone: every audited change writes an audit entry. */
async function state() {
  const [row] = await t.sql<{ audits: number; digest: string }>(
    `SELECT (SELECT count(*)::int FROM audit_entry) AS audits,
            md5((SELECT coalesce(string_agg(b.id::text || b.name || b.status || b.updated_at::text, ','), '') FROM brand b)
             || (SELECT coalesce(string_agg(p.id::text || p.archived::text || p.position::text || p.updated_at::text, ','), '') FROM plan p)
             || (SELECT count(*)::text FROM plan_version) || (SELECT count(*)::text FROM platform_connection)
             || (SELECT count(*)::text FROM challenge_account) || (SELECT count(*)::text FROM staff_grant)) AS digest`,
  );
  return row;
}

beforeAll(async () => {
  t = await startTestApi();
  const [atlas] = await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'atlas'");
  const [sahara] = await t.sql<{ id: string }>("SELECT id FROM brand WHERE slug = 'sahara'");
  const [plan] = await t.sql<{ id: string; version: string }>(
    `SELECT p.id, (SELECT v.id FROM plan_version v WHERE v.plan_id = p.id ORDER BY v.created_at LIMIT 1) AS version
       FROM plan p WHERE p.brand_id = $1 ORDER BY p.created_at LIMIT 1`,
    [atlas!.id],
  );
  const [platform] = await t.sql<{ id: string }>('SELECT id FROM platform_connection WHERE brand_id = $1 LIMIT 1', [
    atlas!.id,
  ]);
  // An atlas challenge account: trader, platform account and account rows straight in the database.
  const [trader] = await t.sql<{ id: string }>(
    "INSERT INTO trader (id, brand_id, email, name) VALUES (gen_random_uuid(), $1, 'persona-owner@trader.test', 'Owner') RETURNING id",
    [atlas!.id],
  );
  const [account] = await t.sql<{ id: string }>(
    "INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), $1, $2, '9990001', 'USD') RETURNING id",
    [platform!.id, atlas!.id],
  );
  const [challenge] = await t.sql<{ id: string }>(
    `INSERT INTO challenge_account (id, brand_id, trader_id, plan_id, plan_version_id, phase_id, phase_index, phase_name, size_id,
                                    currency, initial_balance, platform_account_id, login, status, rules)
     SELECT gen_random_uuid(), $1, $2, v.plan_id, v.id, v.content->'phases'->0->>'id', 0, 'Challenge',
            v.content->'sizes'->0->>'id', 'USD', 100000, $3, '9990001', 'ACTIVE', v.content->'phases'->0->'rules'
       FROM plan_version v WHERE v.id = $4 RETURNING id`,
    [atlas!.id, trader!.id, account!.id, plan!.version],
  );
  fixtures = {
    brand: atlas!.id,
    plan: plan!.id,
    planVersion: plan!.version,
    platform: platform!.id,
    challengeAccount: challenge!.id,
  };
  (globalThis as { sahara?: string }).sahara = sahara!.id;
}, 60_000);
afterAll(() => t.stop());

/**
 * Calls that change what the others see come last, each undone by the next (an archived brand
 * signs its traders out), then the calls that end the caller's session.
 */
const LAST = [
  'Mutation.archivePlan',
  'Mutation.restorePlan',
  'Mutation.archiveBrand',
  'Mutation.restoreBrand',
  'Mutation.signOut',
  'Mutation.traderSignOut',
];
const ordered = [...operations].sort((a, b) => LAST.indexOf(a.name) - LAST.indexOf(b.name));

describe.each(PERSONAS)('every operation as %s', (persona) => {
  it.each(ordered.map((op) => [op.name, op] as const))('%s', async (name, { root, field }) => {
    const rule = PERMISSIONS[name];
    expect(rule).toBeDefined();
    const must = expected(persona, rule!);
    const sahara = (globalThis as { sahara?: string }).sahara!;
    // A call that ends the caller's session gets a session of its own, so the shared one lives on.
    const token = await tokenFor(persona, rule!, fixtures.brand, sahara, ENDS_SESSION.has(name));
    const before = must === 'ALLOWED' ? null : await state();
    const code = await call(root, field, argumentsFor(field, rule!, fixtures), token);
    if (must === 'ALLOWED') {
      expect({ name, code: code && REFUSALS.has(code) ? code : 'ALLOWED' }).toEqual({ name, code: 'ALLOWED' });
    } else {
      expect({ name, code }).toEqual({ name, code: must });
      expect(await state()).toEqual(before);
    }
  });
});
