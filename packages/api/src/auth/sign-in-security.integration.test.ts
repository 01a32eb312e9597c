import { totpCode } from './totp';
import { TEST_ADMIN, TEST_OWNER, TEST_OWNER_TOTP_SECRET } from '../test/constants';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.stop());

const SIGN_IN = `mutation($input: SignInInput!) {
  signIn(input: $input) { token me { email totpEnrollmentRequired } }
}`;
type SignIn = { signIn: { token: string; me: { email: string; totpEnrollmentRequired: boolean } } };
const signIn = (input: Record<string, unknown>) => t.gql<SignIn>(SIGN_IN, { input });
const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;
const staffId = async (email: string) =>
  (await t.sql<{ id: string }>('SELECT id FROM staff_user WHERE email = $1', [email]))[0]!.id;
const auditOf = (operation: string, targetId: string) =>
  t.sql<{ actor_kind: string; changes: Record<string, unknown> }>(
    'SELECT actor_kind, changes FROM audit_entry WHERE operation = $1 AND target_id = $2 ORDER BY id',
    [operation, targetId],
  );
/** Lets the sign-in throttle's window pass for everyone: moves attempts and locks 16 minutes back. */
const timePasses = async () => {
  await t.sql("UPDATE staff_login_attempt SET at = at - interval '16 minutes'");
  await t.sql(
    "UPDATE staff_login_lock SET locked_at = locked_at - interval '16 minutes', locked_until = locked_until - interval '16 minutes'",
  );
};

describe('lockout after repeated failures', () => {
  afterAll(timePasses);

  it('locks an email for 15 minutes after 5 failures, refuses the right password meanwhile, and audits it all', async () => {
    const adminId = await staffId(TEST_ADMIN.email);
    for (let i = 1; i <= 4; i++) {
      const result = await signIn({ email: TEST_ADMIN.email, password: `wrong-${i}` });
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
    }
    const fifth = await signIn({ email: TEST_ADMIN.email, password: 'wrong-5' });
    expect(fifth.errors?.[0]?.extensions).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const retryAfter = fifth.errors?.[0]?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Locked: the right password does not get in, and opens no session.
    const right = await signIn(TEST_ADMIN);
    expect(codeOf(right)).toBe('ACCOUNT_LOCKED');
    expect(await t.sql('SELECT count(*)::int AS n FROM staff_session WHERE staff_id = $1', [adminId])).toEqual([
      { n: 0 },
    ]);

    const failures = await auditOf('signInFailed', adminId);
    expect(failures).toHaveLength(6);
    expect(failures.every((f) => f.actor_kind === 'ANONYMOUS')).toBe(true);
    expect(failures[0]!.changes).toEqual({ email: [null, TEST_ADMIN.email], reason: [null, 'password'] });
    expect(failures[5]!.changes).toMatchObject({ reason: [null, 'locked'] });
    expect(await auditOf('accountLocked', adminId)).toHaveLength(1);

    // Fifteen minutes later (moved in the database) the right password works again.
    await timePasses();
    const later = await signIn(TEST_ADMIN);
    expect(later.data?.signIn.me.email).toBe(TEST_ADMIN.email);
    const [entry] = await t.sql<{ actor_kind: string; actor_label: string }>(
      "SELECT actor_kind, actor_label FROM audit_entry WHERE operation = 'signIn' ORDER BY id DESC LIMIT 1",
    );
    expect(entry).toEqual({ actor_kind: 'STAFF', actor_label: TEST_ADMIN.email });
  });

  it('locks an unknown email the same way, so a lockout tells nothing about which emails exist', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(codeOf(await signIn({ email: 'ghost@brokerdeck.test', password: 'x' })));
    expect(results).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'ACCOUNT_LOCKED',
    ]);
    expect(codeOf(await signIn({ email: 'ghost@brokerdeck.test', password: 'x' }))).toBe('ACCOUNT_LOCKED');
  });

  it('caps failed attempts per IP address with RATE_LIMITED and a retry-after', async () => {
    await timePasses();
    for (let i = 0; i < 30; i++) {
      // Different emails, so no single email locks: only the address is over its budget.
      expect(codeOf(await signIn({ email: `spray-${i}@brokerdeck.test`, password: 'guess' }))).toBe('UNAUTHENTICATED');
    }
    const refused = await signIn(TEST_ADMIN);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    await timePasses();
    expect((await signIn(TEST_ADMIN)).data?.signIn.me.email).toBe(TEST_ADMIN.email);
  });
});

