import type { DealWireEvent, PlatformEvent } from '../platform';
import { withRetry } from '../retry';
import { SimulatedPlatform } from './simulator';

// Monday 08:00 UTC: FX, gold and DE40 are open; before the first tick every mid is the
// instrument's start price, so quotes are known: EURUSD 1.08496/1.08504, USDJPY 150.195/150.205.
const START = '2025-03-03T08:00:00Z';

async function platformWithAccount(group = 'sim\\prop') {
  const sim = new SimulatedPlatform({ seed: 7, start: START });
  const events: PlatformEvent[] = [];
  sim.subscribe((batch) => events.push(...batch));
  const account = await sim.createAccount({
    commandId: 'create-1',
    group,
    leverage: 100,
    currency: 'USD',
    startingBalance: '100000.00',
  });
  return { sim, events, login: account.login, account };
}

const deals = (events: PlatformEvent[]) => events.filter((e): e is DealWireEvent => e.type === 'deal');

describe('accounts and credentials', () => {
  it('hands out login, server and passwords, and reports the starting balance as equity', async () => {
    const { sim, events, account } = await platformWithAccount();
    expect(account).toMatchObject({
      commandId: 'create-1',
      platformId: '7000001',
      login: '7000001',
      server: 'Brokerdeck-Sim',
    });
    expect(account.password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,16}$/);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'equity',
        login: '7000001',
        equity: '100000.00',
        balance: '100000.00',
        margin: '0.00',
      }),
    ]);
    const reset = await sim.resetPassword({ commandId: 'reset-1', login: account.login });
    expect(reset.password).not.toBe(account.password);
    expect(reset.login).toBe(account.login);
  });
});

