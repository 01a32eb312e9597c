import { TEST_ADMIN } from '../test/constants';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';
import { staffWith } from '../test/staff';

let t: TestApi;
let owner: string;
let atlas: string;
let sahara: string;
beforeAll(async () => {
  t = await startTestApi();
  owner = await t.signIn();
  const brands = await t.sql<{ id: string; slug: string }>('SELECT id, slug FROM brand');
  atlas = brands.find((b) => b.slug === 'atlas')!.id;
  sahara = brands.find((b) => b.slug === 'sahara')!.id;
});
afterAll(() => t.stop());

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;
const INVITE = `mutation($input: InviteStaffInput!) {
  inviteStaff(input: $input) { id email status totpEnabled grants { brandId role } }
}`;
const OUTBOX = '{ outbox { recipient template subject body brandId } }';
type Outbox = { outbox: { recipient: string; template: string; body: string; brandId: string | null }[] };
const signIn = (email: string, password: string) =>
  t.gql<{ signIn: { token: string } }>('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
    i: { email, password },
  });
const linkToken = (body: string, kind: 'invite' | 'reset') => {
  const match = body.match(new RegExp(`(https?://[^\\s]+)/admin/${kind}/([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${kind} link in ${body}`);
  return { origin: match[1], token: match[2]! };
};
const auditRows = (operation: string, targetId: string) =>
  t.sql<{ actor_label: string | null; changes: Record<string, [unknown, unknown]> }>(
    'SELECT actor_label, changes FROM audit_entry WHERE operation = $1 AND target_id = $2 ORDER BY id',
    [operation, targetId],
  );

describe('inviting staff', () => {
  it('invites by email through the outbox (no brand, owners only), accepts with a password, then signs in', async () => {
    const invited = await t.gql<{ inviteStaff: { id: string; status: string; grants: unknown[] } }>(
      INVITE,
      {
        input: {
          email: 'New.Analyst@Brokerdeck.test',
          name: 'New Analyst',
          grants: [
            { brandId: atlas, role: 'RISK_MANAGER' },
            { brandId: sahara, role: 'READ_ONLY' },
          ],
        },
      },
      owner,
    );
    expect(invited.data?.inviteStaff).toMatchObject({ status: 'INVITED', email: 'new.analyst@brokerdeck.test' });
    const id = invited.data!.inviteStaff.id;

    const outbox = await t.gql<Outbox>(OUTBOX, {}, owner);
    const message = outbox.data!.outbox.find((m) => m.recipient === 'new.analyst@brokerdeck.test')!;
    expect(message).toMatchObject({ template: 'staff.invite', brandId: null });
    const { origin, token } = linkToken(message.body, 'invite');
    // The request's origin (no PUBLIC_URL in tests).
    expect(origin).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
    // Only the token's hash is stored, and it is in no audit entry.
    expect(await t.sql('SELECT count(*)::int AS n FROM staff_token WHERE token_hash = $1', [token])).toEqual([
      { n: 0 },
    ]);
    expect(
      await t.sql('SELECT count(*)::int AS n FROM audit_entry WHERE changes::text LIKE $1', [`%${token}%`]),
    ).toEqual([{ n: 0 }]);
    const [inviteAudit] = await auditRows('inviteStaff', id);
    expect(inviteAudit?.actor_label).toBe('owner@brokerdeck.test');
    expect(inviteAudit?.changes.grants).toEqual([null, [`READ_ONLY@${sahara}`, `RISK_MANAGER@${atlas}`].sort()]);

    // The brandless outbox is the owner's; an admin of both brands is refused.
    const admin = await t.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    expect(codeOf(await t.gql(OUTBOX, {}, admin))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(INVITE, { input: { email: 'x@y.test', name: 'X', grants: [] } }, admin))).toBe(
      'FORBIDDEN',
    );

    // Before accepting there is no password to sign in with.
    expect(codeOf(await signIn('new.analyst@brokerdeck.test', ''))).toBe('BAD_USER_INPUT');
    const short = await t.gql('mutation($t: String!) { acceptStaffInvite(token: $t, password: "short") }', {
      t: token,
    });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['password'] }] });
    const accepted = await t.gql(
      'mutation($t: String!) { acceptStaffInvite(token: $t, password: "a long analyst password", name: "Ana Lyst") }',
      { t: token },
    );
    expect(accepted.data).toEqual({ acceptStaffInvite: true });
    const reused = await t.gql('mutation($t: String!) { acceptStaffInvite(token: $t, password: "another long one") }', {
      t: token,
    });
    expect(codeOf(reused)).toBe('BAD_USER_INPUT');

    const session = await signIn('new.analyst@brokerdeck.test', 'a long analyst password');
    const me = await t.gql<{ me: { name: string; grants: { brandId: string; role: string }[] } }>(
      '{ me { name grants { brandId role } } }',
      {},
      session.data!.signIn.token,
    );
    expect(me.data?.me.name).toBe('Ana Lyst');
    expect(me.data?.me.grants).toEqual(
      expect.arrayContaining([
        { brandId: atlas, role: 'RISK_MANAGER' },
        { brandId: sahara, role: 'READ_ONLY' },
      ]),
    );
    expect((await auditRows('acceptStaffInvite', id))[0]?.changes).toMatchObject({ name: ['New Analyst', 'Ana Lyst'] });
  });

  it('refuses a duplicate email, an unknown brand and an unknown role at their fields', async () => {
    const duplicate = await t.gql(
      INVITE,
      { input: { email: TEST_ADMIN.email, name: 'Again', grants: [{ brandId: atlas, role: 'ADMIN' }] } },
      owner,
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      fields: [{ path: ['input', 'email'] }],
    });
    const bad = await t.gql(
      INVITE,
      {
        input: {
          email: 'bad@brokerdeck.test',
          name: 'Bad',
          grants: [{ brandId: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' }],
        },
      },
      owner,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'grants', '0', 'brandId'] }],
    });
    const role = await t.gql(
      INVITE,
      { input: { email: 'bad@brokerdeck.test', name: 'Bad', grants: [{ brandId: atlas, role: 'EMPEROR' }] } },
      owner,
    );
    expect(role.errors?.[0]?.extensions).toMatchObject({ fields: [{ path: ['input', 'grants', '0', 'role'] }] });
  });
});

