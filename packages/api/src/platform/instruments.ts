/**
 * The instruments the simulator quotes: a data table, so that adding a symbol is one line.
 * Figures are realistic for 2024–25 (prices, annual volatility, typical raw-spread account
 * spreads); they only need to be plausible, not current.
 *
 * Sessions are in UTC and ignore daylight saving: FX Sunday 22:00 to Friday 22:00, metals,
 * indices and oil with the daily 22:00–23:00 break, DE40 on the European day, US shares in the
 * New York cash session, crypto around the clock.
 */
import type { AssetClass, Instrument, SessionWindow } from './platform';

// Bound once: a hot loop then skips a global lookup per call, which costs ~0.4 µs under jest's vm sandbox.
const { floor, max } = Math;

/** What the simulator needs beyond what a platform publishes about an instrument. */
export interface SimInstrument extends Instrument {
  startPrice: number;
  /** Annualised volatility as a fraction (0.07 = 7 %). */
  annualVolatility: number;
  spreadPoints: number;
  /** Commission per lot and per deal, in USD (raw-spread account style; 0 where it is in the spread). */
  commissionPerLotUsd: number;
  /** Financing per year as a % of notional, held long / short; negative is a charge. */
  swapLongPct: number;
  swapShortPct: number;
}

type Day = SessionWindow['day'];
const WEEKDAYS: Day[] = [1, 2, 3, 4, 5];

function windows(days: Day[], open: string, close: string): SessionWindow[] {
  return days.map((day) => ({ day, open, close }));
}

const FX_SESSIONS = [
  ...windows([0], '22:00', '24:00'),
  ...windows([1, 2, 3, 4], '00:00', '24:00'),
  ...windows([5], '00:00', '22:00'),
];
/** CME-style: Sunday 23:00 to Friday 22:00 with a daily hour's break at 22:00. */
const GLOBEX_SESSIONS = [
  ...windows([0], '23:00', '24:00'),
  ...windows([1, 2, 3, 4], '00:00', '22:00'),
  ...windows([1, 2, 3, 4], '23:00', '24:00'),
  ...windows([5], '00:00', '22:00'),
];
const EUROPE_SESSIONS = windows(WEEKDAYS, '07:00', '21:00');
const US_SHARES_SESSIONS = windows(WEEKDAYS, '14:30', '21:00');
const ALWAYS = windows([0, 1, 2, 3, 4, 5, 6], '00:00', '24:00');

interface Row {
  symbol: string;
  assetClass: AssetClass;
  contractSize: number;
  digits: number;
  marginCurrency: string;
  profitCurrency: string;
  startPrice: number;
  annualVolatility: number;
  spreadPoints: number;
}

const fx = (
  symbol: string,
  assetClass: AssetClass,
  price: number,
  digits: number,
  vol: number,
  spread: number,
): Row => ({
  symbol,
  assetClass,
  contractSize: 100_000,
  digits,
  marginCurrency: symbol.slice(0, 3),
  profitCurrency: symbol.slice(3, 6),
  startPrice: price,
  annualVolatility: vol,
  spreadPoints: spread,
});

const cfd = (
  symbol: string,
  assetClass: AssetClass,
  currency: string,
  contractSize: number,
  price: number,
  digits: number,
  vol: number,
  spread: number,
): Row => ({
  symbol,
  assetClass,
  contractSize,
  digits,
  marginCurrency: currency,
  profitCurrency: currency,
  startPrice: price,
  annualVolatility: vol,
  spreadPoints: spread,
});

const SESSIONS: Record<AssetClass, readonly SessionWindow[]> = {
  FX_MAJOR: FX_SESSIONS,
  FX_MINOR: FX_SESSIONS,
  METAL: GLOBEX_SESSIONS,
  INDEX: GLOBEX_SESSIONS,
  COMMODITY: GLOBEX_SESSIONS,
  EQUITY: US_SHARES_SESSIONS,
  CRYPTO: ALWAYS,
};

/** Per lot and deal, USD: FX and metals on a raw-spread account pay commission, the rest is in the spread. */
const COMMISSION_PER_LOT_USD: Record<AssetClass, number> = {
  FX_MAJOR: 3.5,
  FX_MINOR: 3.5,
  METAL: 3.5,
  INDEX: 0,
  COMMODITY: 0,
  EQUITY: 0.02,
  CRYPTO: 0,
};

/** Annual financing, long / short, % of notional. Crypto is expensive both ways. */
const SWAP_PCT: Record<AssetClass, [number, number]> = {
  FX_MAJOR: [-2.5, -1.5],
  FX_MINOR: [-2.5, -2],
  METAL: [-5, -1],
  INDEX: [-6, -2],
  COMMODITY: [-6, -2],
  EQUITY: [-7, -3],
  CRYPTO: [-20, -20],
};