describe('margin and money', () => {
  it('margins a position at lots · contract size · price / leverage, converted to the account currency', async () => {
    const { sim, login } = await platformWithAccount();
    sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '1.00' });
    // 1 · 100 000 · 1.08504 / 100 USD
    expect((await sim.getAccount(login)).margin).toBe('1085.04');
    sim.terminalOpen({ login, symbol: 'USDJPY', side: 'buy', volume: '1.00' });
    // 1 · 100 000 · 150.205 / 100 = 150 205 JPY, at 1/150.2 USD per JPY = 1000.03 USD
    expect((await sim.getAccount(login)).margin).toBe('2085.07');
    sim.terminalOpen({ login, symbol: 'DE40', side: 'buy', volume: '1.00' });
    // 1 · 1 · 18 000.75 / 100 = 180.0075 EUR at EURUSD 1.085 = 195.31 USD
    expect((await sim.getAccount(login)).margin).toBe('2280.38');
  });

  it('caps leverage by the group: moving an account to ESMA caps raises its margin', async () => {
    const { sim, login } = await platformWithAccount();
    sim.terminalOpen({ login, symbol: 'DE40', side: 'buy', volume: '1.00' });
    expect((await sim.getAccount(login)).margin).toBe('195.31');
    await sim.changeGroup({ commandId: 'g-1', login, group: 'sim\\retail-esma' });
    // Indices capped at 1:20: 900.0375 EUR at 1.085
    expect((await sim.getAccount(login)).margin).toBe('976.54');
    await sim.changeLeverage({ commandId: 'l-1', login, leverage: 10 });
    expect((await sim.getAccount(login)).margin).toBe('1953.08');
  });

  it('books the spread and a per-lot commission on each deal, and reports equity after it', async () => {
    const { sim, events, login } = await platformWithAccount();
    const position = sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '1.00' });
    sim.terminalClose({ login, position });
    expect(
      deals(events).map(({ entry, side, price, profit, commission, swap, equity }) => ({
        entry,
        side,
        price,
        profit,
        commission,
        swap,
        equity,
      })),
    ).toEqual([
      {
        entry: 'in',
        side: 'buy',
        price: '1.08504',
        profit: '0.00',
        commission: '-3.50',
        swap: '0.00',
        equity: '99988.50',
      },
      {
        entry: 'out',
        side: 'sell',
        price: '1.08496',
        profit: '-8.00',
        commission: '-3.50',
        swap: '0.00',
        equity: '99985.00',
      },
    ]);
    expect((await sim.getAccount(login)).balance).toBe('99985.00');
  });

  it('refuses a position the free margin cannot carry', async () => {
    const { sim, login } = await platformWithAccount();
    expect(() => sim.terminalOpen({ login, symbol: 'XAUUSD', side: 'buy', volume: '50.00' })).toThrow(
      expect.objectContaining({ code: 'PLATFORM_REJECTED', reason: 'NOT_ENOUGH_MONEY' }),
    );
  });

  it('counts a JPY account in whole yen, converting through the simulated rates', async () => {
    const sim = new SimulatedPlatform({ seed: 7, start: START });
    const { login } = await sim.createAccount({
      commandId: 'jpy-1',
      group: 'sim\\prop',
      leverage: 100,
      currency: 'JPY',
      startingBalance: '15000000',
    });
    sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '1.00' });
    // 1085.04 USD at USDJPY 150.2; commission 3.50 USD = 525.7 yen
    expect(await sim.getAccount(login)).toMatchObject({ currency: 'JPY', margin: '162973', balance: '14999474' });
  });

  it('stops out, largest loss first and re-checking, when a broker cuts leverage under the positions', async () => {
    const { sim, events, login } = await platformWithAccount();
    sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '0.01' });
    sim.terminalOpen({ login, symbol: 'XAUUSD', side: 'buy', volume: '8.00' });
    sim.runFor(60_000);
    expect((await sim.getAccount(login)).positions).toHaveLength(2);
    // Gold's margin becomes 8 · 100 · 2350 / 5 = 376 000 against ~100 000 of equity (level ~26 %).
    await sim.changeLeverage({ commandId: 'lev-1', login, leverage: 5 });
    sim.runFor(60_000);
    // Gold, the larger loss (its spread alone is 8 · 100 · 0.25 = 200), goes first; then the level is fine.
    expect(deals(events).map((d) => `${d.entry} ${d.symbol}`)).toEqual(['in EURUSD', 'in XAUUSD', 'out XAUUSD']);
    expect((await sim.getAccount(login)).positions.map((p) => p.symbol)).toEqual(['EURUSD']);
  });

  it('charges three nights of swap at Wednesday’s rollover on FX, paid on the closing deal', async () => {
    const sim = new SimulatedPlatform({ seed: 7, start: '2025-03-05T21:00:00Z' });
    const events: PlatformEvent[] = [];
    sim.subscribe((batch) => events.push(...batch));
    const { login } = await sim.createAccount({
      commandId: 'c',
      group: 'g',
      leverage: 100,
      currency: 'USD',
      startingBalance: '100000.00',
    });
    const position = sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '1.00' });
    sim.advanceTo('2025-03-05T22:00:00Z');
    sim.terminalClose({ login, position });
    const swap = Number(deals(events).find((d) => d.entry === 'out')?.swap);
    // 100 000 EUR ≈ 108 500 USD at −2.5 % a year, 3/360 of it
    expect(swap).toBeCloseTo((-108_500 * 0.025 * 3) / 360, 0);
  });
});

