import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../common/errors';
import { brandScopedSql } from '../db/scoped-sql';
import type { RiskRuntime } from './risk-live';

export interface HedgeFilter {
  login?: string | null;
  symbol?: string | null;
  limit?: number | null;
}

interface HedgeRow {
  id: string;
  platform_id: string;
  platform_account_id: string;
  login: string;
  deal_id: string;
  position: string;
  entry: 'in' | 'out';
  symbol: string;
  client_side: 'buy' | 'sell';
  hedge_side: 'buy' | 'sell';
  volume: string;
  client_price: string;
  hedge_price: string | null;
  slippage: string | null;
  slippage_value: string | null;
  provider: string;
  status: 'FILLED' | 'REJECTED';
  error: string | null;
  latency_ms: number | null;
  client_at: string;
  hedged_at: string;
}

/** A-book hedges as recorded by the hedger (risk/hedger.ts): newest first. */
export class HedgingService {
  constructor(
    private readonly em: EntityManager,
    private readonly runtime: RiskRuntime,
  ) {}

  async list(brandId: string, filter: HedgeFilter = {}) {
    const limit = filter.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      throw badInput([{ path: ['limit'], message: 'From 1 to 1,000' }]);
    }
    const rows = await brandScopedSql<HedgeRow>(
      this.em,
      [brandId],
      `SELECT id::text, platform_id, platform_account_id, login, deal_id, position, entry, symbol, client_side, hedge_side,
              volume::text, client_price::text, hedge_price::text, slippage::text, slippage_value::text, provider, status,
              error, latency_ms, client_at, hedged_at
         FROM risk_hedge
        WHERE brand_id = ? AND (?::text IS NULL OR login = ?) AND (?::text IS NULL OR symbol = ?)
        ORDER BY hedged_at DESC, id DESC LIMIT ?`,
      [brandId, filter.login ?? null, filter.login ?? null, filter.symbol ?? null, filter.symbol ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      platformAccountId: r.platform_account_id,
      login: r.login,
      dealId: r.deal_id,
      position: r.position,
      entry: r.entry,
      symbol: r.symbol,
      clientSide: r.client_side,
      hedgeSide: r.hedge_side,
      volume: r.volume,
      clientPrice: r.client_price,
      hedgePrice: r.hedge_price,
      slippage: r.slippage,
      slippageValue: r.slippage_value,
      currency: this.runtime.books.get(r.platform_id)?.rates.find(r.symbol)?.instrument.profitCurrency ?? null,
      provider: r.provider,
      status: r.status,
      error: r.error,
      latencyMs: r.latency_ms,
      clientAt: new Date(r.client_at),
      hedgedAt: new Date(r.hedged_at),
    }));
  }
}
