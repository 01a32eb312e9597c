import { SimulatedPlatform } from '../platform/simulator/simulator';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';
import { DEMO_TRADER_PASSWORD, demoTraderEmail } from './seed-traders';

/**
 * Traders through the real API on a real database: sign-up per brand, the verification and reset
 * links the outbox carries, the lockout, sessions, the profile, and "own data only".
 */
let t: TestApi;
let staffToken: string;
const brands: Record<string, { id: string }> = {};

beforeAll(async () => {
  t = await startTestApi();
  staffToken = await t.signIn();
  for (const row of await t.sql<{ id: string; slug: string }>('SELECT id, slug FROM brand')) {
    brands[row.slug] = { id: row.id };
  }
});
afterAll(() => t.stop());

const PROFILE = 'id email name brandSlug locale timeZone emailVerified';
const SIGN_UP = `mutation($input: TraderSignUpInput!) { traderSignUp(input: $input) { token trader { ${PROFILE} } } }`;
const SIGN_IN = `mutation($brandSlug: String!, $email: String!, $password: String!) {
  traderSignIn(brandSlug: $brandSlug, email: $email, password: $password) { token expiresAt trader { ${PROFILE} } } }`;
const ME = `{ traderMe { ${PROFILE} } }`;

interface Profile {
  id: string;
  email: string;
  name: string;
  brandSlug: string;
  locale: string;
  timeZone: string;
  emailVerified: boolean;
}