describe('grants and deactivation', () => {
  it('changes grants with an audited diff; the member’s next request already has the new roles', async () => {
    const member = await staffWith(t, 'grants@brokerdeck.test', [{ brandId: atlas, role: 'READ_ONLY' }]);
    const id = (await t.sql<{ id: string }>("SELECT id FROM staff_user WHERE email = 'grants@brokerdeck.test'"))[0]!.id;
    const changed = await t.gql<{ setStaffGrants: { grants: unknown[] } }>(
      'mutation($id: ID!, $g: [RoleGrantInput!]!) { setStaffGrants(staffId: $id, grants: $g) { grants { brandId role } } }',
      { id, g: [{ brandId: atlas, role: 'MARKETING' }] },
      owner,
    );
    expect(changed.data?.setStaffGrants.grants).toEqual([{ brandId: atlas, role: 'MARKETING' }]);
    const me = await t.gql<{ me: { grants: unknown[] } }>('{ me { grants { brandId role } } }', {}, member);
    expect(me.data?.me.grants).toEqual([{ brandId: atlas, role: 'MARKETING' }]);
    expect((await auditRows('setStaffGrants', id))[0]?.changes).toEqual({
      grants: [[`READ_ONLY@${atlas}`], [`MARKETING@${atlas}`]],
    });
  });

  it('deactivates a member: their open session stops at once, also on a WebSocket, and they cannot sign in', async () => {
    const member = await staffWith(t, 'leaving@brokerdeck.test', [{ brandId: atlas, role: 'SUPPORT' }]);
    const id = (await t.sql<{ id: string }>("SELECT id FROM staff_user WHERE email = 'leaving@brokerdeck.test'"))[0]!
      .id;
    const socket = t.ws(member);
    expect((await nextMessages<{ me: unknown }>(socket, '{ me { email } }', {}, 1).done)[0]?.data?.me).toBeTruthy();

    const done = await t.gql<{ deactivateStaff: { status: string } }>(
      'mutation($id: ID!) { deactivateStaff(staffId: $id) { status } }',
      { id },
      owner,
    );
    expect(done.data?.deactivateStaff.status).toBe('DEACTIVATED');
    expect(codeOf(await t.gql('{ brands { id } }', {}, member))).toBe('UNAUTHENTICATED');
    expect((await nextMessages<{ me: unknown }>(socket, '{ me { email } }', {}, 1).done)[0]?.data?.me).toBeNull();
    expect(codeOf(await signIn('leaving@brokerdeck.test', 'staff-test-password'))).toBe('UNAUTHENTICATED');
    expect((await auditRows('deactivateStaff', id))[0]?.changes).toEqual({
      status: ['ACTIVE', 'DEACTIVATED'],
      sessionsRevoked: [null, 1],
    });
    const list = await t.gql<{ staffMembers: { email: string; status: string }[] }>(
      '{ staffMembers { email status } }',
      {},
      owner,
    );
    expect(list.data?.staffMembers.find((m) => m.email === 'leaving@brokerdeck.test')?.status).toBe('DEACTIVATED');
  });

  it('keeps at least one active owner, and an owner cannot deactivate themself', async () => {
    const ownerId = (await t.sql<{ id: string }>("SELECT id FROM staff_user WHERE email = 'owner@brokerdeck.test'"))[0]!
      .id;
    expect(
      codeOf(await t.gql('mutation($id: ID!) { deactivateStaff(staffId: $id) { id } }', { id: ownerId }, owner)),
    ).toBe('CONFLICT');
    const demote = await t.gql(
      'mutation($id: ID!, $g: [RoleGrantInput!]!) { setStaffGrants(staffId: $id, grants: $g) { id } }',
      { id: ownerId, g: [{ brandId: atlas, role: 'ADMIN' }] },
      owner,
    );
    expect(demote.errors?.[0]).toMatchObject({
      message: 'This is the last active owner',
      extensions: { code: 'CONFLICT' },
    });
  });
});