describe('two-factor sign-in', () => {
  beforeAll(timePasses);

  it('asks an owner with TOTP for the code, refuses a wrong one and a replayed one', async () => {
    const required = await signIn(TEST_OWNER);
    expect(codeOf(required)).toBe('TOTP_REQUIRED');
    // A missing code is not a failed attempt.
    expect(
      await t.sql(
        "SELECT count(*)::int AS n FROM staff_login_attempt WHERE email = $1 AND NOT succeeded AND at > now() - interval '1 minute'",
        [TEST_OWNER.email],
      ),
    ).toEqual([{ n: 0 }]);

    const wrong = await signIn({
      ...TEST_OWNER,
      totpCode: '000000' === totpCode(TEST_OWNER_TOTP_SECRET) ? '111111' : '000000',
    });
    expect(wrong.errors?.[0]).toMatchObject({
      message: 'The two-factor code is not correct',
      extensions: { code: 'UNAUTHENTICATED' },
    });

    const code = totpCode(TEST_OWNER_TOTP_SECRET);
    const ok = await signIn({ ...TEST_OWNER, totpCode: code });
    expect(ok.data?.signIn.me).toEqual({ email: TEST_OWNER.email, totpEnrollmentRequired: false });
    const replay = await signIn({ ...TEST_OWNER, totpCode: code });
    expect(codeOf(replay)).toBe('UNAUTHENTICATED');
  });

  it('enrolls TOTP (secret sealed at rest), then signs in with a recovery code exactly once', async () => {
    const token = await staffWith(t, 'two-factor@brokerdeck.test', [{ brandId: null, role: 'SUPPORT' }]);
    const begun = await t.gql<{ beginTotpEnrollment: { secret: string; otpauthUri: string } }>(
      'mutation { beginTotpEnrollment { secret otpauthUri } }',
      {},
      token,
    );
    const { secret, otpauthUri } = begun.data!.beginTotpEnrollment;
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Brokerdeck:two-factor%40brokerdeck\.test\?secret=[A-Z2-7]+&/);
    const bad = await t.gql('mutation { confirmTotpEnrollment(code: "123") }', {}, token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const confirmed = await t.gql<{ confirmTotpEnrollment: string[] }>(
      'mutation($code: String!) { confirmTotpEnrollment(code: $code) }',
      { code: totpCode(secret) },
      token,
    );
    const codes = confirmed.data!.confirmTotpEnrollment;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    // At rest: the secret sealed, the recovery codes only as hashes.
    const [row] = await t.sql<{ totp_secret: string; totp_pending_secret: string | null }>(
      "SELECT totp_secret, totp_pending_secret FROM staff_user WHERE email = 'two-factor@brokerdeck.test'",
    );
    expect(row!.totp_secret).toMatch(/^v1\./);
    expect(row!.totp_secret).not.toContain(secret);
    expect(row!.totp_pending_secret).toBeNull();
    const stored = await t.sql<{ code_hash: string }>('SELECT code_hash FROM staff_recovery_code');
    expect(stored.some((r) => codes.includes(r.code_hash))).toBe(false);
    expect(
      (await t.gql<{ myTwoFactor: unknown }>('{ myTwoFactor { enabled recoveryCodesLeft } }', {}, token)).data
        ?.myTwoFactor,
    ).toEqual({ enabled: true, recoveryCodesLeft: 10 });

    const credentials = { email: 'two-factor@brokerdeck.test', password: 'staff-test-password' };
    expect(codeOf(await signIn(credentials))).toBe('TOTP_REQUIRED');
    const withRecovery = await signIn({ ...credentials, recoveryCode: codes[3]!.toUpperCase() });
    expect(withRecovery.data?.signIn.me.email).toBe(credentials.email);
    const again = await signIn({ ...credentials, recoveryCode: codes[3] });
    expect(again.errors?.[0]?.message).toBe('The recovery code is not correct or was used');

    const id = await staffId(credentials.email);
    expect((await auditOf('confirmTotpEnrollment', id))[0]?.changes).toEqual({
      twoFactor: ['off', 'on'],
      codesIssued: [null, 10],
    });

    // Turning it off needs a current code that was not used yet: the enrollment's code is a replay.
    const replayed = await t.gql(
      'mutation($code: String!) { disableTotp(code: $code) }',
      { code: totpCode(secret) },
      token,
    );
    expect(codeOf(replayed)).toBe('BAD_USER_INPUT');
    const next = totpCode(secret, new Date(Date.now() + 30_000));
    const off = await t.gql('mutation($code: String!) { disableTotp(code: $code) }', { code: next }, token);
    expect(off.data).toEqual({ disableTotp: true });
    expect((await signIn(credentials)).data?.signIn.me.email).toBe(credentials.email);
    expect(await auditOf('disableTotp', id)).toHaveLength(1);
  });

  it('gives an OWNER without TOTP a session that can only enroll, and unlocks it once enrolled', async () => {
    const token = await staffWith(t, 'new-owner@brokerdeck.test', [{ brandId: null, role: 'OWNER' }]);
    const me = await t.gql<{ me: { totpEnrollmentRequired: boolean } }>('{ me { totpEnrollmentRequired } }', {}, token);
    expect(me.data?.me.totpEnrollmentRequired).toBe(true);
    for (const query of [
      '{ brands { id } }',
      '{ mySessions { id } }',
      '{ staffMembers { id } }',
      'mutation { disableTotp(code: "123456") }',
    ]) {
      const refused = await t.gql(query, {}, token);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'TOTP_ENROLLMENT_REQUIRED' });
    }
    const begun = await t.gql<{ beginTotpEnrollment: { secret: string } }>(
      'mutation { beginTotpEnrollment { secret } }',
      {},
      token,
    );
    const secret = begun.data!.beginTotpEnrollment.secret;
    await t.gql('mutation($code: String!) { confirmTotpEnrollment(code: $code) }', { code: totpCode(secret) }, token);
    const brands = await t.gql<{ brands: unknown[] }>('{ brands { id } }', {}, token);
    expect(brands.data?.brands.length).toBeGreaterThanOrEqual(2);
  });
});