async function signUp(brandSlug: string, email: string, extra: Record<string, unknown> = {}) {
  const result = await t.gql<{ traderSignUp: { token: string; trader: Profile } }>(SIGN_UP, {
    input: { brandSlug, email, password: 'correct-horse-battery', name: 'Test Trader', ...extra },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.traderSignUp;
}

const signIn = (brandSlug: string, email: string, password = 'correct-horse-battery') =>
  t.gql<{ traderSignIn: { token: string; trader: Profile } }>(SIGN_IN, { brandSlug, email, password });

/** The newest email to this address, and the token in its link. */
async function lastEmail(recipient: string, template: string) {
  const [message] = await t.sql<{ brand_id: string; locale: string; subject: string; body: string }>(
    `SELECT brand_id, locale, subject, body FROM outbound_message WHERE recipient = $1 AND template = $2
      ORDER BY created_at DESC LIMIT 1`,
    [recipient, template],
  );
  if (!message) throw new Error(`no ${template} email to ${recipient}`);
  const link = /https?:\/\/\S+\/(?:verify|reset)\/([\w-]+)(\?brand=\w+)?/.exec(message.body);
  return { ...message, link: link?.[0], token: link?.[1] ?? '' };
}

const codes = (result: { errors?: { extensions?: { code?: string } }[] }) =>
  result.errors?.map((e) => e.extensions?.code);

describe('signing up and verifying the email', () => {
  it('signs up unverified, emails a verification link in the trader language, and the link verifies once', async () => {
    const email = 'Layla@Example.test';
    const { token, trader } = await signUp('sahara', email, { locale: 'en', timeZone: 'Europe/London' });
    expect(trader).toMatchObject({
      email: 'layla@example.test',
      brandSlug: 'sahara',
      locale: 'en',
      timeZone: 'Europe/London',
      emailVerified: false,
    });
    expect(token.startsWith('bdt_')).toBe(true);

    const message = await lastEmail('layla@example.test', 'trader.verify-email');
    expect(message).toMatchObject({ brand_id: brands.sahara!.id, locale: 'en' });
    expect(message.subject).toContain('Sahara Markets');
    // The link opens sahara's portal: the test request came in on a shared origin, so the brand is named.
    expect(message.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify\/[\w-]{40,}\?brand=sahara$/);
    // Only the hash of the token is stored.
    expect(await t.sql('SELECT 1 FROM trader_token WHERE token_hash = $1', [message.token])).toEqual([]);

    const verify = 'mutation($token: String!) { verifyTraderEmail(token: $token) }';
    expect((await t.gql(verify, { token: message.token })).data).toEqual({ verifyTraderEmail: true });
    expect((await t.gql<{ traderMe: Profile }>(ME, {}, token)).data?.traderMe.emailVerified).toBe(true);
    // Single use.
    const again = await t.gql(verify, { token: message.token });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['token'] }] });

    const signedIn = await signIn('sahara', 'layla@example.test');
    expect(signedIn.data?.traderSignIn.trader).toMatchObject({ email: 'layla@example.test', emailVerified: true });
  });

  it('writes the verification email in the brand language by default (Arabic on sahara)', async () => {
    const { trader } = await signUp('sahara', 'omar@example.test');
    expect(trader).toMatchObject({ locale: 'ar', timeZone: 'Asia/Dubai' });
    const message = await lastEmail('omar@example.test', 'trader.verify-email');
    expect(message.locale).toBe('ar');
    expect(message.subject).toContain('أكّد');
  });

  it('resends the link on request (the previous one stops working), a few times at most', async () => {
    const { token } = await signUp('atlas', 'resend@example.test');
    const first = await lastEmail('resend@example.test', 'trader.verify-email');
    const RESEND = 'mutation { resendTraderVerification }';
    expect((await t.gql(RESEND, {}, token)).data).toEqual({ resendTraderVerification: true });
    const second = await lastEmail('resend@example.test', 'trader.verify-email');
    expect(second.token).not.toBe(first.token);
    expect((await t.gql(RESEND, {}, token)).data).toEqual({ resendTraderVerification: true });
    // Sign-up and two resends within ten minutes: the next one waits.
    const limited = await t.gql(RESEND, {}, token);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((limited.errors?.[0]?.extensions ?? {}) as { retryAfterSeconds?: number }).toMatchObject({
      retryAfterSeconds: expect.any(Number),
    });
    expect(
      Number((limited.errors?.[0]?.extensions as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds),
    ).toBeGreaterThan(500);
    const verify = 'mutation($token: String!) { verifyTraderEmail(token: $token) }';
    expect(codes(await t.gql(verify, { token: first.token }))).toEqual(['BAD_USER_INPUT']);
    const latest = await lastEmail('resend@example.test', 'trader.verify-email');
    expect((await t.gql(verify, { token: latest.token })).data).toEqual({ verifyTraderEmail: true });
    expect(codes(await t.gql(RESEND, {}, token))).toEqual(['CONFLICT']);
  });

  it('refuses an expired verification link', async () => {
    await signUp('atlas', 'late@example.test');
    const message = await lastEmail('late@example.test', 'trader.verify-email');
    await t.sql(
      "UPDATE trader_token SET expires_at = now() - interval '1 second' WHERE trader_id = (SELECT id FROM trader WHERE email = 'late@example.test')",
    );
    const result = await t.gql('mutation($token: String!) { verifyTraderEmail(token: $token) }', {
      token: message.token,
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await t.sql("SELECT email_verified_at FROM trader WHERE email = 'late@example.test'")).toEqual([
      { email_verified_at: null },
    ]);
  });

  it('rejects bad input at its field and stores nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM trader');
    const short = await t.gql(SIGN_UP, {
      input: { brandSlug: 'atlas', email: 'short@example.test', password: 'too-short', name: 'X' },
    });
    expect(short.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'password'] }],
    });
    const language = await t.gql(SIGN_UP, {
      input: { brandSlug: 'sahara', email: 'es@example.test', password: 'long-enough-pw', name: 'X', locale: 'es' },
    });
    expect(language.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'locale'] }],
    });
    const zone = await t.gql(SIGN_UP, {
      input: {
        brandSlug: 'atlas',
        email: 'tz@example.test',
        password: 'long-enough-pw',
        name: 'X',
        timeZone: 'Mars/Base',
      },
    });
    expect(zone.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'timeZone'] }],
    });
    expect(await t.sql('SELECT count(*)::int AS n FROM trader')).toEqual(before);
  });

  it('refuses a second sign-up with the same email on the same brand', async () => {
    await signUp('atlas', 'twice@example.test');
    const result = await t.gql(SIGN_UP, {
      input: { brandSlug: 'atlas', email: 'TWICE@example.test', password: 'another-password', name: 'Y' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ path: ['input', 'email'] }] });
  });
});