const ROWS: Row[] = [
  fx('EURUSD', 'FX_MAJOR', 1.085, 5, 0.07, 8),
  fx('GBPUSD', 'FX_MAJOR', 1.27, 5, 0.08, 10),
  fx('USDJPY', 'FX_MAJOR', 150.2, 3, 0.09, 10),
  fx('USDCHF', 'FX_MAJOR', 0.88, 5, 0.07, 12),
  fx('AUDUSD', 'FX_MAJOR', 0.66, 5, 0.1, 10),
  fx('USDCAD', 'FX_MAJOR', 1.36, 5, 0.06, 14),
  fx('EURGBP', 'FX_MINOR', 0.855, 5, 0.05, 12),
  fx('EURJPY', 'FX_MINOR', 162.8, 3, 0.09, 18),
  fx('GBPJPY', 'FX_MINOR', 190.5, 3, 0.1, 25),
  cfd('XAUUSD', 'METAL', 'USD', 100, 2350, 2, 0.15, 25),
  cfd('XAGUSD', 'METAL', 'USD', 5_000, 28.5, 3, 0.25, 30),
  cfd('US500', 'INDEX', 'USD', 1, 5200, 2, 0.15, 50),
  cfd('US100', 'INDEX', 'USD', 1, 18_000, 2, 0.2, 100),
  cfd('DE40', 'INDEX', 'EUR', 1, 18_000, 2, 0.16, 150),
  cfd('JP225', 'INDEX', 'JPY', 1, 38_500, 0, 0.2, 8),
  cfd('USOIL', 'COMMODITY', 'USD', 1_000, 78.5, 3, 0.35, 30),
  cfd('UKOIL', 'COMMODITY', 'USD', 1_000, 82.2, 3, 0.33, 30),
  cfd('AAPL', 'EQUITY', 'USD', 1, 190, 2, 0.25, 10),
  cfd('TSLA', 'EQUITY', 'USD', 1, 175, 2, 0.55, 15),
  cfd('NVDA', 'EQUITY', 'USD', 1, 900, 2, 0.5, 30),
  cfd('BTCUSD', 'CRYPTO', 'USD', 1, 65_000, 2, 0.6, 3_000),
  cfd('ETHUSD', 'CRYPTO', 'USD', 1, 3_200, 2, 0.75, 250),
];

const sessionsFor = (row: Row) => (row.symbol === 'DE40' ? EUROPE_SESSIONS : SESSIONS[row.assetClass]);

export const SIM_INSTRUMENTS: readonly SimInstrument[] = ROWS.map((row) => ({
  ...row,
  sessions: sessionsFor(row),
  commissionPerLotUsd: COMMISSION_PER_LOT_USD[row.assetClass],
  swapLongPct: SWAP_PCT[row.assetClass][0],
  swapShortPct: SWAP_PCT[row.assetClass][1],
}));

/** The public part: what a platform publishes about an instrument. */
export function publicInstrument(spec: SimInstrument): Instrument {
  const { symbol, assetClass, contractSize, digits, marginCurrency, profitCurrency, sessions } = spec;
  return { symbol, assetClass, contractSize, digits, marginCurrency, profitCurrency, sessions };
}

// ---------------------------------------------------------------------------------------------
// Sessions as minutes of the week
// ---------------------------------------------------------------------------------------------

const MINUTES_PER_DAY = 1_440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** 1970-01-01 was a Thursday: day 4 of a Sunday-based week. */
const EPOCH_WEEKDAY = 4;

/** Open windows as merged [from, to) minute-of-week ranges (0 = Sunday 00:00 UTC). */
export type WeeklySchedule = readonly (readonly [number, number])[];

function minutes(hhmm: string): number {
  const [hours, mins] = hhmm.split(':').map(Number);
  return hours * 60 + mins;
}

export function compileSessions(sessions: readonly SessionWindow[]): WeeklySchedule {
  const ranges = sessions
    .map(
      (w) =>
        [w.day * MINUTES_PER_DAY + minutes(w.open), w.day * MINUTES_PER_DAY + minutes(w.close)] as [number, number],
    )
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

export function minuteOfWeek(atMs: number): number {
  return (floor(atMs / 60_000) + EPOCH_WEEKDAY * MINUTES_PER_DAY) % MINUTES_PER_WEEK;
}

export function isSessionOpen(schedule: WeeklySchedule, atMs: number): boolean {
  const minute = minuteOfWeek(atMs);
  for (const [from, to] of schedule) if (minute >= from && minute < to) return true;
  return false;
}

/** Share of the week the market is open: volatility is per unit of *trading* time. */
export function openShareOfWeek(schedule: WeeklySchedule): number {
  let open = 0;
  for (const [from, to] of schedule) open += to - from;
  return open / MINUTES_PER_WEEK;
}