describe('sessions', () => {
  beforeAll(timePasses);

  const SESSIONS = '{ mySessions { id current userAgent } }';
  type Sessions = { mySessions: { id: string; current: boolean }[] };

  it('lists my sessions with the current one marked, revokes another at once (HTTP and WebSocket), and audits it', async () => {
    const first = await staffWith(t, 'sessions@brokerdeck.test', [{ brandId: null, role: 'READ_ONLY' }]);
    const second = await t.signIn('sessions@brokerdeck.test', 'staff-test-password');
    const listed = (await t.gql<Sessions>(SESSIONS, {}, first)).data!.mySessions;
    expect(listed).toHaveLength(2);
    const current = listed.find((s) => s.current)!;
    const other = listed.find((s) => !s.current)!;

    // The second session has a WebSocket open; it works before the revoke.
    const socket = t.ws(second);
    const before = nextMessages<{ me: { email: string } | null }>(socket, '{ me { email } }', {}, 1);
    expect((await before.done)[0]?.data?.me?.email).toBe('sessions@brokerdeck.test');

    const revoked = await t.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: other.id }, first);
    expect(revoked.data).toEqual({ revokeSession: true });
    expect(codeOf(await t.gql('{ brands { id } }', {}, second))).toBe('UNAUTHENTICATED');
    const after = nextMessages<{ me: unknown }>(socket, '{ me { email } }', {}, 1);
    expect((await after.done)[0]?.data?.me).toBeNull();
    const refused = nextMessages(socket, '{ brands { id } }', {}, 1);
    expect(JSON.stringify((await refused.done)[0]?.errors)).toContain('UNAUTHENTICATED');

    expect((await t.gql<Sessions>(SESSIONS, {}, first)).data!.mySessions.map((s) => s.id)).toEqual([current.id]);
    const [entry] = await auditOf('revokeSession', other.id);
    expect(entry?.changes).toMatchObject({ revoked: [false, true] });
  });

  it("hides another member's sessions from a non-owner (NOT_FOUND) and shows them to the owner", async () => {
    const victim = await staffWith(t, 'victim@brokerdeck.test', [{ brandId: null, role: 'SUPPORT' }]);
    const victimSession = (await t.gql<Sessions>(SESSIONS, {}, victim)).data!.mySessions[0]!.id;
    const other = await staffWith(t, 'other@brokerdeck.test', [{ brandId: null, role: 'ADMIN' }]);
    const attempt = await t.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: victimSession }, other);
    expect(codeOf(attempt)).toBe('NOT_FOUND');
    const victimId = await staffId('victim@brokerdeck.test');
    expect(codeOf(await t.gql('query($s: ID!) { staffSessions(staffId: $s) { id } }', { s: victimId }, other))).toBe(
      'FORBIDDEN',
    );

    const owner = await t.signIn();
    const seen = await t.gql<{ staffSessions: { id: string }[] }>(
      'query($s: ID!) { staffSessions(staffId: $s) { id } }',
      { s: victimId },
      owner,
    );
    expect(seen.data?.staffSessions.map((s) => s.id)).toEqual([victimSession]);
    expect((await t.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: victimSession }, owner)).data).toEqual({
      revokeSession: true,
    });
    expect(codeOf(await t.gql('{ me { email } brands { id } }', {}, victim))).toBe('UNAUTHENTICATED');
  });

  it('audits sign-out', async () => {
    const token = await staffWith(t, 'leaver@brokerdeck.test', [{ brandId: null, role: 'READ_ONLY' }]);
    await t.gql('mutation { signOut }', {}, token);
    const [row] = await t.sql<{ actor_label: string }>(
      "SELECT actor_label FROM audit_entry WHERE operation = 'signOut' ORDER BY id DESC LIMIT 1",
    );
    expect(row?.actor_label).toBe('leaver@brokerdeck.test');
  });
});
