import { inspect } from 'node:util';
import { withRetry } from '../retry';
import { passwordHash } from './auth';
import { Mt5Client, type Mt5ClientOptions, type Mt5Logger } from './client';
import { Mt5Error } from './errors';
import { FakeMt5Server } from './fake-server';

const PASSWORD = 'Sup3r$ecret-Mgr';

function collectingLogger(): Mt5Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn') };
}

describe('Mt5Client against the fake HTTPS server', () => {
  let fake: FakeMt5Server;
  const clients: Mt5Client[] = [];
  const client = (options: Partial<Mt5ClientOptions> = {}) => {
    const made = new Mt5Client({
      url: fake.url,
      managerLogin: fake.managerLogin,
      password: PASSWORD,
      ca: fake.ca,
      settings: { pingIntervalMs: 0, requestTimeoutMs: 2_000 },
      ...options,
    });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    fake = await FakeMt5Server.start({ password: PASSWORD });
    fake.addUser({ login: '500001', group: 'demo\\prop', balance: 10_000_00 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('authenticates once and sends every command over the same TLS connection', async () => {
    const before = { auth: fake.authentications, requests: fake.requests.length };
    const mt5 = client();
    const user = await mt5.call('user/get', { login: '500001' });
    await mt5.call('user/get', { login: '500001' });
    await mt5.call('test/access');
    expect(user.retcode).toBe(0);
    expect(user.answer).toMatchObject({ Login: '500001', Balance: '10000.00' });
    expect(fake.authentications - before.auth).toBe(1);
    const mine = fake.requests.slice(before.requests);
    expect(mine.map((r) => r.command)).toEqual(['auth/start', 'auth/answer', 'user/get', 'user/get', 'test/access']);
    expect(new Set(mine.map((r) => r.connection)).size).toBe(1);
    expect(mine[0].params).toMatchObject({
      version: '484',
      agent: 'Brokerdeck',
      login: fake.managerLogin,
      type: 'manager',
    });
    expect(mt5.versions).toEqual({ access: '1290', trade: '4000' });
  });

  it('refuses a wrong password as an unretryable PLATFORM_UNAVAILABLE that names no secret', async () => {
    const logger = collectingLogger();
    const wrong = 'Wr0ng#Password';
    const mt5 = client({ password: wrong, logger });
    const refusedBefore = fake.refusedAuthentications;
    const error = (await mt5.call('user/get', { login: '500001' }).catch((e: unknown) => e)) as Mt5Error;
    expect(error).toBeInstanceOf(Mt5Error);
    expect(error).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: false, httpStatus: 403, retcode: 1001 });
    expect(fake.refusedAuthentications).toBe(refusedBefore + 1);
    const everything = [error.message, error.stack ?? '', JSON.stringify(error), inspect(error), ...logger.lines].join(
      '\n',
    );
    for (const secret of [wrong, PASSWORD, passwordHash(wrong).toString('hex')])
      expect(everything).not.toContain(secret);
  });

  it('refuses a server that cannot prove it knows the password (cli_rand_answer)', async () => {
    fake.impostor = true;
    try {
      const error = await client()
        .call('test/access')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: false });
      expect((error as Error).message).toMatch(/cli_rand_answer/);
    } finally {
      fake.impostor = false;
    }
  });

  it('the fake server enforces the 10-second window between auth/start and auth/answer', async () => {
    const slow = await FakeMt5Server.start({ password: PASSWORD, authWindowMs: 50 });
    try {
      slow.failNext('auth/answer', { kind: 'delay', ms: 150 });
      const mt5 = new Mt5Client({
        url: slow.url,
        managerLogin: slow.managerLogin,
        password: PASSWORD,
        ca: slow.ca,
        settings: { pingIntervalMs: 0 },
      });
      clients.push(mt5);
      await expect(mt5.call('test/access')).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retcode: 9 });
      expect(slow.authentications).toBe(0);
      await expect(mt5.call('test/access')).resolves.toMatchObject({ retcode: 0 });
    } finally {
      await slow.stop();
    }
  });

  it('does not trust an unknown certificate', async () => {
    const error = await client({ ca: undefined })
      .call('test/access')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: false });
    expect((error as Error).message).toMatch(/certificate/);
  });

  it('authenticates again when the connection drops', async () => {
    const mt5 = client();
    await mt5.call('test/access');
    fake.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(mt5.call('user/get', { login: '500001' })).resolves.toMatchObject({ retcode: 0 });
    expect(mt5.authentications).toBe(2);
  });

  it('authenticates again and resends once when the server forgot the session (HTTP 403)', async () => {
    const mt5 = client();
    await mt5.call('test/access');
    fake.failNext('user/get', { kind: 'expireSession' });
    await expect(mt5.call('user/get', { login: '500001' })).resolves.toMatchObject({ retcode: 0 });
    expect(mt5.authentications).toBe(2);
  });

  it('also when the server says so with retcode 8 on HTTP 200', async () => {
    const other = await FakeMt5Server.start({ password: PASSWORD, unauthenticated: 'RETCODE_8' });
    try {
      const mt5 = new Mt5Client({
        url: other.url,
        managerLogin: other.managerLogin,
        password: PASSWORD,
        ca: other.ca,
        settings: { pingIntervalMs: 0 },
      });
      clients.push(mt5);
      await mt5.call('test/access');
      other.failNext('test/access', { kind: 'expireSession' });
      await expect(mt5.call('test/access')).resolves.toMatchObject({ retcode: 0 });
      expect(mt5.authentications).toBe(2);
    } finally {
      await other.stop();
    }
  });

  it('keeps a session cookie when the server sets one (keepCookies)', async () => {
    const cookies = await FakeMt5Server.start({ password: PASSWORD, sessionCookie: true });
    try {
      const options = { url: cookies.url, managerLogin: cookies.managerLogin, password: PASSWORD, ca: cookies.ca };
      const withJar = new Mt5Client({ ...options, settings: { pingIntervalMs: 0 } });
      const withoutJar = new Mt5Client({ ...options, settings: { pingIntervalMs: 0, keepCookies: false } });
      clients.push(withJar, withoutJar);
      await expect(withJar.call('test/access')).resolves.toMatchObject({ retcode: 0 });
      await expect(withoutJar.call('test/access')).rejects.toMatchObject({
        code: 'PLATFORM_REJECTED',
        httpStatus: 403,
      });
    } finally {
      await cookies.stop();
    }
  });

  it('maps 5xx to a retryable PLATFORM_UNAVAILABLE, which withRetry gets past', async () => {
    const mt5 = client();
    fake.failNext('user/get', { kind: 'status', status: 503 });
    await expect(mt5.call('user/get', { login: '500001' })).rejects.toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
      retryable: true,
      httpStatus: 503,
    });
    fake.failNext('user/get', { kind: 'status', status: 503 }, 2);
    const answer = await withRetry(() => mt5.call('user/get', { login: '500001' }), { sleep: async () => {} });
    expect(answer.retcode).toBe(0);
  });

  it('maps error retcodes to PLATFORM_REJECTED with the retcode, transient ones to PLATFORM_UNAVAILABLE', async () => {
    const mt5 = client();
    await expect(mt5.call('user/get', { login: '999' })).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'UNKNOWN_ACCOUNT',
      retcode: 13,
      command: 'user/get',
    });
    fake.failNext('user/get', { kind: 'retcode', retcode: '12 Too frequent requests' });
    const busy = (await mt5.call('user/get', { login: '500001' }).catch((e: unknown) => e)) as Mt5Error;
    expect(busy).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retcode: 12, unsent: true });
    await expect(mt5.call('user/get', { login: '999' }, { accept: [13] })).resolves.toMatchObject({ retcode: 13 });
  });

  it('times out a silent server as PLATFORM_UNAVAILABLE and recovers on a new session', async () => {
    const mt5 = client({ settings: { pingIntervalMs: 0, requestTimeoutMs: 200 } });
    await mt5.call('test/access');
    fake.failNext('user/get', { kind: 'delay', ms: 600 });
    await expect(mt5.call('user/get', { login: '500001' })).rejects.toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
      retryable: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(mt5.call('user/get', { login: '500001' })).resolves.toMatchObject({ retcode: 0 });
  });

  it('pings a quiet connection so that the server does not close it', async () => {
    const idle = await FakeMt5Server.start({ password: PASSWORD, idleTimeoutMs: 600 });
    try {
      const options = { url: idle.url, managerLogin: idle.managerLogin, password: PASSWORD, ca: idle.ca };
      const pinging = new Mt5Client({ ...options, settings: { pingIntervalMs: 200 } });
      const silent = new Mt5Client({ ...options, settings: { pingIntervalMs: 0 } });
      clients.push(pinging, silent);
      await pinging.call('test/access');
      await silent.call('test/access');
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      await pinging.call('test/access');
      await silent.call('test/access');
      expect(pinging.authentications).toBe(1);
      expect(silent.authentications).toBe(2);
      expect(idle.commands().filter((c) => c === 'test/access').length).toBeGreaterThan(4);
    } finally {
      await idle.stop();
    }
  });

  it('never shows the password or its hash: not in logs, URLs, inspect or JSON', async () => {
    const logger = collectingLogger();
    const mt5 = client({ logger, settings: { pingIntervalMs: 0, requestTimeoutMs: 2_000 } });
    await mt5.call('user/get', { login: '500001' });
    fake.failNext('user/get', { kind: 'status', status: 500 });
    await mt5.call('user/get', { login: '500001' }).catch(() => undefined);
    const hash = passwordHash(PASSWORD).toString('hex');
    const everything = [
      inspect(mt5, { depth: 10 }),
      JSON.stringify(mt5),
      ...logger.lines,
      ...fake.requests.map((r) => r.url + r.body),
    ].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(hash);
    expect(logger.lines.some((l) => l.includes('mt5 session authenticated'))).toBe(true);
  });
});
