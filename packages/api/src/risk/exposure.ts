/**
 * Net exposure (rules.md, "CFD risk"): per symbol, `Σ buy lots − Σ sell lots`, in units
 * (`· contractSize`) and in a reporting currency (`· price · rate`), by brand, risk group and book,
 * with the floating P&L; and the firm's own risk, the negation of the B-book client exposure.
 *
 * Kept incrementally and never rescanned: each (brand, risk group, book, symbol) aggregate holds
 * four exact sums — buy and sell volume, and Σ volume · open price per side — updated in O(1) when
 * a position opens, changes or closes. Everything price-dependent is linear in those sums:
 *
 *   net units   = (B − S) · contractSize
 *   value       = (B − S) · contractSize · mid · rate
 *   floating    = contractSize · (bid · B − Σ_buy vol·open − ask · S + Σ_sell vol·open) · rate
 *
 * so a quote costs nothing here (the shared `RateTable` holds it) and a snapshot costs O(number of
 * aggregates), each computed exactly in BigInt and rounded once, half-up, to the reporting
 * currency's minor unit. Values use the mid; the floating P&L uses the closing side (bid for a buy,
 * ask for a sell) in the symbol's profit currency, converted at the mid rate. That is the firm-wide
 * view: it differs from the sum of the accounts' own figures, which are rounded per position in
 * each account's currency.
 */
import type { Side } from '../platform/platform';
import { minorUnitDigits } from '../rules/money';
import { VOLUME_DIGITS } from '../rules/events';
import { RiskError } from './errors';
import type { Book } from './risk-group';
import { bigDivHalfUp, formatScaled, type MarketSymbol, POW10, type RateTable } from './rates';

const VOLUME_SCALE = BigInt(POW10[VOLUME_DIGITS]);

/** A position as exposure sees it. Volume in 10^-8 lots (rules/events.ts), price in integer points. */
export interface ExposurePosition {
  brand: string;
  riskGroup: string;
  book: Book;
  symbol: string;
  side: Side;
  volume: number;
  openPrice: number;
}

/** One (brand, risk group, book, symbol) bucket. */
class Aggregate {
  buyVolume = 0;
  sellVolume = 0;
  /** Σ volume · open price (points), per side. */
  buyOpen = 0n;
  sellOpen = 0n;
  positions = 0;
  constructor(
    readonly brand: string,
    readonly riskGroup: string,
    readonly book: Book,
    readonly market: MarketSymbol,
  ) {}
}

interface Contribution {
  aggregate: Aggregate;
  buy: boolean;
  volume: number;
  openPrice: number;
}

export type ExposureDimension = 'brand' | 'riskGroup' | 'book';

export interface ExposureFilter {
  brand?: string;
  riskGroup?: string;
  book?: Book;
  symbol?: string;
}

export interface ExposureQuery {
  /** ISO currency values and P&L are reported in. */
  reportingCurrency: string;
  filter?: ExposureFilter;
  /** Dimensions kept apart besides the symbol [all three]; `[]` nets everything per symbol. */
  groupBy?: readonly ExposureDimension[];
}

export interface ExposureRow {
  /** null when the dimension is not in `groupBy` (summed over). */
  brand: string | null;
  riskGroup: string | null;
  book: Book | null;
  symbol: string;
  positions: number;
  buyLots: string;
  sellLots: string;
  /** Σ buy − Σ sell; negative is net short. */
  netLots: string;
  netUnits: string;
  /** Net units at the mid price, in the reporting currency; null while a quote or rate is missing. */
  value: string | null;
  /** Floating P&L of the clients' positions, in the reporting currency; null while unpriced. */
  floatingPnl: string | null;
}

/** The firm's side of the B-book: every figure the negation of the B-book client exposure. */
export interface FirmRiskRow {
  brand: string | null;
  riskGroup: string | null;
  symbol: string;
  netLots: string;
  netUnits: string;
  value: string | null;
  floatingPnl: string | null;
}

export interface ExposureSnapshot {
  reportingCurrency: string;
  rows: ExposureRow[];
  firmBBook: FirmRiskRow[];
  /** Σ of the priced rows' floating P&L (clients), and the firm's B-book P&L. */
  floatingPnl: string;
  firmFloatingPnl: string;
  /** Symbols whose figures could not be priced (no quote yet, or no rate to the reporting currency). */
  unpriced: string[];
}

interface Bucket {
  brand: string | null;
  riskGroup: string | null;
  book: Book | null;
  market: MarketSymbol;
  positions: number;
  buyVolume: bigint;
  sellVolume: bigint;
  buyOpen: bigint;
  sellOpen: bigint;
}

