import { compileSessions, isSessionOpen, openShareOfWeek, SIM_INSTRUMENTS } from './instruments';
import { ASSET_CLASSES } from './platform';

const spec = (symbol: string) => {
  const found = SIM_INSTRUMENTS.find((i) => i.symbol === symbol);
  if (found === undefined) throw new Error(`no ${symbol}`);
  return found;
};
const openAt = (symbol: string, iso: string) => isSessionOpen(compileSessions(spec(symbol).sessions), Date.parse(iso));

describe('instrument table', () => {
  it('covers every asset class with about twenty unique symbols', () => {
    expect(SIM_INSTRUMENTS.length).toBeGreaterThanOrEqual(18);
    expect(new Set(SIM_INSTRUMENTS.map((i) => i.symbol)).size).toBe(SIM_INSTRUMENTS.length);
    expect(new Set(SIM_INSTRUMENTS.map((i) => i.assetClass))).toEqual(new Set(ASSET_CLASSES));
  });

  it('has the contract sizes and currencies brokers use', () => {
    expect(spec('EURUSD')).toMatchObject({
      contractSize: 100_000,
      digits: 5,
      marginCurrency: 'EUR',
      profitCurrency: 'USD',
    });
    expect(spec('XAUUSD').contractSize).toBe(100);
    expect(spec('XAGUSD').contractSize).toBe(5_000);
    expect(spec('USOIL').contractSize).toBe(1_000);
    expect(spec('JP225').profitCurrency).toBe('JPY');
    expect(spec('DE40').profitCurrency).toBe('EUR');
    expect(spec('BTCUSD').contractSize).toBe(1);
  });
});

describe('sessions (UTC)', () => {
  it('closes FX from Friday 22:00 to Sunday 22:00', () => {
    expect(openAt('EURUSD', '2025-03-07T21:59:00Z')).toBe(true);
    expect(openAt('EURUSD', '2025-03-07T22:00:00Z')).toBe(false);
    expect(openAt('EURUSD', '2025-03-08T12:00:00Z')).toBe(false);
    expect(openAt('EURUSD', '2025-03-09T21:59:00Z')).toBe(false);
    expect(openAt('EURUSD', '2025-03-09T22:00:00Z')).toBe(true);
    // Monday 00:00 continues Sunday evening's session without a gap.
    expect(openAt('EURUSD', '2025-03-10T00:00:00Z')).toBe(true);
  });

  it('gives gold its daily break and shares the New York session only', () => {
    expect(openAt('XAUUSD', '2025-03-04T22:30:00Z')).toBe(false);
    expect(openAt('XAUUSD', '2025-03-04T23:00:00Z')).toBe(true);
    expect(openAt('AAPL', '2025-03-04T14:29:00Z')).toBe(false);
    expect(openAt('AAPL', '2025-03-04T14:30:00Z')).toBe(true);
    expect(openAt('AAPL', '2025-03-04T21:00:00Z')).toBe(false);
  });

  it('keeps crypto open all week', () => {
    expect(openAt('BTCUSD', '2025-03-08T12:00:00Z')).toBe(true);
    expect(openShareOfWeek(compileSessions(spec('BTCUSD').sessions))).toBe(1);
    expect(openShareOfWeek(compileSessions(spec('EURUSD').sessions))).toBeCloseTo(120 / 168);
  });
});
