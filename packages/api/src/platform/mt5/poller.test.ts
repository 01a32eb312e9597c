import { checkWireEvent } from '../../ingestion/wire-event';
import type { DealWireEvent, PlatformEvent } from '../platform';
import type { Mt5Platform } from './adapter';
import { FakeMt5Server } from './fake-server';
import { MANAGER_PASSWORD, platformFor } from './test-helpers';

/** Polling deals and account state over HTTPS, mapped to wire events. */
describe('Mt5Poller against the fake HTTPS server', () => {
  const OFFSET = 7200; // the fake server keeps its wall clock two hours ahead of UTC
  let fake: FakeMt5Server;
  const platforms: Mt5Platform[] = [];
  const platform = (options: Parameters<typeof platformFor>[1] = {}) => {
    const made = platformFor(fake, { ...options, settings: { serverTimeOffsetSeconds: OFFSET, ...options.settings } });
    platforms.push(made);
    return made;
  };
  const deals = (events: readonly PlatformEvent[]) => events.filter((e): e is DealWireEvent => e.type === 'deal');
  const pause = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    fake = await FakeMt5Server.start({ password: MANAGER_PASSWORD, timeOffsetSeconds: OFFSET });
  });
  afterEach(async () => {
    await Promise.all(platforms.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('emits deals, balance operations, positions, quotes and equity, each once, in order', async () => {
    const mt5 = platform();
    const delivered: PlatformEvent[] = [];
    mt5.subscribe((batch) => delivered.push(...batch));
    const { login } = await mt5.createAccount({
      commandId: 'poll-create',
      group: 'demo\\prop',
      leverage: 100,
      currency: 'USD',
      startingBalance: '100000.00',
    });

    // 1. A new account: its starting balance is no balance operation; its equity comes from user/get.
    const first = await mt5.poller.pollOnce();
    expect(first.map((e) => e.type)).toEqual(['equity']);
    expect(first[0]).toMatchObject({
      login,
      type: 'equity',
      equity: '100000.00',
      balance: '100000.00',
      margin: '0.00',
    });

    // 2. A deposit and a trade.
    await mt5.balanceOperation({ commandId: 'poll-dep', login, kind: 'DEPOSIT', amount: '500.00' });
    await pause();
    const position = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 1.5, commission: -5.25 });
    const second = await mt5.poller.pollOnce();
    const depositDeal = fake.dealsOf(login).find((d) => d.Comment.startsWith('bdD.'));
    const inDeal = fake.dealsOf(login).find((d) => d.PositionID === position);
    expect(second.map((e) => e.type)).toEqual(['balance', 'deal', 'position', 'quote', 'equity']);
    expect(second[0]).toEqual({
      eventId: `mt5:Brokerdeck-MT5:deal:${depositDeal?.Deal}`,
      login,
      at: new Date(Number(depositDeal?.TimeMsc) - OFFSET * 1000).toISOString().replace('.000Z', 'Z'),
      type: 'balance',
      amount: '500.00',
      kind: 'DEPOSIT',
    });
    expect(second[1]).toMatchObject({
      eventId: `mt5:Brokerdeck-MT5:deal:${inDeal?.Deal}`,
      id: inDeal?.Deal,
      position,
      entry: 'in',
      side: 'buy',
      symbol: 'EURUSD',
      volume: '1.50',
      price: '1.08510',
      commission: '-5.25',
    });
    expect(Math.abs(Date.parse(second[1].at) - Date.now())).toBeLessThan(5_000);
    expect(second[2]).toMatchObject({
      type: 'position',
      position,
      volume: '1.50',
      openPrice: '1.08510',
      currentPrice: '1.08500',
      profit: '-15.00',
    });
    expect(second[3]).toMatchObject({ type: 'quote', symbol: 'EURUSD', bid: '1.08500', ask: '1.08500' });
    expect(second[4]).toMatchObject({ type: 'equity', balance: '100494.75', equity: '100479.75' });

    // 3. Nothing new: nothing emitted, although the deal window overlaps the last one.
    expect(await mt5.poller.pollOnce()).toEqual([]);

    // 4. The price moves: position, quote and equity again, no deal.
    fake.setPrice('EURUSD', 1.0861, 1.0862);
    expect((await mt5.poller.pollOnce()).map((e) => e.type)).toEqual(['position', 'quote', 'equity']);

    // 5. A close through the adapter: an out deal; the position disappears from the snapshots.
    await mt5.closePosition({ commandId: 'poll-close', login, position });
    const fifth = await mt5.poller.pollOnce();
    expect(fifth.map((e) => e.type)).toEqual(['deal', 'equity']);
    expect(fifth[0]).toMatchObject({
      entry: 'out',
      side: 'sell',
      position,
      volume: '1.50',
      price: '1.08610',
      profit: '150.00',
    });
    fake.setPrice('EURUSD', 1.085, 1.0851);

    expect(delivered.slice(0, first.length + second.length)).toEqual([...first, ...second]);
    const ids = delivered.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of delivered) expect(checkWireEvent(event, Date.now())).toMatchObject({ ok: true });
    const times = delivered.filter((e) => e.type !== 'quote').map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('maps INOUT reversals to an out and an in, and OUT_BY to two outs', async () => {
    const mt5 = platform();
    const login = fake.addUser({ group: 'demo\\prop', balance: 50_000_00 }).login;
    mt5.watch([login]);
    await mt5.poller.pollOnce();
    const long = fake.openPosition({ login, symbol: 'EURUSD', side: 'buy', lots: 1 });
    await pause();
    // Netting reversal: sell 3 lots against the 1-lot long → closes 1 (profit 40), opens 2 short.
    const reversal = fake.addDeal({
      Login: login,
      Order: '88001',
      PositionID: long,
      Action: '1',
      Entry: '2',
      Symbol: 'EURUSD',
      Digits: '5',
      Price: '1.08550',
      Volume: '30000',
      VolumeExt: '300000000',
      VolumeClosed: '10000',
      VolumeClosedExt: '100000000',
      Profit: '40.00',
      Commission: '-9.00',
    });
    await pause();
    // Hedging close-by: two opposite positions close each other; MT5 books one OUT_BY deal per position.
    const a = fake.openPosition({ login, symbol: 'XAUUSD', side: 'buy', lots: 0.1 });
    const b = fake.openPosition({ login, symbol: 'XAUUSD', side: 'sell', lots: 0.1 });
    await pause();
    const byA = fake.addDeal({
      Login: login,
      PositionID: a,
      Action: '1',
      Entry: '3',
      Symbol: 'XAUUSD',
      Digits: '2',
      Price: '2300.00',
      Volume: '1000',
      Profit: '-3.00',
    });
    const byB = fake.addDeal({
      Login: login,
      PositionID: b,
      Action: '0',
      Entry: '3',
      Symbol: 'XAUUSD',
      Digits: '2',
      Price: '2300.00',
      Volume: '1000',
      Profit: '0.00',
    });
    // A state record is no trade.
    fake.addDeal({ Login: login, Action: '0', Entry: '255', Symbol: 'EURUSD' });

    const events = deals(await mt5.poller.pollOnce({ snapshots: false }));
    expect(
      events.map((e) => [
        e.eventId.replace('mt5:Brokerdeck-MT5:deal:', ''),
        e.entry,
        e.position,
        e.side,
        e.volume,
        e.profit,
        e.commission,
      ]),
    ).toEqual([
      [expect.any(String), 'in', long, 'buy', '1.00', '0.00', '0.00'],
      [`${reversal.Deal}:out`, 'out', long, 'sell', '1.00', '40.00', '-3.00'],
      [`${reversal.Deal}:in`, 'in', long, 'sell', '2.00', '0.00', '-6.00'],
      [expect.any(String), 'in', a, 'buy', '0.10', '0.00', '0.00'],
      [expect.any(String), 'in', b, 'sell', '0.10', '0.00', '0.00'],
      [byA.Deal, 'out', a, 'sell', '0.10', '-3.00', '0.00'],
      [byB.Deal, 'out', b, 'buy', '0.10', '0.00', '0.00'],
    ]);
  });

  it('restarts deterministically: redelivered deals keep their event ids; a backfill reads history by pages', async () => {
    const mt5 = platform();
    const login = fake.addUser({ group: 'demo\\prop', balance: 1_000_00 }).login;
    const tickets: string[] = [];
    for (let i = 0; i < 105; i += 1)
      tickets.push(
        fake.addDeal({
          Login: login,
          Action: '2',
          Profit: '1.00',
          Time: String(Math.floor(Date.now() / 1000) + OFFSET - 3_600),
        }).Deal,
      );
    const from = fake.requests.length;
    mt5.watch([login], { backfillFrom: new Date(Date.now() - 7_200_000) });
    const first = await mt5.poller.pollOnce({ snapshots: false });
    expect(first.map((e) => e.eventId)).toEqual(tickets.map((t) => `mt5:Brokerdeck-MT5:deal:${t}`));
    expect(
      fake.requests
        .slice(from)
        .filter((r) => r.command === 'deal/get_page')
        .map((r) => r.params.offset),
    ).toEqual(['0', '100']);

    const again = platform();
    again.watch([login], { backfillFrom: new Date(Date.now() - 7_200_000) });
    expect((await again.poller.pollOnce({ snapshots: false })).map((e) => e.eventId)).toEqual(
      first.map((e) => e.eventId),
    );
  });

  it('delivers nothing from a failed poll and catches up on the next', async () => {
    const mt5 = platform();
    const login = fake.addUser({ group: 'demo\\prop', balance: 1_000_00 }).login;
    mt5.watch([login]);
    await mt5.poller.pollOnce();
    const delivered: PlatformEvent[] = [];
    mt5.subscribe((batch) => delivered.push(...batch));
    fake.openPosition({ login, symbol: 'EURUSD', side: 'sell', lots: 0.01 });
    fake.failNext('deal/get_batch', { kind: 'status', status: 503 });
    await expect(mt5.poller.pollOnce()).rejects.toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });
    expect(delivered).toEqual([]);
    expect((await mt5.poller.pollOnce()).map((e) => e.type)).toEqual(['deal', 'position', 'quote', 'equity']);
  });

  it('stamps a deal that shows up after a later snapshot at that snapshot, so ingestion keeps it', async () => {
    const mt5 = platform();
    const login = fake.addUser({ group: 'demo\\prop', balance: 1_000_00 }).login;
    mt5.watch([login]);
    const [equity] = await mt5.poller.pollOnce();
    const late = fake.addDeal({
      Login: login,
      Action: '2',
      Profit: '5.00',
      TimeMsc: String(Date.now() + OFFSET * 1000 - 2_000),
    });
    const [balance] = await mt5.poller.pollOnce({ snapshots: false });
    expect(balance).toMatchObject({ eventId: `mt5:Brokerdeck-MT5:deal:${late.Deal}`, at: equity.at });
  });

  it('polls on its own once started, and stops', async () => {
    const mt5 = platform({ poll: { intervalMs: 20, snapshotIntervalMs: 20, snapshotLagMs: 0 } });
    const login = fake.addUser({ group: 'demo\\prop', balance: 1_000_00 }).login;
    const delivered: PlatformEvent[] = [];
    mt5.subscribe((batch) => delivered.push(...batch));
    mt5.watch([login]);
    mt5.startPolling();
    for (let i = 0; i < 100 && delivered.length === 0; i += 1) await pause(20);
    fake.openPosition({ login, symbol: 'XAUUSD', side: 'buy', lots: 0.01 });
    for (let i = 0; i < 100 && !delivered.some((e) => e.type === 'deal'); i += 1) await pause(20);
    await mt5.poller.stop();
    expect(delivered.map((e) => e.type)).toEqual(expect.arrayContaining(['equity', 'deal', 'position', 'quote']));
  });
});