/** Exact figures of a bucket in minor units of the reporting currency (null when unpriced). */
interface Priced {
  value: bigint | null;
  pnl: bigint | null;
}

export class ExposureBook<K = string> {
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly contributions = new Map<K, Contribution>();

  constructor(readonly rates: RateTable) {}

  get size(): number {
    return this.contributions.size;
  }

  has(key: K): boolean {
    return this.contributions.has(key);
  }

  private aggregate(brand: string, riskGroup: string, book: Book, symbol: string): Aggregate {
    const id = `${brand}\u0000${riskGroup}\u0000${book}\u0000${symbol}`;
    let aggregate = this.aggregates.get(id);
    if (aggregate === undefined) {
      aggregate = new Aggregate(brand, riskGroup, book, this.rates.market(symbol));
      this.aggregates.set(id, aggregate);
    }
    return aggregate;
  }

  private static apply(c: Contribution, sign: 1 | -1): void {
    const a = c.aggregate;
    const open = BigInt(c.volume) * BigInt(c.openPrice);
    if (c.buy) {
      a.buyVolume += sign * c.volume;
      a.buyOpen += sign === 1 ? open : -open;
    } else {
      a.sellVolume += sign * c.volume;
      a.sellOpen += sign === 1 ? open : -open;
    }
    a.positions += sign;
  }

  /** A position opens (O(1)). */
  add(key: K, position: ExposurePosition): void {
    if (this.contributions.has(key)) throw new RiskError('POSITION_EXISTS', 'position already in the exposure');
    if (!Number.isSafeInteger(position.volume) || position.volume <= 0) {
      throw new RiskError('INVALID_INPUT', 'volume must be a positive whole number of 10^-8 lots');
    }
    const c: Contribution = {
      aggregate: this.aggregate(position.brand, position.riskGroup, position.book, position.symbol),
      buy: position.side === 'buy',
      volume: position.volume,
      openPrice: position.openPrice,
    };
    this.contributions.set(key, c);
    ExposureBook.apply(c, 1);
  }

  private contribution(key: K): Contribution {
    const c = this.contributions.get(key);
    if (c === undefined) throw new RiskError('UNKNOWN_POSITION', 'position not in the exposure');
    return c;
  }

  /** A position closes (O(1)). */
  remove(key: K): void {
    const c = this.contribution(key);
    ExposureBook.apply(c, -1);
    this.contributions.delete(key);
  }

  /** A position's volume or open price changes (partial close, netting) (O(1)). */
  update(key: K, change: { volume?: number; openPrice?: number }): void {
    const c = this.contribution(key);
    ExposureBook.apply(c, -1);
    if (change.volume !== undefined) c.volume = change.volume;
    if (change.openPrice !== undefined) c.openPrice = change.openPrice;
    ExposureBook.apply(c, 1);
  }

  /** The account holding the position moved to another group or book (O(1) per position). */
  move(key: K, to: { brand: string; riskGroup: string; book: Book }): void {
    const c = this.contribution(key);
    ExposureBook.apply(c, -1);
    c.aggregate = this.aggregate(to.brand, to.riskGroup, to.book, c.aggregate.market.symbol);
    ExposureBook.apply(c, 1);
  }

