import type { DealWireEvent } from '../platform';
import { commandTag, parseTag, taggedComment } from './journal';
import { dealEvents, type MappingContext, positionEvent, quotesFromPositions } from './mapping';
import { DEFAULT_SETTINGS, modeOfRights, applyMode, RIGHTS } from './settings';
import { formatLots, formatScaled, scaled, volumeExt } from './units';

const context: MappingContext = { server: 'Demo', settings: DEFAULT_SETTINGS };
const T = 1_741_000_000; // 2025-03-03T11:06:40Z

const deal = (fields: Record<string, string>) => ({
  Deal: '9001',
  Login: '500001',
  Order: '8001',
  PositionID: '7001',
  Action: '0',
  Entry: '0',
  Time: String(T),
  TimeMsc: `${T}250`,
  Symbol: 'EURUSD',
  Digits: '5',
  DigitsCurrency: '2',
  Price: '1.08500',
  Volume: '10000',
  VolumeExt: '100000000',
  Profit: '0.00',
  Commission: '-3.50',
  Storage: '0.00',
  Comment: '',
  ...fields,
});

describe('units', () => {
  it('scales decimals exactly, rounding half away from zero', () => {
    expect(scaled('1.085', 5)).toBe(108500n);
    expect(scaled(1.0849999999999, 5)).toBe(108500n);
    expect(scaled('-0.005', 2)).toBe(-1n);
    expect(scaled('26000', 2)).toBe(2600000n);
    expect(formatScaled(-5n, 2)).toBe('-0.05');
    expect(formatScaled(0n, 0)).toBe('0');
    expect(() => scaled('1e5', 2)).toThrow();
  });

  it('reads volumes from VolumeExt (10⁻⁸ lot) or Volume (10⁻⁴ lot)', () => {
    expect(formatLots(volumeExt({ Volume: '10000' }))).toBe('1.00');
    expect(formatLots(volumeExt({ Volume: '100' }))).toBe('0.01');
    expect(formatLots(volumeExt({ Volume: '15', VolumeExt: '150000' }))).toBe('0.0015');
    expect(formatLots(volumeExt({ Volume: '99999', VolumeExt: '250000000' }))).toBe('2.50');
  });
});

