import { inspect } from 'node:util';
import type { Mt5Platform } from './adapter';
import { passwordHash } from './auth';
import { FakeMt5Server } from './fake-server';
import { type CommandJournal, InMemoryCommandJournal, type JournalEntry } from './journal';
import { collectingLogger, MANAGER_PASSWORD, platformFor } from './test-helpers';

/**
 * Every command is idempotent by its commandId through the local journal; unsafe commands whose
 * outcome is unknown are reconciled (the tagged comment, the user comment, the position's state)
 * before anything is sent again.
 */
describe('Mt5Platform idempotency and failures', () => {
  let fake: FakeMt5Server;
  let journal: InMemoryCommandJournal;
  let shift = 0;
  const now = () => Date.now() + shift;
  const platforms: Mt5Platform[] = [];
  const platform = (options: Parameters<typeof platformFor>[1] = {}) => {
    const made = platformFor(fake, { journal, now, ...options });
    platforms.push(made);
    return made;
  };
  const count = (command: string, from: number) =>
    fake.requests.slice(from).filter((r) => r.command === command).length;
  let seq = 0;
  const id = (what: string) => `${what}-${++seq}`;

  beforeAll(async () => {
    fake = await FakeMt5Server.start({ password: MANAGER_PASSWORD });
  });
  beforeEach(() => {
    journal = new InMemoryCommandJournal();
    shift = 0;
  });
  afterEach(async () => {
    await Promise.all(platforms.splice(0).map((p) => p.close()));
    fake.dealer = { kind: 'execute' };
  });
  afterAll(async () => {
    await fake.stop();
  });

  const account = (balance = 10_000_00) => fake.addUser({ group: 'demo\\prop', balance }).login;

  it('the same commandId twice is one effect and one answer, for every command', async () => {
    const mt5 = platform();
    const from = fake.requests.length;
    const create = {
      commandId: id('create'),
      group: 'demo\\prop',
      leverage: 100,
      currency: 'USD',
      startingBalance: '5000.00',
    };
    const first = await mt5.createAccount(create);
    expect(await mt5.createAccount({ ...create })).toEqual(first);
    const { login } = first;
    const deposit = { commandId: id('dep'), login, kind: 'DEPOSIT' as const, amount: '100.00' };
    const receipt = await mt5.balanceOperation(deposit);
    expect(await mt5.balanceOperation({ ...deposit })).toEqual(receipt);
    const reset = { commandId: id('pw'), login };
    expect(await mt5.resetPassword(reset)).toEqual(await mt5.resetPassword(reset));
    const position = fake.openPosition({ login, symbol: 'EURUSD', side: 'sell', lots: 0.1 });
    const close = { commandId: id('close'), login, position };
    const closed = await mt5.closePosition(close);
    expect(await mt5.closePosition(close)).toEqual(closed);
    const mode = { commandId: id('mode'), login, mode: 'CLOSE_ONLY' as const };
    expect(await mt5.setTradingMode(mode)).toEqual(await mt5.setTradingMode(mode));

    expect(count('user/add', from)).toBe(1);
    expect(count('trade/balance', from)).toBe(2); // the starting balance and the deposit
    expect(count('user/change_password', from)).toBe(2);
    expect(count('dealer/send_request', from)).toBe(1);
    expect(count('user/update', from)).toBe(1);
    expect(fake.dealsOf(login).filter((d) => d.Action === '2')).toHaveLength(2);
    expect(fake.user(login).balance).toBe(
      5_100_00 + Number(fake.deals.find((d) => d.Deal === closed.deals[0])?.Profit) * 100,
    );
  });

  it('runs concurrent repeats once, and refuses a commandId reused for another command', async () => {
    const mt5 = platform();
    const login = account();
    const from = fake.requests.length;
    const command = { commandId: id('dep'), login, kind: 'DEPOSIT' as const, amount: '1.00' };
    const results = await Promise.all([
      mt5.balanceOperation(command),
      mt5.balanceOperation({ ...command }),
      mt5.balanceOperation({ ...command }),
    ]);
    expect(new Set(results.map((r) => r.platformId)).size).toBe(1);
    expect(count('trade/balance', from)).toBe(1);
    await expect(mt5.balanceOperation({ ...command, amount: '2.00' })).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'COMMAND_ID_REUSED',
    });
    await expect(mt5.changeLeverage({ commandId: command.commandId, login, leverage: 50 })).rejects.toMatchObject({
      reason: 'COMMAND_ID_REUSED',
    });
  });

  it('remembers a rejection: the repeat gets it without asking MT5 again', async () => {
    const mt5 = platform();
    const login = account(100_00);
    const command = { commandId: id('wd'), login, kind: 'WITHDRAWAL' as const, amount: '-5000.00' };
    await expect(mt5.balanceOperation(command)).rejects.toMatchObject({ reason: 'NOT_ENOUGH_MONEY', retcode: 10019 });
    const from = fake.requests.length;
    await expect(mt5.balanceOperation(command)).rejects.toMatchObject({ reason: 'NOT_ENOUGH_MONEY', retcode: 10019 });
    expect(fake.requests.length).toBe(from);
  });

  it('a balance operation whose answer was lost is found by its tagged comment, not sent again', async () => {
    const mt5 = platform();
    const login = account();
    const from = fake.requests.length;
    fake.failNext('trade/balance', { kind: 'dropAfter' });
    const command = { commandId: id('dep'), login, kind: 'DEPOSIT' as const, amount: '750.00', comment: 'card' };
    await expect(mt5.balanceOperation(command)).rejects.toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
      retryable: true,
    });
    expect(fake.user(login).balance).toBe(10_750_00); // it did happen
    const receipt = await mt5.balanceOperation(command);
    const deals = fake.dealsOf(login).filter((d) => d.Action === '2');
    expect(deals).toHaveLength(1);
    expect(receipt.platformId).toBe(deals[0].Deal);
    expect(count('trade/balance', from)).toBe(1);
    expect(count('deal/get_batch', from)).toBe(1);
  });

  it('a crash between sending a balance operation and recording it is resolved after restart by the tag', async () => {
    // The journal "dies" when the result is to be written: the process crashed after MT5 acted.
    class CrashingJournal implements CommandJournal {
      constructor(private readonly inner: CommandJournal) {}
      begin = (entry: JournalEntry) => this.inner.begin(entry);
      get = (commandId: string) => this.inner.get(commandId);
      progress = (commandId: string, p: Readonly<Record<string, string>>, at?: number) =>
        this.inner.progress(commandId, p, at);
      reject: CommandJournal['reject'] = (commandId, rejection) => this.inner.reject(commandId, rejection);
      complete = async () => {
        throw new Error('process killed');
      };
    }
    const login = account();
    const command = { commandId: id('payout'), login, kind: 'PAYOUT' as const, amount: '-1000.00' };
    const dying = platform({ journal: new CrashingJournal(journal) });
    await expect(dying.balanceOperation(command)).rejects.toBeDefined();
    expect((await journal.get(command.commandId))?.state).toBe('PENDING');
    await dying.close();

    const from = fake.requests.length;
    const restarted = platform(); // same journal store, new process
    const receipt = await restarted.balanceOperation(command);
    expect(count('trade/balance', from)).toBe(0);
    const payouts = fake.dealsOf(login).filter((d) => d.Comment.startsWith('bdP.'));
    expect(payouts).toHaveLength(1);
    expect(receipt.platformId).toBe(payouts[0].Deal);
    expect((await journal.get(command.commandId))?.state).toBe('DONE');
  });

  it('an attempt that left no trace is sent again only after the settle time', async () => {
    const mt5 = platform();
    const login = account();
    fake.failNext('trade/balance', { kind: 'drop' }); // cut before MT5 read it: nothing happened
    const command = { commandId: id('dep'), login, kind: 'DEPOSIT' as const, amount: '10.00' };
    await expect(mt5.balanceOperation(command)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    await expect(mt5.balanceOperation(command)).rejects.toThrow(/may still reach MT5.*retry in/);
    expect(fake.dealsOf(login)).toHaveLength(0);
    shift = 31_000;
    const receipt = await mt5.balanceOperation(command);
    expect(fake.dealsOf(login).map((d) => d.Deal)).toEqual([receipt.platformId]);
  });

  it('a transient retcode proves MT5 did not act: the repeat sends at once; unsafe sends are never retried inside', async () => {
    const mt5 = platform();
    const login = account();
    const from = fake.requests.length;
    fake.failNext('trade/balance', { kind: 'retcode', retcode: '10024 Too many requests' });
    const command = { commandId: id('dep'), login, kind: 'DEPOSIT' as const, amount: '10.00' };
    await expect(mt5.balanceOperation(command)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retcode: 10024 });
    expect(count('trade/balance', from)).toBe(1);
    await expect(mt5.balanceOperation(command)).resolves.toMatchObject({ commandId: command.commandId });
    expect(count('trade/balance', from)).toBe(2);
    fake.failNext('trade/balance', { kind: 'status', status: 503 });
    await expect(mt5.balanceOperation({ ...command, commandId: id('dep') })).rejects.toMatchObject({
      code: 'PLATFORM_UNAVAILABLE',
      httpStatus: 503,
    });
    expect(count('trade/balance', from)).toBe(3);
  });

  it('safe commands and reads are retried with back-off', async () => {
    const mt5 = platform();
    const login = account();
    fake.failNext('user/update', { kind: 'status', status: 503 }, 2);
    await expect(mt5.changeLeverage({ commandId: id('lev'), login, leverage: 30 })).resolves.toMatchObject({
      platformId: login,
    });
    expect(fake.user(login).leverage).toBe(30);
    fake.failNext('user/get', { kind: 'drop' });
    fake.failNext('user/account/get', { kind: 'status', status: 502 });
    await expect(mt5.getAccount(login)).resolves.toMatchObject({ login, leverage: 30 });
    fake.failNext('user/get', { kind: 'status', status: 503 }, 10);
    await expect(mt5.getAccount(login)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true });
  });

  it('an account whose user/add answer was lost is found by its tagged comment, with the same credentials', async () => {
    const mt5 = platform();
    const from = fake.requests.length;
    fake.failNext('user/add', { kind: 'dropAfter' });
    const command = {
      commandId: id('create'),
      group: 'demo\\funded',
      leverage: 50,
      currency: 'USD',
      startingBalance: '25000.00',
    };
    await expect(mt5.createAccount(command)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    const created = await mt5.createAccount(command);
    expect(count('user/add', from)).toBe(1);
    expect(count('user/logins', from)).toBe(1);
    expect(fake.user(created.login)).toMatchObject({
      passMain: created.password,
      group: 'demo\\funded',
      balance: 25_000_00,
    });
    expect(fake.dealsOf(created.login)).toHaveLength(1);
  });

  it('a close whose dealer answer was lost is resolved from the position and the deal history', async () => {
    const mt5 = platform();
    const login = account();
    const position = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 1 });
    const from = fake.requests.length;
    fake.failNext('dealer/send_request', { kind: 'dropAfter' });
    const command = { commandId: id('close'), login, position };
    await expect(mt5.closePosition(command)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    expect(fake.positions.has(position)).toBe(false);
    const closed = await mt5.closePosition(command);
    expect(count('dealer/send_request', from)).toBe(1);
    const out = fake.dealsOf(login).filter((d) => d.PositionID === position && d.Entry === '1');
    expect(closed.deals).toEqual(out.map((d) => d.Deal));
  });

  it('a close the dealer never answers stays unknown until the position says otherwise', async () => {
    const mt5 = platform({ settings: { requestResultTimeoutMs: 100 } });
    const login = account();
    const position = fake.openPosition({ login, symbol: 'EURUSD', side: 'sell', lots: 1 });
    fake.dealer = { kind: 'never' };
    const command = { commandId: id('close'), login, position };
    await expect(mt5.closePosition(command)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    await expect(mt5.closePosition(command)).rejects.toThrow(/retry in/);
    fake.dealer = { kind: 'execute' };
    shift = 31_000;
    const closed = await mt5.closePosition(command);
    expect(closed.deals).toHaveLength(1);
    expect(fake.positions.has(position)).toBe(false);
  });

  it('never lets the manager password (or its hash) into logs, errors, inspect or JSON', async () => {
    const logger = collectingLogger();
    const mt5 = platform({ logger });
    const login = account();
    const errors: unknown[] = [];
    fake.failNext('trade/balance', { kind: 'status', status: 503 });
    await mt5
      .balanceOperation({ commandId: id('d'), login, kind: 'DEPOSIT', amount: '1.00' })
      .catch((e: unknown) => errors.push(e));
    await mt5.getAccount('404404').catch((e: unknown) => errors.push(e));
    fake.dropConnections();
    await mt5.changeGroup({ commandId: id('g'), login, group: 'demo\\funded' });
    const wrong = platform({ logger, password: 'Wr0ng#Manager' });
    await wrong.getAccount(login).catch((e: unknown) => errors.push(e));
    expect(errors).toHaveLength(3);
    const text = [
      ...logger.lines,
      ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${inspect(e, { depth: 5 })}`),
      inspect(mt5, { depth: 10 }),
      JSON.stringify(mt5),
      ...fake.requests.map((r) => r.url + r.body),
    ].join('\n');
    for (const secret of [MANAGER_PASSWORD, 'Wr0ng#Manager', passwordHash(MANAGER_PASSWORD).toString('hex')]) {
      expect(text).not.toContain(secret);
    }
    expect(logger.lines.length).toBeGreaterThan(5);
  });
});