describe('one email, two brands', () => {
  it('is two separate traders, each signing in only on their own brand', async () => {
    const atlas = await signUp('atlas', 'both@example.test', { password: 'atlas-password-1' });
    const sahara = await signUp('sahara', 'both@example.test', { password: 'sahara-password-1' });
    expect(atlas.trader.id).not.toBe(sahara.trader.id);
    expect(
      await t.sql(
        "SELECT b.slug FROM trader t JOIN brand b ON b.id = t.brand_id WHERE t.email = 'both@example.test' ORDER BY 1",
      ),
    ).toEqual([{ slug: 'atlas' }, { slug: 'sahara' }]);
    expect((await signIn('atlas', 'both@example.test', 'atlas-password-1')).data?.traderSignIn.trader.id).toBe(
      atlas.trader.id,
    );
    // Sahara's password on atlas's portal is simply wrong there.
    expect(codes(await signIn('atlas', 'both@example.test', 'sahara-password-1'))).toEqual(['UNAUTHENTICATED']);
  });

  it("refuses a brand B trader on brand A's portal exactly like a wrong password or an unknown email", async () => {
    await signUp('sahara', 'only-sahara@example.test');
    const foreign = await signIn('atlas', 'only-sahara@example.test');
    const wrong = await signIn('sahara', 'only-sahara@example.test', 'wrong-password-1');
    const unknown = await signIn('atlas', 'nobody@example.test');
    for (const result of [foreign, wrong, unknown]) {
      expect(result.errors?.[0]).toMatchObject({
        message: 'Email or password is not correct',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    // Another brand's trader accumulates no failures on a brand they do not belong to.
    expect(
      await t.sql(
        `SELECT b.slug, t.failed_sign_ins FROM trader t JOIN brand b ON b.id = t.brand_id WHERE t.email = 'only-sahara@example.test'`,
      ),
    ).toEqual([{ slug: 'sahara', failed_sign_ins: 1 }]);
  });
});

describe('the lockout', () => {
  it('locks a trader for 15 minutes after 5 failures within 15 minutes, held in the database', async () => {
    const { trader } = await signUp('atlas', 'locked@example.test');
    for (let i = 1; i <= 4; i++) {
      expect(codes(await signIn('atlas', 'locked@example.test', `wrong-password-${i}`))).toEqual(['UNAUTHENTICATED']);
    }
    const fifth = await signIn('atlas', 'locked@example.test', 'wrong-password-5');
    expect(fifth.errors?.[0]?.extensions?.code).toBe('ACCOUNT_LOCKED');
    const retry = (fifth.errors?.[0]?.extensions as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // The right password does not help while locked.
    expect(codes(await signIn('atlas', 'locked@example.test'))).toEqual(['ACCOUNT_LOCKED']);
    const [row] = await t.sql<{ locked: boolean }>(
      "SELECT locked_until > now() + interval '14 minutes' AS locked FROM trader WHERE email = 'locked@example.test'",
    );
    expect(row?.locked).toBe(true);
    expect(
      await t.sql("SELECT actor_kind FROM audit_entry WHERE operation = 'traderLockedOut' AND target_id = $1", [
        trader.id,
      ]),
    ).toEqual([{ actor_kind: 'TRADER' }]);

    // Fifteen minutes later (moved in the database) the right password works and clears the count.
    await t.sql("UPDATE trader SET locked_until = now() - interval '1 second' WHERE email = 'locked@example.test'");
    expect((await signIn('atlas', 'locked@example.test')).data?.traderSignIn.trader.email).toBe('locked@example.test');
  });

  it('counts only failures within the 15-minute window', async () => {
    await signUp('atlas', 'slow@example.test');
    for (let i = 1; i <= 4; i++) await signIn('atlas', 'slow@example.test', `wrong-password-${i}`);
    await t.sql("UPDATE trader SET failed_since = now() - interval '16 minutes' WHERE email = 'slow@example.test'");
    expect(codes(await signIn('atlas', 'slow@example.test', 'wrong-password-5'))).toEqual(['UNAUTHENTICATED']);
    expect(await t.sql("SELECT failed_sign_ins FROM trader WHERE email = 'slow@example.test'")).toEqual([
      { failed_sign_ins: 1 },
    ]);
  });
});

describe('password reset', () => {
  const REQUEST = 'mutation($b: String!, $e: String!) { requestTraderPasswordReset(brandSlug: $b, email: $e) }';
  const RESET = 'mutation($t: String!, $p: String!) { resetTraderPassword(token: $t, newPassword: $p) }';

  it('answers the same for an unknown email and sends nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM outbound_message');
    expect((await t.gql(REQUEST, { b: 'atlas', e: 'ghost@example.test' })).data).toEqual({
      requestTraderPasswordReset: true,
    });
    expect(await t.sql('SELECT count(*)::int AS n FROM outbound_message')).toEqual(before);
  });

  it('emails a one-hour link that sets a new password, ends every session and lifts a lockout', async () => {
    const { token: firstSession } = await signUp('atlas', 'forgot@example.test', { locale: 'es' });
    const second = (await signIn('atlas', 'forgot@example.test')).data!.traderSignIn.token;
    for (let i = 1; i <= 5; i++) await signIn('atlas', 'forgot@example.test', `wrong-password-${i}`);

    expect((await t.gql(REQUEST, { b: 'atlas', e: 'forgot@example.test' })).data).toEqual({
      requestTraderPasswordReset: true,
    });
    const message = await lastEmail('forgot@example.test', 'trader.reset-password');
    expect(message.locale).toBe('es');
    expect(message.subject).toContain('Restablece');
    expect(message.link).toMatch(/\/reset\/[\w-]+\?brand=atlas$/);
    const [expiry] = await t.sql<{ minutes: number }>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes FROM trader_token
        WHERE purpose = 'RESET_PASSWORD' AND trader_id = (SELECT id FROM trader WHERE email = 'forgot@example.test')`,
    );
    expect(expiry?.minutes).toBe(60);

    const weak = await t.gql(RESET, { t: message.token, p: 'short' });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['newPassword'] }] });
    expect((await t.gql(RESET, { t: message.token, p: 'brand-new-password' })).data).toEqual({
      resetTraderPassword: true,
    });
    expect(codes(await t.gql(RESET, { t: message.token, p: 'another-new-password' }))).toEqual(['BAD_USER_INPUT']);

    for (const session of [firstSession, second]) {
      expect((await t.gql(ME, {}, session)).data).toEqual({ traderMe: null });
    }
    expect(codes(await signIn('atlas', 'forgot@example.test'))).toEqual(['UNAUTHENTICATED']);
    const signedIn = await signIn('atlas', 'forgot@example.test', 'brand-new-password');
    // The link came by email, so the address is verified too.
    expect(signedIn.data?.traderSignIn.trader.emailVerified).toBe(true);
  });

  it('lets a trader staff issued an account to (no password yet) claim it through the reset link', async () => {
    await t.sql(
      "INSERT INTO trader (id, brand_id, email, name) VALUES (gen_random_uuid(), $1, 'issued@example.test', 'Issued')",
      [brands.atlas!.id],
    );
    expect(codes(await signIn('atlas', 'issued@example.test', 'anything-at-all'))).toEqual(['UNAUTHENTICATED']);
    const taken = await t.gql(SIGN_UP, {
      input: { brandSlug: 'atlas', email: 'issued@example.test', password: 'attacker-password', name: 'Not me' },
    });
    expect(codes(taken)).toEqual(['CONFLICT']);
    await t.gql(REQUEST, { b: 'atlas', e: 'issued@example.test' });
    const { token } = await lastEmail('issued@example.test', 'trader.reset-password');
    await t.gql(RESET, { t: token, p: 'my-own-password' });
    expect((await signIn('atlas', 'issued@example.test', 'my-own-password')).data?.traderSignIn.trader.name).toBe(
      'Issued',
    );
  });
});

describe('sessions', () => {
  it('sets an httpOnly bd_trader cookie that only portal requests use, and signs out for good', async () => {
    await signUp('atlas', 'cookie@example.test');
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: SIGN_IN,
        variables: { brandSlug: 'atlas', email: 'cookie@example.test', password: 'correct-horse-battery' },
      }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^bd_trader=bdt_[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0]!;
    const call = (query: string, app?: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...(app ? { 'x-brokerdeck-app': app } : {}) },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data?: { traderMe: Profile | null } }>);

    expect((await call(ME, 'portal')).data?.traderMe?.email).toBe('cookie@example.test');
    // The admin (no portal header) reads the staff cookie only.
    expect((await call(ME)).data?.traderMe).toBeNull();
    await call('mutation { traderSignOut }', 'portal');
    expect((await call(ME, 'portal')).data?.traderMe).toBeNull();
  });

  it('authenticates a WebSocket by its connection parameters', async () => {
    const { token } = await signUp('atlas', 'socket@example.test');
    const me = nextMessages<{ traderMe: Profile | null }>(t.ws(token), ME, {}, 1);
    expect((await me.done)[0]?.data?.traderMe?.email).toBe('socket@example.test');
  });
});

describe('the profile', () => {
  const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { ${PROFILE} } }`;

  it('defaults to the brand language and zone, and changes them with an audit entry', async () => {
    const { token, trader } = await signUp('atlas', 'profile@example.test');
    expect(trader).toMatchObject({ locale: 'en', timeZone: 'Europe/Prague' });
    const updated = await t.gql<{ updateMyProfile: Profile }>(
      UPDATE,
      { input: { locale: 'ar', timeZone: 'America/New_York', name: 'Renamed Trader' } },
      token,
    );
    expect(updated.data?.updateMyProfile).toMatchObject({
      locale: 'ar',
      timeZone: 'America/New_York',
      name: 'Renamed Trader',
    });
    const [entry] = await t.sql<{ actor_kind: string; actor_id: string; changes: Record<string, unknown> }>(
      "SELECT actor_kind, actor_id, changes FROM audit_entry WHERE operation = 'updateMyProfile' AND target_id = $1",
      [trader.id],
    );
    expect(entry).toMatchObject({
      actor_kind: 'TRADER',
      actor_id: trader.id,
      changes: { locale: [null, 'ar'], timeZone: [null, 'America/New_York'], name: ['Test Trader', 'Renamed Trader'] },
    });
  });

  it('refuses a language the brand does not offer or a zone that is not IANA, and changes nothing', async () => {
    const { token, trader } = await signUp('sahara', 'strict@example.test');
    const before = await t.sql('SELECT name, locale, time_zone, updated_at FROM trader WHERE id = $1', [trader.id]);
    const language = await t.gql(UPDATE, { input: { locale: 'es', name: 'Changed' } }, token);
    expect(language.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'locale'] }],
    });
    const zone = await t.gql(UPDATE, { input: { timeZone: 'Europe/Atlantis', name: 'Changed' } }, token);
    expect(zone.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'timeZone'] }],
    });
    expect(await t.sql('SELECT name, locale, time_zone, updated_at FROM trader WHERE id = $1', [trader.id])).toEqual(
      before,
    );
    expect(
      await t.sql("SELECT 1 FROM audit_entry WHERE operation = 'updateMyProfile' AND target_id = $1", [trader.id]),
    ).toEqual([]);
  });

  it('is for traders only', async () => {
    expect((await t.gql(ME, {}, staffToken)).data).toEqual({ traderMe: null });
    expect(codes(await t.gql(UPDATE, { input: { name: 'x' } }, staffToken))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(UPDATE, { input: { name: 'x' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('own data only', () => {
  let atlasPlatform: string;
  let offer: { planId: string; sizeId: string };
  let demoToken: string;
  let demoAccount: { id: string; login: string };
  let otherAccount: { id: string };

  const issue = async (traderEmail: string) => {
    const result = await t.gql<{ issueChallengeAccount: { id: string; login: string } }>(
      'mutation($input: IssueAccountInput!) { issueChallengeAccount(input: $input) { id login } }',
      { input: { brandId: brands.atlas!.id, ...offer, traderEmail, traderName: 'Issued Trader' } },
      staffToken,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.issueChallengeAccount;
  };

  beforeAll(async () => {
    const [platform] = await t.sql<{ id: string }>('SELECT id FROM platform_connection WHERE brand_id = $1', [
      brands.atlas!.id,
    ]);
    atlasPlatform = platform!.id;
    t.api.platformRegistry.register(atlasPlatform, new SimulatedPlatform({ seed: 11, start: '2025-03-03T10:00:00Z' }));
    const [plan] = await t.sql<{ plan_id: string; size_id: string }>(
      `SELECT v.plan_id, s->>'id' AS size_id FROM plan_version v, jsonb_array_elements(v.content->'sizes') s
        WHERE v.brand_id = $1 AND v.status = 'PUBLISHED' AND s->>'balance' = '100000.00' LIMIT 1`,
      [brands.atlas!.id],
    );
    offer = { planId: plan!.plan_id, sizeId: plan!.size_id };
    demoAccount = await issue(demoTraderEmail('atlas'));
    otherAccount = await issue('someone-else@example.test');
    const demo = await signIn('atlas', demoTraderEmail('atlas'), DEMO_TRADER_PASSWORD);
    expect(demo.errors).toBeUndefined();
    demoToken = demo.data!.traderSignIn.token;
  });

  it('lists the trader their own accounts with status, phase, plan and figures', async () => {
    const result = await t.gql<{ myChallengeAccounts: { id: string; traderEmail: string }[] }>(
      '{ myChallengeAccounts { id status phaseName planName traderEmail initialBalance metrics { balance equity } } }',
      {},
      demoToken,
    );
    expect(result.errors).toBeUndefined();
    const mine = result.data!.myChallengeAccounts;
    expect(mine.map((a) => a.id)).toContain(demoAccount.id);
    expect(mine.map((a) => a.id)).not.toContain(otherAccount.id);
    expect(new Set(mine.map((a) => a.traderEmail))).toEqual(new Set([demoTraderEmail('atlas')]));
  });

  it("answers NOT_FOUND for another trader's account, on every way in", async () => {
    const own = await t.gql<{ challengeAccount: { id: string } }>(
      'query($id: ID!) { challengeAccount(id: $id) { id } }',
      { id: demoAccount.id },
      demoToken,
    );
    expect(own.data?.challengeAccount.id).toBe(demoAccount.id);
    for (const query of [
      'query($id: ID!) { challengeAccount(id: $id) { id } }',
      'query($id: ID!) { challengeTimeline(accountId: $id) { kind } }',
      'query($id: ID!) { equitySeries(accountId: $id) { equity } }',
    ]) {
      expect(codes(await t.gql(query, { id: otherAccount.id }, demoToken))).toEqual(['NOT_FOUND']);
    }
    const feed = nextMessages(
      t.ws(demoToken),
      'subscription($id: ID!) { accountMetrics(accountId: $id) { equity } }',
      { id: otherAccount.id },
      1,
    );
    expect(JSON.stringify((await feed.done)[0]?.errors)).toContain('NOT_FOUND');
  });

  it('streams live figures of the trader own account', async () => {
    const feed = nextMessages<{ accountMetrics: { accountId: string; equity: string } }>(
      t.ws(demoToken),
      'subscription($id: ID!) { accountMetrics(accountId: $id) { accountId equity } }',
      { id: demoAccount.id },
      1,
    );
    await new Promise((r) => setTimeout(r, 300));
    const response = await fetch(`${t.url}/ingest/${atlasPlatform}`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-ingest-token-not-for-production', 'content-type': 'application/x-ndjson' },
      body: JSON.stringify({
        eventId: 'own-1',
        login: demoAccount.login,
        at: '2025-03-03T09:00:00Z',
        type: 'equity',
        equity: '99250.00',
      }),
    });
    expect(await response.json()).toMatchObject({ accepted: 1, rejected: [] });
    await t.api.live.settle();
    const [message] = await feed.done;
    expect(message?.errors).toBeUndefined();
    expect(message?.data?.accountMetrics).toMatchObject({ accountId: demoAccount.id, equity: '99250.00' });
  });

  it('hides accounts until the email is verified', async () => {
    const { token } = await signUp('atlas', 'unverified-owner@example.test');
    const account = await issue('unverified-owner@example.test');
    const list = await t.gql<{ myChallengeAccounts: unknown[] }>('{ myChallengeAccounts { id } }', {}, token);
    expect(list.data?.myChallengeAccounts).toEqual([]);
    expect(
      codes(await t.gql('query($id: ID!) { challengeAccount(id: $id) { id } }', { id: account.id }, token)),
    ).toEqual(['NOT_FOUND']);
  });

  it('refuses staff operations to a trader with FORBIDDEN, and other brands with NOT_FOUND', async () => {
    for (const [query, variables] of [
      ['{ brands { id } }', {}],
      ['query($b: ID!) { challengeAccounts(brandId: $b) { id } }', { b: brands.atlas!.id }],
      ['query($b: ID!) { outbox(brandId: $b) { id } }', { b: brands.atlas!.id }],
      ['mutation($id: ID!) { archiveBrand(id: $id) { id } }', { id: brands.atlas!.id }],
      ['mutation($id: ID!) { approvePass(accountId: $id) { id } }', { id: demoAccount.id }],
    ] as const) {
      expect(codes(await t.gql(query, variables, demoToken))).toEqual(['FORBIDDEN']);
    }
    expect(await t.sql("SELECT status FROM brand WHERE slug = 'atlas'")).toEqual([{ status: 'ACTIVE' }]);
    const saharaTrader = (await signIn('sahara', demoTraderEmail('sahara'), DEMO_TRADER_PASSWORD)).data!.traderSignIn
      .token;
    expect(
      codes(await t.gql('query($id: ID!) { challengeAccount(id: $id) { id } }', { id: demoAccount.id }, saharaTrader)),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('the audit trail', () => {
  it('records sign-up, verification, sign-in and sign-out as the trader', async () => {
    const { token, trader } = await signUp('atlas', 'audited@example.test');
    const { token: link } = await lastEmail('audited@example.test', 'trader.verify-email');
    await t.gql('mutation($token: String!) { verifyTraderEmail(token: $token) }', { token: link });
    await signIn('atlas', 'audited@example.test');
    await t.gql('mutation { traderSignOut }', {}, token);
    const entries = await t.sql<{ operation: string; actor_kind: string; brand_id: string; changes: string }>(
      `SELECT operation, actor_kind, brand_id, changes::text AS changes FROM audit_entry WHERE actor_id = $1 ORDER BY id`,
      [trader.id],
    );
    expect(entries.map((e) => e.operation)).toEqual([
      'traderSignUp',
      'verifyTraderEmail',
      'traderSignIn',
      'traderSignOut',
    ]);
    expect(new Set(entries.map((e) => `${e.actor_kind} ${e.brand_id}`))).toEqual(
      new Set([`TRADER ${brands.atlas!.id}`]),
    );
    expect(entries[0]!.changes).not.toContain('correct-horse-battery');
  });
});