describe('deal mapping', () => {
  it('maps an IN deal with deterministic ids, lots, digits and UTC time', () => {
    expect(dealEvents(deal({}), context)).toEqual([
      {
        eventId: 'mt5:Demo:deal:9001',
        login: '500001',
        at: '2025-03-03T11:06:40.250Z',
        type: 'deal',
        id: '9001',
        position: '7001',
        entry: 'in',
        symbol: 'EURUSD',
        side: 'buy',
        volume: '1.00',
        price: '1.08500',
        profit: '0.00',
        commission: '-3.50',
        swap: '0.00',
      },
    ]);
  });

  it('subtracts the configured server offset from MT5 times', () => {
    const shifted = { ...context, settings: { ...DEFAULT_SETTINGS, serverTimeOffsetSeconds: 7200 } };
    expect(dealEvents(deal({}), shifted)[0].at).toBe('2025-03-03T09:06:40.250Z');
  });

  it('maps OUT and OUT_BY to out deals of their own positions', () => {
    const out = dealEvents(deal({ Action: '1', Entry: '1', Profit: '-50.00' }), context)[0] as DealWireEvent;
    expect(out).toMatchObject({ entry: 'out', side: 'sell', profit: '-50.00', position: '7001' });
    const byA = dealEvents(
      deal({ Deal: '9002', Action: '1', Entry: '3', PositionID: '7001', Profit: '12.00' }),
      context,
    );
    const byB = dealEvents(
      deal({ Deal: '9003', Action: '0', Entry: '3', PositionID: '7002', Profit: '-10.00' }),
      context,
    );
    expect([...byA, ...byB].map((e) => [e.eventId, (e as DealWireEvent).entry, (e as DealWireEvent).position])).toEqual(
      [
        ['mt5:Demo:deal:9002', 'out', '7001'],
        ['mt5:Demo:deal:9003', 'out', '7002'],
      ],
    );
  });

  it('splits an INOUT reversal into an out of the closed volume and an in of the rest', () => {
    // Long 1.00, then sell 3.00: closes 1.00 (profit 80) and opens 2.00 short.
    const events = dealEvents(
      deal({
        Action: '1',
        Entry: '2',
        Volume: '30000',
        VolumeExt: '300000000',
        VolumeClosed: '10000',
        VolumeClosedExt: '100000000',
        Profit: '80.00',
        Commission: '-10.01',
        Storage: '-1.20',
      }),
      context,
    ) as DealWireEvent[];
    expect(events.map((e) => [e.eventId, e.id, e.entry, e.position, e.volume, e.profit, e.commission, e.swap])).toEqual(
      [
        ['mt5:Demo:deal:9001:out', '9001', 'out', '7001', '1.00', '80.00', '-3.33', '-1.20'],
        ['mt5:Demo:deal:9001:in', '9001.in', 'in', '7001', '2.00', '0.00', '-6.68', '0.00'],
      ],
    );
    const byOrder = dealEvents(
      deal({ Action: '1', Entry: '2', Volume: '30000', VolumeExt: '', VolumeClosed: '10000' }),
      { ...context, settings: { ...DEFAULT_SETTINGS, reversalPositionId: 'ORDER' } },
    ) as DealWireEvent[];
    expect(byOrder.map((e) => [e.position, e.volume])).toEqual([
      ['7001', '1.00'],
      ['8001', '2.00'],
    ]);
  });

  it('skips STATE records and unknown entries', () => {
    const warnings: string[] = [];
    expect(dealEvents(deal({ Entry: '255' }), context)).toEqual([]);
    expect(dealEvents(deal({ Entry: '9' }), { ...context, warn: (_, m) => warnings.push(m) })).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('maps balance deals by tag, then by sign; a starting balance and credit give nothing', () => {
    const balance = (fields: Record<string, string>) =>
      dealEvents(deal({ Action: '2', Entry: '0', Symbol: '', ...fields }), context);
    expect(balance({ Profit: '500.00' })).toEqual([
      {
        eventId: 'mt5:Demo:deal:9001',
        login: '500001',
        at: '2025-03-03T11:06:40.250Z',
        type: 'balance',
        amount: '500.00',
        kind: 'DEPOSIT',
      },
    ]);
    expect(balance({ Profit: '-200.00' })[0]).toMatchObject({ kind: 'WITHDRAWAL', amount: '-200.00' });
    expect(balance({ Profit: '-6000.00', Comment: `${commandTag('P', 'payout-1')} payout` })[0]).toMatchObject({
      kind: 'PAYOUT',
    });
    expect(balance({ Profit: '100000.00', Comment: commandTag('I', 'create-1') })).toEqual([]);
    expect(balance({ Action: '5', Profit: '12.00' })[0]).toMatchObject({ kind: 'CORRECTION' });
    expect(balance({ Action: '3', Profit: '1000.00' })).toEqual([]);
    expect(balance({ Action: '42', Profit: '1.00' })).toEqual([]);
  });
});

describe('positions and quotes', () => {
  const position = (fields: Record<string, string>) => ({
    Login: '500001',
    Position: '7001',
    Symbol: 'EURUSD',
    Action: '0',
    Digits: '5',
    DigitsCurrency: '2',
    TimeUpdateMsc: `${T}000`,
    PriceOpen: '1.08500',
    PriceCurrent: '1.08600',
    Volume: '10000',
    Profit: '100.00',
    ...fields,
  });

  it('snapshots a position', () => {
    expect(positionEvent(position({}), context, T * 1000)).toEqual({
      eventId: `mt5:Demo:position:7001:${T}000`,
      login: '500001',
      at: '2025-03-03T11:06:40Z',
      type: 'position',
      position: '7001',
      symbol: 'EURUSD',
      side: 'buy',
      volume: '1.00',
      openPrice: '1.08500',
      currentPrice: '1.08600',
      profit: '100.00',
    });
  });

  it("takes bids from buy positions' current prices and asks from sell positions'", () => {
    const quotes = quotesFromPositions(
      [
        position({}),
        position({ Position: '7002', Action: '1', PriceCurrent: '1.08610' }),
        position({ Position: '7003', Symbol: 'XAUUSD', Digits: '2', Action: '1', PriceCurrent: '2300.3' }),
      ],
      context,
      T * 1000,
    );
    expect(quotes.map((q) => [q.symbol, q.bid, q.ask, q.eventId])).toEqual([
      ['EURUSD', '1.08600', '1.08610', `mt5:Demo:quote:EURUSD:${T}000`],
      ['XAUUSD', '2300.30', '2300.30', `mt5:Demo:quote:XAUUSD:${T}000`],
    ]);
  });
});

describe('tags and rights', () => {
  it('tags fit a balance comment and survive truncation', () => {
    const tag = commandTag('D', 'a-very-long-command-id-0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(tag).toMatch(/^bdD\.[A-Za-z0-9_-]{12}$/);
    const comment = taggedComment(tag, 'monthly deposit from the card ending 4242', 31);
    expect(comment).toHaveLength(31);
    expect(parseTag(comment)).toEqual({ letter: 'D', tag });
    expect(parseTag('deposit')).toBeNull();
    expect(commandTag('D', 'x')).not.toBe(commandTag('D', 'y'));
  });

  it('maps trading modes to rights bits and back', () => {
    const base = BigInt(RIGHTS.DEFAULT);
    for (const mode of ['FULL', 'CLOSE_ONLY', 'DISABLED'] as const) {
      expect(modeOfRights(applyMode(base, mode, DEFAULT_SETTINGS), DEFAULT_SETTINGS)).toBe(mode);
    }
    expect(applyMode(base, 'DISABLED', DEFAULT_SETTINGS) & 1n).toBe(0n);
    expect(modeOfRights(0n, DEFAULT_SETTINGS)).toBe('DISABLED');
  });
});
