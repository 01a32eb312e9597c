/**
 * The simulated market: one price per instrument, stepped in fixed simulated ticks.
 *
 * Each instrument's mid follows a geometric random walk whose per-tick volatility comes from its
 * annual volatility spread over the time the market is *open* (a closed market does not move and
 * sends no quotes). Two hidden processes sit on top, each on its own seeded stream:
 * - a trend regime (−1, 0, +1) that adds a small drift and changes at random times. In a pure
 *   random walk nobody can win on purpose; skilled simulated traders read the regime, which is
 *   how "a consistent winner" becomes a behaviour rather than luck;
 * - volatility shocks: now and then (or when scheduled) volatility is multiplied by a factor for
 *   a set time, the scenario in which a broker raises margins.
 * Bid and ask are integer points (10^-digits) so that prices are exact on the wire.
 */
import { compileSessions, isSessionOpen, openShareOfWeek, type SimInstrument } from '../instruments';
import { Random } from './random';

// Bound once: a hot loop then skips a global lookup per call, which costs ~0.4 µs under jest's vm sandbox.
const { floor, round, sqrt, max } = Math;
const INFINITY = Number.POSITIVE_INFINITY;

const HOUR_MS = 3_600_000;
const YEAR_MS = 365 * 24 * HOUR_MS;

export interface TrendSettings {
  /** Drift per hour in units of the hourly volatility, when the regime is not flat [0.5]. */
  strengthPerHour: number;
  /** Mean time a regime lasts [4 h]. */
  meanRegimeMs: number;
}

export interface ShockSettings {
  /** Mean time between shocks on one instrument [20 days]. */
  meanGapMs: number;
  /** Volatility multiplier, drawn in [min, max] [3, 6]. */
  factor: readonly [number, number];
  /** How long a shock lasts, drawn in [min, max] [2 h, 8 h]. */
  durationMs: readonly [number, number];
}

/** A shock at a known instant, for demos and tests. */
export interface ScheduledShock {
  symbol: string;
  /** Epoch ms. */
  at: number;
  factor: number;
  durationMs: number;
}

export interface ShockState {
  symbol: string;
  factor: number;
  /** Epoch ms. */
  until: number;
}

export const DEFAULT_TREND: TrendSettings = { strengthPerHour: 0.5, meanRegimeMs: 4 * HOUR_MS };
export const DEFAULT_SHOCKS: ShockSettings = {
  meanGapMs: 20 * 24 * HOUR_MS,
  factor: [3, 6],
  durationMs: [2 * HOUR_MS, 8 * HOUR_MS],
};

export type Trend = -1 | 0 | 1;
const TRENDS: readonly Trend[] = [-1, 0, 1];

/** One instrument's live state. Read by traders and the account maths; written only by `step`. */
export class InstrumentMarket {
  readonly schedule;
  readonly point: number;
  open: boolean;
  mid: number;
  bidPoints = 0;
  askPoints = 0;
  trend: Trend = 0;
  shockFactor = 1;
  shockUntil = 0;
  private readonly sigmaPerTick: number;
  private readonly driftPerTick: number;
  private readonly walk: Random;
  private readonly regimes: Random;
  private readonly shocks: Random;
  private nextRegimeAt: number;
  private nextShockAt: number;
  /** Sessions change on whole minutes: the open/closed answer is kept for the minute. */
  private sessionMinute = -1;

  constructor(
    readonly spec: SimInstrument,
    seed: number,
    start: number,
    tickMs: number,
    private readonly trendSettings: TrendSettings,
    private readonly shockSettings: ShockSettings | null,
    private readonly scheduled: ScheduledShock[],
  ) {
    this.schedule = compileSessions(spec.sessions);
    this.point = 10 ** -spec.digits;
    this.walk = new Random(seed, `walk:${spec.symbol}`);
    this.regimes = new Random(seed, `trend:${spec.symbol}`);
    this.shocks = new Random(seed, `shock:${spec.symbol}`);
    const openMsPerYear = YEAR_MS * openShareOfWeek(this.schedule);
    this.sigmaPerTick = spec.annualVolatility * sqrt(tickMs / openMsPerYear);
    const sigmaPerHour = this.sigmaPerTick * sqrt(HOUR_MS / tickMs);
    this.driftPerTick = (trendSettings.strengthPerHour * sigmaPerHour * tickMs) / HOUR_MS;
    this.mid = spec.startPrice;
    this.open = isSessionOpen(this.schedule, start);
    this.nextRegimeAt = start;
    this.nextShockAt = shockSettings === null ? INFINITY : start + this.shocks.exponential(shockSettings.meanGapMs);
    this.quoteFromMid();
  }

  get bid(): number {
    return this.bidPoints * this.point;
  }

  get ask(): number {
    return this.askPoints * this.point;
  }

  /** Mid of the quoted bid and ask, as traded (not the hidden walk value). */
  get price(): number {
    return ((this.bidPoints + this.askPoints) / 2) * this.point;
  }

