/**
 * A-book routing (issue 8): client deals of A-book accounts are passed on to a liquidity provider.
 * `LiquidityProvider` is the seam a real bridge (FIX, an LP's REST API) implements; the simulated
 * provider fills at the current market with a configurable spread and latency.
 */
import type { Side } from '../platform/platform';

export interface HedgeOrder {
  /** Our order id: the provider must not fill the same id twice (a retry after a crash). */
  clientOrderId: string;
  /** The platform the client flow comes from (the simulated provider prices from its market). */
  platformId: string;
  symbol: string;
  side: Side;
  /** Lots, decimal text. */
  volume: string;
  digits: number;
}

export interface HedgeFill {
  /** Decimal text with the instrument's digits. */
  price: string;
  filledAt: Date;
  latencyMs: number;
}

export interface LiquidityProvider {
  readonly name: string;
  /** Fills the order or throws (`HedgeRejected` for a refusal, anything else: unavailable). */
  execute(order: HedgeOrder): Promise<HedgeFill>;
}

export class HedgeRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HedgeRejected';
  }
}

export interface SimulatedProviderOptions {
  /** The provider's spread around the mid, in points of the instrument (10 = 1 pip on EURUSD). */
  spreadPoints: number;
  /** Time from order to fill. */
  latencyMs: number;
  /** The current market (bid and ask, decimal numbers) or null while unknown. */
  market: (platformId: string, symbol: string) => { bid: number; ask: number } | null;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Fills buys at mid + spread/2 and sells at mid − spread/2, of the market as it is when the order
 * arrives (after the latency, so the price may have moved since the client's fill). An order id
 * already filled returns the same fill.
 */
export class SimulatedLiquidityProvider implements LiquidityProvider {
  readonly name = 'simulated';
  private readonly filled = new Map<string, HedgeFill>();

  constructor(private readonly options: SimulatedProviderOptions) {}

  async execute(order: HedgeOrder): Promise<HedgeFill> {
    const known = this.filled.get(order.clientOrderId);
    if (known) return known;
    const started = Date.now();
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    const quote = this.options.market(order.platformId, order.symbol);
    if (!quote) throw new HedgeRejected(`no market for ${order.symbol}`);
    const point = 10 ** -order.digits;
    const mid = (quote.bid + quote.ask) / 2;
    const half = (this.options.spreadPoints * point) / 2;
    const price = order.side === 'buy' ? mid + half : mid - half;
    const fill: HedgeFill = {
      price: price.toFixed(order.digits),
      filledAt: (this.options.now ?? (() => new Date()))(),
      latencyMs: Math.max(this.options.latencyMs, Date.now() - started),
    };
    this.filled.set(order.clientOrderId, fill);
    return fill;
  }
}

/**
 * The hedge's difference to the client's fill, per unit, signed so that positive is a cost to the
 * firm: it bought dearer (or sold cheaper) than the client did.
 */
export function slippage(side: Side, clientPrice: string, hedgePrice: string, digits: number): string {
  const diff = side === 'buy' ? Number(hedgePrice) - Number(clientPrice) : Number(clientPrice) - Number(hedgePrice);
  const text = diff.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}