describe('trading modes', () => {
  it('CLOSE_ONLY refuses a new position but lets the trader close', async () => {
    const { sim, login } = await platformWithAccount();
    const position = sim.terminalOpen({ login, symbol: 'EURUSD', side: 'sell', volume: '0.50' });
    await sim.setTradingMode({ commandId: 'mode-1', login, mode: 'CLOSE_ONLY' });
    expect(() => sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '0.10' })).toThrow(
      expect.objectContaining({ code: 'PLATFORM_REJECTED', reason: 'CLOSE_ONLY', retryable: false }),
    );
    expect(sim.terminalClose({ login, position })).toEqual(expect.any(String));
  });

  it('DISABLED refuses everything from the trader; the back office still flattens the account', async () => {
    const { sim, events, login } = await platformWithAccount();
    const position = sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '1.00' });
    sim.terminalOpen({ login, symbol: 'XAUUSD', side: 'sell', volume: '1.00' });
    await sim.setTradingMode({ commandId: 'mode-1', login, mode: 'DISABLED' });
    const refused = expect.objectContaining({ code: 'PLATFORM_REJECTED', reason: 'TRADING_DISABLED' });
    expect(() => sim.terminalOpen({ login, symbol: 'EURUSD', side: 'buy', volume: '0.10' })).toThrow(refused);
    expect(() => sim.terminalClose({ login, position })).toThrow(refused);

    const closed = await sim.closeAllPositions({ commandId: 'close-all-1', login });
    expect(closed.deals).toHaveLength(2);
    expect(
      deals(events)
        .filter((d) => d.entry === 'out')
        .map((d) => d.symbol),
    ).toEqual(['EURUSD', 'XAUUSD']);
    expect((await sim.getAccount(login)).positions).toEqual([]);
  });
});

describe('idempotent commands', () => {
  it('applies a repeated command once and returns the same result', async () => {
    const { sim, events, login } = await platformWithAccount();
    const command = { commandId: 'dep-1', login, kind: 'DEPOSIT' as const, amount: '2500.00' };
    const first = await sim.balanceOperation(command);
    const again = await sim.balanceOperation({ ...command });
    expect(again).toEqual(first);
    expect(events.filter((e) => e.type === 'balance')).toEqual([
      expect.objectContaining({ login, type: 'balance', amount: '2500.00', kind: 'DEPOSIT' }),
    ]);
    expect((await sim.getAccount(login)).balance).toBe('102500.00');
  });

  it('creates an account once per commandId, and refuses the id for a different command', async () => {
    const { sim, account } = await platformWithAccount();
    const repeat = await sim.createAccount({
      commandId: 'create-1',
      group: 'sim\\prop',
      leverage: 100,
      currency: 'USD',
      startingBalance: '100000.00',
    });
    expect(repeat).toEqual(account);
    expect(sim.accounts()).toHaveLength(1);
    await expect(
      sim.createAccount({
        commandId: 'create-1',
        group: 'sim\\prop',
        leverage: 50,
        currency: 'USD',
        startingBalance: '1.00',
      }),
    ).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', reason: 'COMMAND_ID_REUSED' });
  });

  it('answers a repeated rejected command with the same rejection', async () => {
    const { sim, login } = await platformWithAccount();
    const withdrawal = { commandId: 'wd-1', login, kind: 'WITHDRAWAL' as const, amount: '-200000.00' };
    await expect(sim.balanceOperation(withdrawal)).rejects.toMatchObject({ reason: 'NOT_ENOUGH_MONEY' });
    await sim.balanceOperation({ commandId: 'dep-1', login, kind: 'DEPOSIT', amount: '150000.00' });
    await expect(sim.balanceOperation(withdrawal)).rejects.toMatchObject({ reason: 'NOT_ENOUGH_MONEY' });
  });

  it('fails PLATFORM_UNAVAILABLE while unreachable, and a retry with the same id applies once', async () => {
    const { sim, events, login } = await platformWithAccount();
    sim.setReachable(false);
    await expect(sim.getAccount(login)).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE', retryable: true });
    let attempts = 0;
    const payout = withRetry(
      () => {
        attempts += 1;
        if (attempts === 3) sim.setReachable(true);
        return sim.balanceOperation({ commandId: 'payout-1', login, kind: 'PAYOUT', amount: '-1000.00' });
      },
      { sleep: async () => {} },
    );
    await expect(payout).resolves.toMatchObject({ commandId: 'payout-1' });
    expect(events.filter((e) => e.type === 'balance')).toHaveLength(1);
  });
});