  step(at: number): void {
    this.updateRegime(at);
    this.updateShock(at);
    const minute = floor(at / 60_000);
    if (minute !== this.sessionMinute) {
      this.sessionMinute = minute;
      this.open = isSessionOpen(this.schedule, at);
    }
    if (!this.open) return;
    const shock = this.walk.normal() * this.sigmaPerTick * this.shockFactor;
    this.mid *= 1 + shock + this.trend * this.driftPerTick;
    this.quoteFromMid();
  }

  private quoteFromMid(): void {
    const spread = this.spec.spreadPoints;
    this.bidPoints = round(this.mid / this.point - spread / 2);
    this.askPoints = this.bidPoints + spread;
  }

  private updateRegime(at: number): void {
    while (at >= this.nextRegimeAt) {
      this.trend = this.regimes.pick(TRENDS);
      this.nextRegimeAt += max(HOUR_MS / 4, this.regimes.exponential(this.trendSettings.meanRegimeMs));
    }
  }

  private updateShock(at: number): void {
    if (this.shockFactor !== 1 && at >= this.shockUntil) this.shockFactor = 1;
    while (this.scheduled.length > 0 && at >= this.scheduled[0].at) {
      const shock = this.scheduled.shift() as ScheduledShock;
      this.startShock(shock.factor, shock.at + shock.durationMs);
    }
    const settings = this.shockSettings;
    if (settings !== null && at >= this.nextShockAt) {
      const factor = this.shocks.between(settings.factor[0], settings.factor[1]);
      const duration = this.shocks.between(settings.durationMs[0], settings.durationMs[1]);
      this.startShock(factor, at + round(duration / 1_000) * 1_000);
      this.nextShockAt = at + this.shocks.exponential(settings.meanGapMs);
    }
  }

  private startShock(factor: number, until: number): void {
    this.shockFactor = factor;
    this.shockUntil = until;
  }
}

export interface MarketOptions {
  seed: number;
  start: number;
  tickMs: number;
  instruments: readonly SimInstrument[];
  trend: TrendSettings;
  shocks: ShockSettings | null;
  scheduledShocks: readonly ScheduledShock[];
}

/** How to turn an amount in one currency into another: one FX pair, or two through USD. */
type ConversionLeg = { market: InstrumentMarket; invert: boolean };

export class Market {
  readonly instruments: InstrumentMarket[];
  private readonly bySymbol = new Map<string, InstrumentMarket>();
  private readonly conversions = new Map<string, ConversionLeg[] | null>();

  constructor(options: MarketOptions) {
    this.instruments = options.instruments.map((spec) => {
      const scheduled = options.scheduledShocks.filter((s) => s.symbol === spec.symbol).sort((a, b) => a.at - b.at);
      return new InstrumentMarket(
        spec,
        options.seed,
        options.start,
        options.tickMs,
        options.trend,
        options.shocks,
        scheduled,
      );
    });
    for (const instrument of this.instruments) this.bySymbol.set(instrument.spec.symbol, instrument);
  }

  step(at: number): void {
    for (const instrument of this.instruments) instrument.step(at);
  }

  get(symbol: string): InstrumentMarket | undefined {
    return this.bySymbol.get(symbol);
  }

  /** Active volatility shocks, for the demo's "raise margins" story. */
  shocks(): ShockState[] {
    return this.instruments
      .filter((i) => i.shockFactor !== 1)
      .map((i) => ({ symbol: i.spec.symbol, factor: i.shockFactor, until: i.shockUntil }));
  }

  /**
   * Units of `to` per unit of `from`, at the current mids; null when no simulated pair links them.
   * A closed FX market converts at its last price, as platforms do over the weekend.
   */
  rate(from: string, to: string): number | null {
    if (from === to) return 1;
    const key = `${from}${to}`;
    let legs = this.conversions.get(key);
    if (legs === undefined) {
      legs = this.findConversion(from, to);
      this.conversions.set(key, legs);
    }
    if (legs === null) return null;
    let rate = 1;
    for (const leg of legs) rate *= leg.invert ? 1 / leg.market.price : leg.market.price;
    return rate;
  }

  private directLeg(from: string, to: string): ConversionLeg | null {
    const direct = this.bySymbol.get(`${from}${to}`);
    if (direct?.spec.marginCurrency === from) return { market: direct, invert: false };
    const inverse = this.bySymbol.get(`${to}${from}`);
    if (inverse?.spec.marginCurrency === to) return { market: inverse, invert: true };
    return null;
  }

  private findConversion(from: string, to: string): ConversionLeg[] | null {
    const direct = this.directLeg(from, to);
    if (direct !== null) return [direct];
    const first = this.directLeg(from, 'USD');
    const second = this.directLeg('USD', to);
    return first !== null && second !== null ? [first, second] : null;
  }
}
