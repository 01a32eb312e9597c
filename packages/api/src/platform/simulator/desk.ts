/**
 * A simulated trader's terminal: what a strategy (traders.ts) may see and do, bound to one
 * account. Refusals are normal trading life (a closed market, a close-only account), so they come
 * back as null/false rather than as exceptions, and are counted.
 */
import { PlatformError } from '../platform';
import { floatingProfit, type SimAccount, type SimPosition } from './accounts';
import type { InstrumentMarket, Market } from './market';
import type { Random } from './random';
import { MAX_CENTILOTS, type TradeServer } from './trade-server';
import type { TraderContext } from './traders';

/** Trading days in a year, to turn annual volatility into a typical day's move. */
const TRADING_DAYS_PER_YEAR = 260;

export class TraderDesk implements TraderContext {
  at = 0;
  refusals = 0;

  constructor(
    private readonly server: TradeServer,
    private readonly market: Market,
    readonly account: SimAccount,
    readonly rng: Random,
  ) {}

  get initialBalance(): number {
    return this.account.initialBalance;
  }

  balance(): number {
    return this.account.balance;
  }

  equity(): number {
    let equity = this.account.balance;
    for (const position of this.account.positions) equity += this.profit(position) + position.swap;
    return equity;
  }

  positions(): readonly SimPosition[] {
    return this.account.positions;
  }

  profit(position: SimPosition): number {
    return floatingProfit(position, this.account, this.market);
  }

  instrument(symbol: string): InstrumentMarket {
    const instrument = this.market.get(symbol);
    if (instrument === undefined) throw new Error(`a strategy asked for ${symbol}, which the simulator does not quote`);
    return instrument;
  }

  open(symbol: string, direction: 1 | -1, centilots: number): SimPosition | null {
    try {
      return this.server.open(this.account, symbol, direction, centilots, 'TRADER');
    } catch (error) {
      return this.refused(error, null);
    }
  }

  close(position: SimPosition): boolean {
    try {
      this.server.close(this.account, position, 'TRADER');
      return true;
    } catch (error) {
      return this.refused(error, false);
    }
  }

  closeAll(): void {
    for (const position of [...this.account.positions]) this.close(position);
  }

  sizeForDailyMove(symbol: string, amount: number): number {
    const instrument = this.instrument(symbol);
    const { spec } = instrument;
    const dailyMove = (instrument.price * spec.annualVolatility) / Math.sqrt(TRADING_DAYS_PER_YEAR);
    const rate = this.market.rate(spec.profitCurrency, this.account.currency) ?? 1;
    const perLot = dailyMove * spec.contractSize * rate * 10 ** this.account.digits;
    const centilots = Math.floor((amount / perLot) * 100);
    return Math.min(MAX_CENTILOTS, Math.max(1, centilots));
  }

  private refused<T>(error: unknown, value: T): T {
    if (!(error instanceof PlatformError)) throw error;
    this.refusals += 1;
    return value;
  }
}