  /** Net exposure by the asked dimensions and symbol, and the firm's B-book risk, at live rates. */
  snapshot(query: ExposureQuery): ExposureSnapshot {
    const currency = query.reportingCurrency;
    const scale = BigInt(POW10[minorUnitDigits(currency)]);
    const digits = minorUnitDigits(currency);
    const filter = query.filter ?? {};
    const dims = new Set(query.groupBy ?? ['brand', 'riskGroup', 'book']);
    const clients = new Map<string, Bucket>();
    const firm = new Map<string, Bucket>();
    for (const a of this.aggregates.values()) {
      if (a.positions === 0) continue;
      if (filter.brand !== undefined && a.brand !== filter.brand) continue;
      if (filter.riskGroup !== undefined && a.riskGroup !== filter.riskGroup) continue;
      if (filter.book !== undefined && a.book !== filter.book) continue;
      if (filter.symbol !== undefined && a.market.symbol !== filter.symbol) continue;
      const brand = dims.has('brand') ? a.brand : null;
      const riskGroup = dims.has('riskGroup') ? a.riskGroup : null;
      const book = dims.has('book') ? a.book : null;
      addTo(clients, `${brand}\u0000${riskGroup}\u0000${book}\u0000${a.market.symbol}`, brand, riskGroup, book, a);
      if (a.book === 'B') addTo(firm, `${brand}\u0000${riskGroup}\u0000${a.market.symbol}`, brand, riskGroup, null, a);
    }
    const unpriced = new Set<string>();
    const money = (v: bigint | null) => (v === null ? null : formatScaled(v, digits));
    let pnlTotal = 0n;
    const rows: ExposureRow[] = [];
    for (const b of sorted(clients)) {
      const priced = this.price(b, currency, scale);
      if (priced.value === null) unpriced.add(b.market.symbol);
      else pnlTotal += priced.pnl ?? 0n;
      const net = b.buyVolume - b.sellVolume;
      rows.push({
        brand: b.brand,
        riskGroup: b.riskGroup,
        book: b.book,
        symbol: b.market.symbol,
        positions: b.positions,
        buyLots: lots(b.buyVolume),
        sellLots: lots(b.sellVolume),
        netLots: lots(net),
        netUnits: units(net, b.market),
        value: money(priced.value),
        floatingPnl: money(priced.pnl),
      });
    }
    let firmTotal = 0n;
    const firmBBook: FirmRiskRow[] = [];
    for (const b of sorted(firm)) {
      const priced = this.price(b, currency, scale);
      if (priced.pnl !== null) firmTotal -= priced.pnl;
      const net = b.sellVolume - b.buyVolume;
      firmBBook.push({
        brand: b.brand,
        riskGroup: b.riskGroup,
        symbol: b.market.symbol,
        netLots: lots(net),
        netUnits: units(net, b.market),
        // The negation of the client figures, each rounded once: firm + clients is exactly zero.
        value: money(priced.value === null ? null : -priced.value),
        floatingPnl: money(priced.pnl === null ? null : -priced.pnl),
      });
    }
    return {
      reportingCurrency: currency,
      rows,
      firmBBook,
      floatingPnl: formatScaled(pnlTotal, digits),
      firmFloatingPnl: formatScaled(firmTotal, digits),
      unpriced: [...unpriced].sort(),
    };
  }

  private price(b: Bucket, currency: string, scale: bigint): Priced {
    const m = b.market;
    const c = this.rates.findConversion(m.instrument.profitCurrency, currency);
    if (!m.quoted || c === null || c.den === 0) return { value: null, pnl: null };
    const cs = BigInt(m.instrument.contractSize);
    const num = BigInt(c.num) * scale * cs;
    const den = VOLUME_SCALE * BigInt(m.scale) * BigInt(c.den);
    const bid = BigInt(m.bid);
    const ask = BigInt(m.ask);
    const value = bigDivHalfUp((b.buyVolume - b.sellVolume) * (bid + ask) * num, 2n * den);
    const pnl = bigDivHalfUp((bid * b.buyVolume - b.buyOpen - ask * b.sellVolume + b.sellOpen) * num, den);
    return { value, pnl };
  }
}

function addTo(
  into: Map<string, Bucket>,
  key: string,
  brand: string | null,
  riskGroup: string | null,
  book: Book | null,
  a: Aggregate,
): void {
  let b = into.get(key);
  if (b === undefined) {
    b = {
      brand,
      riskGroup,
      book,
      market: a.market,
      positions: 0,
      buyVolume: 0n,
      sellVolume: 0n,
      buyOpen: 0n,
      sellOpen: 0n,
    };
    into.set(key, b);
  }
  b.positions += a.positions;
  b.buyVolume += BigInt(a.buyVolume);
  b.sellVolume += BigInt(a.sellVolume);
  b.buyOpen += a.buyOpen;
  b.sellOpen += a.sellOpen;
}

const order = (x: string | null, y: string | null) => ((x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0);

function sorted(buckets: Map<string, Bucket>): Bucket[] {
  return [...buckets.values()].sort(
    (x, y) =>
      order(x.market.symbol, y.market.symbol) ||
      order(x.brand, y.brand) ||
      order(x.riskGroup, y.riskGroup) ||
      order(x.book, y.book),
  );
}

/** 10^-8 lots as a decimal with at least two places ("1.50", "-0.015"). */
export function lots(volume: bigint | number): string {
  return formatScaled(BigInt(volume), VOLUME_DIGITS, 2);
}

function units(volume: bigint, market: MarketSymbol): string {
  return formatScaled(volume * BigInt(market.instrument.contractSize), VOLUME_DIGITS, 0);
}
