import { RIGHTS } from './settings';
import type { Mt5Platform } from './adapter';
import { FakeMt5Server } from './fake-server';
import { MANAGER_PASSWORD, platformFor } from './test-helpers';

/** The adapter's commands over real HTTPS against the fake MT5 server. */
describe('Mt5Platform commands', () => {
  let fake: FakeMt5Server;
  let mt5: Mt5Platform;
  let seq = 0;
  const id = (what: string) => `${what}-${++seq}`;

  beforeAll(async () => {
    fake = await FakeMt5Server.start({ password: MANAGER_PASSWORD });
  });
  beforeEach(() => {
    mt5 = platformFor(fake);
  });
  afterEach(async () => {
    await mt5.close();
    fake.dealer = { kind: 'execute' };
  });
  afterAll(async () => {
    await fake.stop();
  });

  async function newAccount(startingBalance = '100000.00') {
    return mt5.createAccount({
      commandId: id('create'),
      group: 'demo\\prop',
      leverage: 100,
      currency: 'USD',
      startingBalance,
      name: 'Jane Trader',
    });
  }

  it('creates an account: user/add with the passwords in the body, then the tagged starting balance', async () => {
    const from = fake.requests.length;
    const created = await newAccount();
    expect(created).toMatchObject({ platformId: created.login, server: 'Brokerdeck-MT5' });
    const user = fake.user(created.login);
    expect(user).toMatchObject({
      group: 'demo\\prop',
      leverage: 100,
      rights: RIGHTS.DEFAULT,
      name: 'Jane Trader',
      balance: 100_000_00,
    });
    expect(user.passMain).toBe(created.password);
    expect(user.passInvestor).toBe(created.investorPassword);
    expect(user.comment).toMatch(/^bdA\./);
    const deals = fake.dealsOf(created.login);
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ Action: '2', Profit: '100000.00' });
    expect(deals[0].Comment).toMatch(/^bdI\./);
    const sent = fake.requests.slice(from);
    expect(sent.map((r) => r.command)).toEqual(['auth/start', 'auth/answer', 'group/get', 'user/add', 'trade/balance']);
    const add = sent[3];
    expect(add.method).toBe('POST');
    expect(add.url).not.toContain(created.password);
    expect(JSON.parse(add.body)).toEqual({ PassMain: created.password, PassInvestor: created.investorPassword });
    expect(mt5.poller.logins()).toContain(created.login);
  });

  it('checks the group currency and maps MT5 refusals', async () => {
    await expect(
      mt5.createAccount({
        commandId: id('c'),
        group: 'demo\\eur',
        leverage: 100,
        currency: 'USD',
        startingBalance: '0',
      }),
    ).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', reason: 'INVALID_REQUEST' });
    await expect(
      mt5.createAccount({ commandId: id('c'), group: 'nope', leverage: 100, currency: 'USD', startingBalance: '0' }),
    ).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', retcode: 13 });
    const taken = await newAccount('0');
    await expect(
      mt5.createAccount({
        commandId: id('c'),
        login: taken.login,
        group: 'demo\\prop',
        leverage: 100,
        currency: 'USD',
        startingBalance: '0',
      }),
    ).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', reason: 'ACCOUNT_EXISTS', retcode: 3004 });
    await expect(
      mt5.createAccount({
        commandId: id('c'),
        group: 'demo\\prop',
        leverage: 900,
        currency: 'USD',
        startingBalance: '0',
      }),
    ).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', reason: 'INVALID_REQUEST', retcode: 3 });
  });

  it('reads the account: user/get for an account without trade state, trade state once it trades', async () => {
    const { login } = await newAccount();
    expect(await mt5.getAccount(login)).toEqual({
      login,
      group: 'demo\\prop',
      leverage: 100,
      currency: 'USD',
      mode: 'FULL',
      balance: '100000.00',
      equity: '100000.00',
      margin: '0.00',
      freeMargin: '100000.00',
      marginLevel: null,
      positions: [],
    });
    const ticket = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 1 });
    fake.setPrice('EURUSD', 1.086, 1.0861);
    const state = await mt5.getAccount(login);
    expect(state).toMatchObject({
      balance: '100000.00',
      equity: '100090.00',
      margin: '1085.10',
      marginLevel: '9224.03',
    });
    expect(state.positions).toEqual([
      expect.objectContaining({
        position: ticket,
        symbol: 'EURUSD',
        side: 'buy',
        volume: '1.00',
        openPrice: '1.08510',
        currentPrice: '1.08600',
        profit: '90.00',
        swap: '0.00',
      }),
    ]);
    fake.setPrice('EURUSD', 1.085, 1.0851);
    await expect(mt5.getAccount('999999')).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'UNKNOWN_ACCOUNT',
    });
  });

  it('moves money with trade/balance, the command tagged first in the comment', async () => {
    const { login } = await newAccount();
    const deposit = await mt5.balanceOperation({
      commandId: id('dep'),
      login,
      kind: 'DEPOSIT',
      amount: '2500.50',
      comment: 'wire 42',
    });
    const deal = fake.deals.find((d) => d.Deal === deposit.platformId);
    expect(deal).toMatchObject({ Login: login, Action: '2', Profit: '2500.50' });
    expect(deal?.Comment).toMatch(/^bdD\.[A-Za-z0-9_-]{12} wire 42$/);
    await mt5.balanceOperation({ commandId: id('pay'), login, kind: 'PAYOUT', amount: '-500.50' });
    await mt5.balanceOperation({ commandId: id('fix'), login, kind: 'CORRECTION', amount: '-1.00' });
    expect(fake.user(login).balance).toBe(101_999_00);
    expect(fake.dealsOf(login).map((d) => [d.Action, d.Comment.slice(0, 3)])).toEqual([
      ['2', 'bdI'],
      ['2', 'bdD'],
      ['2', 'bdP'],
      ['5', 'bdC'],
    ]);
    await expect(
      mt5.balanceOperation({ commandId: id('w'), login, kind: 'WITHDRAWAL', amount: '-999999.00' }),
    ).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'NOT_ENOUGH_MONEY',
      retcode: 10019,
    });
    await expect(
      mt5.balanceOperation({ commandId: id('w'), login, kind: 'WITHDRAWAL', amount: '10.00' }),
    ).rejects.toMatchObject({
      reason: 'INVALID_REQUEST',
    });
    await expect(
      mt5.balanceOperation({ commandId: id('w'), login: '424242', kind: 'DEPOSIT', amount: '10.00' }),
    ).rejects.toMatchObject({
      reason: 'UNKNOWN_ACCOUNT',
      retcode: 13,
    });
  });

  it('sets the trading mode through the rights bits, read-modify-write', async () => {
    const { login } = await newAccount('0');
    fake.user(login).rights |= RIGHTS.OTP_ENABLED;
    await mt5.setTradingMode({ commandId: id('m'), login, mode: 'CLOSE_ONLY' });
    expect(fake.user(login).rights).toBe(RIGHTS.DEFAULT | RIGHTS.OTP_ENABLED | RIGHTS.TRADE_DISABLED);
    expect((await mt5.getAccount(login)).mode).toBe('CLOSE_ONLY');
    await mt5.setTradingMode({ commandId: id('m'), login, mode: 'DISABLED' });
    expect(fake.user(login).rights & RIGHTS.ENABLED).toBe(0);
    expect((await mt5.getAccount(login)).mode).toBe('DISABLED');
    await mt5.setTradingMode({ commandId: id('m'), login, mode: 'FULL' });
    expect(fake.user(login).rights).toBe(RIGHTS.DEFAULT | RIGHTS.OTP_ENABLED);
    const update = fake.requests.filter((r) => r.command === 'user/update').at(-1);
    expect(update?.params).toEqual({ login, rights: String(RIGHTS.DEFAULT | RIGHTS.OTP_ENABLED) });
  });

  it('changes leverage and group, refusing what MT5 silently ignored', async () => {
    const { login } = await newAccount('0');
    await expect(mt5.changeLeverage({ commandId: id('l'), login, leverage: 200 })).resolves.toEqual({
      commandId: `l-${seq}`,
      platformId: login,
    });
    expect(fake.user(login).leverage).toBe(200);
    await expect(mt5.changeLeverage({ commandId: id('l'), login, leverage: 1000 })).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'INVALID_REQUEST',
    });
    expect(fake.user(login).leverage).toBe(200);
    await mt5.changeGroup({ commandId: id('g'), login, group: 'demo\\funded' });
    expect(fake.user(login).group).toBe('demo\\funded');
    await expect(mt5.changeGroup({ commandId: id('g'), login, group: 'demo\\missing' })).rejects.toMatchObject({
      reason: 'INVALID_REQUEST',
    });
    const moved = fake.requests
      .filter((r) => r.command === 'user/update')
      .find((r) => r.params.group === 'demo\\funded');
    expect(moved?.url).toContain('group=demo%5Cfunded');
  });

  it('resets both passwords without putting them in a URL', async () => {
    const created = await newAccount('0');
    const reset = await mt5.resetPassword({ commandId: id('pw'), login: created.login });
    expect(reset.password).not.toBe(created.password);
    expect(fake.user(created.login)).toMatchObject({ passMain: reset.password, passInvestor: reset.investorPassword });
    const calls = fake.requests.filter((r) => r.command === 'user/change_password').slice(-2);
    expect(calls.map((r) => JSON.parse(r.body))).toEqual([
      { Login: created.login, Type: 'main', Password: reset.password },
      { Login: created.login, Type: 'investor', Password: reset.investorPassword },
    ]);
    for (const call of calls) expect(call.url).not.toContain(reset.password);
  });

  it('closes a position with a dealer request and reads its final result', async () => {
    const { login } = await newAccount();
    const position = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 0.5 });
    fake.setPrice('EURUSD', 1.0871, 1.0872);
    const closed = await mt5.closePosition({ commandId: id('close'), login, position });
    expect(fake.positions.has(position)).toBe(false);
    expect(closed.deals).toHaveLength(1);
    const out = fake.deals.find((d) => d.Deal === closed.deals[0]);
    expect(out).toMatchObject({ PositionID: position, Entry: '1', Action: '1', Price: '1.08710', Profit: '100.00' });
    expect(out?.Comment).toMatch(/^bdX\./);
    const send = fake.requests.filter((r) => r.command === 'dealer/send_request').at(-1);
    expect(JSON.parse(send?.body ?? '{}')).toMatchObject({
      Action: '200',
      Login: login,
      Symbol: 'EURUSD',
      Volume: '5000',
      Type: '1',
      Position: position,
      PriceOrder: '1.08710',
      Digits: '5',
      TypeFill: '0',
    });
    expect(closed.platformId).toMatch(/^\d+$/); // the dealer request's ID
    expect(fake.requests.filter((r) => r.command === 'dealer/get_request_result').length).toBeGreaterThanOrEqual(2);
    fake.setPrice('EURUSD', 1.085, 1.0851);
  });

  it('refuses to close what is not open, and passes on the dealer’s refusal with its retcode', async () => {
    const { login } = await newAccount();
    await expect(mt5.closePosition({ commandId: id('c'), login, position: '123456' })).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'UNKNOWN_POSITION',
    });
    const position = fake.openPosition({ login, symbol: 'XAUUSD', side: 'sell', lots: 0.1 });
    fake.dealer = { kind: 'reject', retcode: 10018 };
    await expect(mt5.closePosition({ commandId: id('c'), login, position })).rejects.toMatchObject({
      code: 'PLATFORM_REJECTED',
      reason: 'MARKET_CLOSED',
      retcode: 10018,
    });
    expect(fake.positions.has(position)).toBe(true);
  });

  it('closes all positions of an account', async () => {
    const { login } = await newAccount();
    const a = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 1 });
    const b = fake.openPosition({ login, symbol: 'XAUUSD', side: 'sell', lots: 0.2 });
    const closed = await mt5.closeAllPositions({ commandId: id('all'), login });
    expect(closed.deals).toHaveLength(2);
    expect(closed.deals.map((d) => fake.deals.find((x) => x.Deal === d)?.PositionID)).toEqual([a, b]);
    expect(closed.platformId.split(',')).toHaveLength(2);
    expect((await mt5.getAccount(login)).positions).toEqual([]);
    await expect(mt5.closeAllPositions({ commandId: id('all'), login })).resolves.toMatchObject({
      deals: [],
      platformId: 'none',
    });
  });

  it('reports itself as an mt5 platform with a clock and no instruments unless configured', async () => {
    expect(mt5.kind).toBe('mt5');
    expect(mt5.server).toBe('Brokerdeck-MT5');
    expect(Math.abs(mt5.clock.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(await mt5.listInstruments()).toEqual([]);
  });
});