describe('password reset', () => {
  it('answers the same for unknown emails, mails a link to members, and ends their sessions on reset', async () => {
    const before = (await t.gql<Outbox>(OUTBOX, {}, owner)).data!.outbox.length;
    const unknown = await t.gql('mutation { requestStaffPasswordReset(email: "nobody@brokerdeck.test") }');
    expect(unknown.data).toEqual({ requestStaffPasswordReset: true });
    expect((await t.gql<Outbox>(OUTBOX, {}, owner)).data!.outbox.length).toBe(before);

    const session = await staffWith(t, 'forgetful@brokerdeck.test', [{ brandId: atlas, role: 'SUPPORT' }]);
    const known = await t.gql('mutation { requestStaffPasswordReset(email: "Forgetful@brokerdeck.test") }');
    expect(known).toEqual(unknown);
    const message = (await t.gql<Outbox>(OUTBOX, {}, owner)).data!.outbox.find(
      (m) => m.recipient === 'forgetful@brokerdeck.test',
    )!;
    expect(message.template).toBe('staff.reset-password');
    const { token } = linkToken(message.body, 'reset');

    const weak = await t.gql('mutation($t: String!) { resetStaffPassword(token: $t, newPassword: "123456789") }', {
      t: token,
    });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['newPassword'] }] });
    const reset = await t.gql(
      'mutation($t: String!) { resetStaffPassword(token: $t, newPassword: "a brand new password") }',
      { t: token },
    );
    expect(reset.data).toEqual({ resetStaffPassword: true });
    expect(codeOf(await t.gql('{ brands { id } }', {}, session))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn('forgetful@brokerdeck.test', 'staff-test-password'))).toBe('UNAUTHENTICATED');
    expect((await signIn('forgetful@brokerdeck.test', 'a brand new password')).data?.signIn.token).toBeTruthy();
    const again = await t.gql(
      'mutation($t: String!) { resetStaffPassword(token: $t, newPassword: "yet another password") }',
      { t: token },
    );
    expect(codeOf(again)).toBe('BAD_USER_INPUT');

    const id = (await t.sql<{ id: string }>("SELECT id FROM staff_user WHERE email = 'forgetful@brokerdeck.test'"))[0]!
      .id;
    const [entry] = await auditRows('resetStaffPassword', id);
    expect(entry?.changes).toEqual({ passwordHash: ['[redacted]', '[redacted]'], sessionsRevoked: [null, 1] });
    expect(await auditRows('requestStaffPasswordReset', id)).toHaveLength(1);
  });

  it('refuses an expired reset link', async () => {
    await staffWith(t, 'late@brokerdeck.test', [{ brandId: atlas, role: 'SUPPORT' }]);
    await t.gql('mutation { requestStaffPasswordReset(email: "late@brokerdeck.test") }');
    const message = (await t.gql<Outbox>(OUTBOX, {}, owner)).data!.outbox.find(
      (m) => m.recipient === 'late@brokerdeck.test',
    )!;
    const { token } = linkToken(message.body, 'reset');
    await t.sql("UPDATE staff_token SET expires_at = now() - interval '1 second' WHERE purpose = 'RESET'");
    const reset = await t.gql(
      'mutation($t: String!) { resetStaffPassword(token: $t, newPassword: "a brand new password") }',
      { t: token },
    );
    expect(reset.errors?.[0]).toMatchObject({ message: 'This link is not valid or has expired' });
  });
});
