import type { Pool } from 'pg';
import type { Logger } from '../logger';
import type { DealWireEvent } from '../platform/platform';
import { HedgeRejected, type LiquidityProvider, slippage } from './liquidity';
import type { RiskRuntime } from './risk-live';

interface HedgeAccount {
  id: string;
  brand_id: string;
  platform_id: string;
  login: string;
  hedged_seq: string;
  a_book: boolean;
  open_hedges: string[] | null;
}

const RETRY_MS = 1_000;

/**
 * Hedges the positions of A-book clients with a liquidity provider as they open and close, from
 * the journal's deals (woken with the accounts ingestion advanced):
 *
 * - an opening deal (`in`) is hedged when the account is in the A-book (its group's book, or its
 *   own when the group books BY_RULE); a closing deal (`out`) when the position's opening was
 *   hedged — so a position opened in the B-book closes there, and one hedged keeps its hedge
 *   until it closes, whatever the account's book is by then;
 * - each hedge is one row (`risk_hedge`, unique per account and deal) written together with the
 *   account's hedged sequence, so a deal is hedged once across restarts (the provider is also
 *   given the deal's id as its order id); accounts outside the A-book only move that sequence on,
 *   so a client who enters the A-book is hedged from then on, not for its past.
 * - a refused order is recorded (REJECTED) and not retried; an unavailable provider is retried.
 */
export class Hedger {
  private readonly pending = new Set<string>();
  private draining: Promise<void> | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly runtime: RiskRuntime,
    private readonly provider: LiquidityProvider,
    private readonly log: Logger,
  ) {}

  wake(accountIds: readonly string[]): void {
    if (this.stopped) return;
    for (const id of accountIds) this.pending.add(id);
    if (!this.draining && this.pending.size > 0) {
      this.draining = this.drain()
        .catch((error) => this.log.error({ err: error }, 'hedging failed'))
        .finally(() => {
          this.draining = null;
          if (this.pending.size > 0) this.wake([]);
        });
    }
  }

  async settle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.settle();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const ids = [...this.pending];
      this.pending.clear();
      const { rows } = await this.pool.query<HedgeAccount>(
        `SELECT r.platform_account_id AS id, r.brand_id, p.platform_id, p.login, r.hedged_seq,
                (CASE g.book WHEN 'BY_RULE' THEN r.book ELSE g.book END) = 'A' AS a_book,
                (SELECT array_agg(x.position) FROM (
                   SELECT h.position FROM risk_hedge h
                    WHERE h.platform_account_id = r.platform_account_id AND h.status = 'FILLED'
                    GROUP BY h.position HAVING sum(CASE h.entry WHEN 'in' THEN h.volume ELSE -h.volume END) > 0
                 ) x) AS open_hedges
           FROM risk_account r JOIN risk_group g ON g.id = r.risk_group_id
           JOIN platform_account p ON p.id = r.platform_account_id
          WHERE r.platform_account_id = ANY($1::uuid[])`,
        [ids],
      );
      const passive = rows.filter((a) => !a.a_book && (a.open_hedges ?? []).length === 0).map((a) => a.id);
      if (passive.length > 0) {
        // Not hedged: only the sequence moves on (one statement for all of them).
        await this.pool.query(
          `UPDATE risk_account r SET hedged_seq = m.seq
             FROM (SELECT account_id, max(seq) AS seq FROM platform_event WHERE account_id = ANY($1::uuid[]) GROUP BY account_id) m
            WHERE r.platform_account_id = m.account_id AND r.hedged_seq < m.seq`,
          [passive],
        );
      }
      for (const account of rows) {
        if (this.stopped) return;
        if (!account.a_book && (account.open_hedges ?? []).length === 0) continue;
        await this.hedgeAccount(account);
      }
    }
  }

  private async hedgeAccount(account: HedgeAccount): Promise<void> {
    const { rows } = await this.pool.query<{ seq: string; at: Date; payload: DealWireEvent }>(
      `SELECT seq, at, payload FROM platform_event WHERE account_id = $1 AND seq > $2 AND type = 'deal' ORDER BY seq`,
      [account.id, account.hedged_seq],
    );
    const open = new Set(account.open_hedges ?? []);
    for (const row of rows) {
      const deal = row.payload;
      const hedge = deal.entry === 'in' ? account.a_book : open.has(deal.position);
      if (!hedge) {
        await this.pool.query('UPDATE risk_account SET hedged_seq = $2 WHERE platform_account_id = $1', [
          account.id,
          row.seq,
        ]);
        continue;
      }
      const digits = this.digitsOf(account.platform_id, deal.symbol, deal.price);
      let fill: Awaited<ReturnType<LiquidityProvider['execute']>> | null = null;
      let error: string | null = null;
      try {
        fill = await this.provider.execute({
          clientOrderId: `${account.id}:${deal.id}`,
          platformId: account.platform_id,
          symbol: deal.symbol,
          side: deal.side,
          volume: deal.volume,
          digits,
        });
      } catch (e) {
        if (!(e instanceof HedgeRejected)) {
          // Unavailable: this deal and the ones after it wait for the next attempt.
          this.log.warn({ err: e, accountId: account.id, deal: deal.id }, 'liquidity provider unavailable, retrying');
          clearTimeout(this.retry);
          this.retry = setTimeout(() => this.wake([account.id]), RETRY_MS);
          this.retry.unref();
          return;
        }
        error = e.message;
      }
      const contractSize = this.contractSizeOf(account.platform_id, deal.symbol);
      const diff = fill ? slippage(deal.side, deal.price, fill.price, digits) : null;
      const value =
        diff === null || contractSize === null ? null : (Number(diff) * Number(deal.volume) * contractSize).toFixed(2);
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO risk_hedge (brand_id, platform_id, platform_account_id, login, event_seq, deal_id, position, entry,
              symbol, client_side, hedge_side, volume, client_price, hedge_price, slippage, slippage_value, provider,
              status, error, latency_ms, client_at, hedged_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
           ON CONFLICT (platform_account_id, deal_id) DO NOTHING`,
          [
            account.brand_id,
            account.platform_id,
            account.id,
            account.login,
            row.seq,
            deal.id,
            deal.position,
            deal.entry,
            deal.symbol,
            deal.side,
            deal.volume,
            deal.price,
            fill?.price ?? null,
            diff,
            value,
            this.provider.name,
            fill ? 'FILLED' : 'REJECTED',
            error,
            fill?.latencyMs ?? null,
            row.at,
            fill?.filledAt ?? new Date(),
          ],
        );
        await client.query('UPDATE risk_account SET hedged_seq = $2 WHERE platform_account_id = $1', [
          account.id,
          row.seq,
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
      if (fill && deal.entry === 'in') open.add(deal.position);
    }
  }

  private market(platformId: string, symbol: string) {
    return this.runtime.books.get(platformId)?.rates.find(symbol) ?? null;
  }

  private digitsOf(platformId: string, symbol: string, price: string): number {
    return this.market(platformId, symbol)?.instrument.digits ?? (price.split('.')[1] ?? '').length;
  }

  private contractSizeOf(platformId: string, symbol: string): number | null {
    return this.market(platformId, symbol)?.instrument.contractSize ?? null;
  }
}

/** The simulated provider's view of a platform's market, from the live books. */
export function marketOf(runtime: RiskRuntime) {
  return (platformId: string, symbol: string): { bid: number; ask: number } | null => {
    const m = runtime.books.get(platformId)?.rates.find(symbol);
    if (!m?.quoted) return null;
    return { bid: m.bid / m.scale, ask: m.ask / m.scale };
  };
}
