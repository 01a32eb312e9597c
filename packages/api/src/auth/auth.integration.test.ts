import { createHash } from 'node:crypto';
import { TEST_ADMIN, TEST_OWNER } from '../test/constants';
import { nextMessages, startTestApi, type TestApi } from '../test/harness';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.stop());

const SIGN_IN =
  'mutation($input: SignInInput!) { signIn(input: $input) { token me { email grants { role brandId } } } }';

describe('staff sign-in', () => {
  it('refuses a wrong password without saying whether the email exists, and opens no session', async () => {
    for (const email of [TEST_OWNER.email, 'nobody@brokerdeck.test']) {
      const result = await t.gql(SIGN_IN, { input: { email, password: 'wrong-password' } });
      expect(result.errors?.[0]).toMatchObject({
        message: 'Email or password is not correct',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(await t.sql('SELECT count(*)::int AS n FROM staff_session')).toEqual([{ n: 0 }]);
  });

  it('rejects a malformed email as bad input at its field', async () => {
    const result = await t.gql(SIGN_IN, { input: { email: 'not-an-email', password: 'x' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'email'] }],
    });
  });

  it('signs in with an httpOnly cookie that authenticates later requests, and signs out for good', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGN_IN, variables: { input: TEST_ADMIN } }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/bd_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { data } = (await response.json()) as { data: { signIn: { token: string } } };
    // Only a hash of the token is stored.
    const hash = createHash('sha256').update(data.signIn.token).digest('hex');
    expect(await t.sql('SELECT count(*)::int AS n FROM staff_session WHERE token_hash = $1', [hash])).toEqual([
      { n: 1 },
    ]);
    expect(
      await t.sql('SELECT count(*)::int AS n FROM staff_session WHERE token_hash = $1', [data.signIn.token]),
    ).toEqual([{ n: 0 }]);

    const withCookie = (query: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0]! },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data?: { me: { email: string } | null }; errors?: unknown[] }>);

    expect((await withCookie('{ me { email } }')).data?.me?.email).toBe(TEST_ADMIN.email);
    await withCookie('mutation { signOut }');
    expect((await withCookie('{ me { email } }')).data?.me).toBeNull();
    const afterwards = await t.gql('{ brands { slug } }', {}, data.signIn.token);
    expect(afterwards.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('authenticates a WebSocket connection by its connection parameters', async () => {
    const token = await t.signIn();
    const signedIn = nextMessages<{ me: { email: string } | null }>(t.ws(token), '{ me { email } }', {}, 1);
    expect((await signedIn.done)[0]?.data?.me?.email).toBe(TEST_OWNER.email);
    const anonymous = nextMessages<{ me: { email: string } | null }>(t.ws(), '{ me { email } }', {}, 1);
    expect((await anonymous.done)[0]?.data?.me).toBeNull();
    const refused = nextMessages(t.ws(), '{ brands { slug } }', {}, 1);
    const [message] = await refused.done;
    expect(JSON.stringify(message?.errors)).toContain('UNAUTHENTICATED');
  });
});
