import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { notFound } from '../common/errors';
import { brandScopedSql } from '../db/scoped-sql';
import type { IngestionStats } from '../ingestion/ingestion.service';
import { publicInstrument, SIM_INSTRUMENTS } from './instruments';
import { PlatformConnectionRow } from './platform.entity';
import type { Mt5ConnectionSettings, Mt5Connections } from './mt5-connections';
import { publicMt5Settings } from './mt5-connection.service';
import type { IngestionMonitor, InstrumentQuote, PlatformConnection } from './platform.types';
import type { PlatformRegistry } from './registry';

const CONNECTED_WITHIN_MS = 60_000;

/** The platforms page and the ingestion monitor: what each brand's platforms are doing. */
export class PlatformConnectionService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: PlatformRegistry,
    private readonly stats: IngestionStats,
    private readonly mt5?: Mt5Connections,
  ) {}

  async list(brandId: string): Promise<PlatformConnection[]> {
    if (!(await this.em.findOne(Brand, { id: brandId }, { fields: ['id'] }))) throw notFound('Brand');
    const rows = await this.em.find(PlatformConnectionRow, { brandId }, { orderBy: { createdAt: 'asc' } });
    const counts = await brandScopedSql<{ platform_id: string; n: number }>(
      this.em,
      [brandId],
      'SELECT platform_id, count(*)::int AS n FROM platform_account WHERE brand_id = ? GROUP BY platform_id',
      [brandId],
    );
    const accounts = new Map(counts.map((c) => [c.platform_id, c.n]));
    return rows.map((row) => this.view(row, accounts.get(row.id) ?? 0));
  }

  async one(platformId: string): Promise<PlatformConnection> {
    const row = await this.load(platformId);
    const [count] = await brandScopedSql<{ n: number }>(
      this.em,
      [row.brandId],
      'SELECT count(*)::int AS n FROM platform_account WHERE platform_id = ? AND brand_id = ?',
      [platformId, row.brandId],
    );
    return this.view(row, count?.n ?? 0);
  }

  private view(row: PlatformConnectionRow, accounts: number): PlatformConnection {
    const live = this.registry.get(row.id);
    const platformTime = live?.clock.now() ?? null;
    const reference = platformTime?.getTime() ?? Date.now();
    const recent = row.lastReceivedAt && Date.now() - row.lastReceivedAt.getTime() < CONNECTED_WITHIN_MS;
    const health = this.mt5?.health(row.id) ?? null;
    const status =
      health && health.failures > 0
        ? 'FAILING'
        : live || recent
          ? 'CONNECTED'
          : row.lastReceivedAt
            ? 'IDLE'
            : 'UNKNOWN';
    return {
      id: row.id,
      brandId: row.brandId,
      kind: row.kind,
      name: row.name,
      server: row.server,
      status,
      lastEventAt: row.lastEventAt,
      lastReceivedAt: row.lastReceivedAt,
      lagSeconds: row.lastEventAt ? Math.max(0, (reference - row.lastEventAt.getTime()) / 1000) : null,
      platformTime,
      accounts,
      mt5: row.kind === 'MT5' ? publicMt5Settings(row.settings as unknown as Mt5ConnectionSettings) : null,
      pollFailures: health?.failures ?? null,
      lastError: health?.lastError ?? null,
    };
  }

  async monitor(platformId: string): Promise<IngestionMonitor> {
    const platform = await this.load(platformId);
    const [journal] = await brandScopedSql<{ n: string }>(
      this.em,
      [platform.brandId],
      'SELECT coalesce(sum(last_seq), 0) AS n FROM platform_account WHERE platform_id = ? AND brand_id = ?',
      [platformId, platform.brandId],
    );
    const rejections = await brandScopedSql<{ event_id: string | null; code: string; message: string; at: Date }>(
      this.em,
      [platform.brandId],
      'SELECT event_id, code, message, at FROM ingestion_rejection WHERE platform_id = ? AND brand_id = ? ORDER BY id DESC LIMIT 25',
      [platformId, platform.brandId],
    );
    return {
      platformId,
      ...this.stats.read(platformId),
      journalled: Number(journal?.n ?? 0),
      recentRejections: rejections.map((r) => ({
        eventId: r.event_id,
        code: r.code,
        message: r.message,
        at: new Date(r.at),
      })),
    };
  }

  async instruments(platformId: string): Promise<InstrumentQuote[]> {
    const platform = await this.load(platformId);
    const live = this.registry.get(platformId);
    const instruments = live ? await live.listInstruments() : SIM_INSTRUMENTS.map(publicInstrument);
    const quotes = await brandScopedSql<{ symbol: string; bid: string; ask: string; at: Date }>(
      this.em,
      [platform.brandId],
      `SELECT q.symbol, q.bid::text AS bid, q.ask::text AS ask, q.at FROM platform_quote q
         JOIN platform_connection c ON c.id = q.platform_id WHERE q.platform_id = ? AND c.brand_id = ?`,
      [platformId, platform.brandId],
    );
    const bySymbol = new Map(quotes.map((q) => [q.symbol, q]));
    return instruments.map((i) => {
      const quote = bySymbol.get(i.symbol);
      return {
        symbol: i.symbol,
        assetClass: i.assetClass,
        contractSize: i.contractSize,
        digits: i.digits,
        marginCurrency: i.marginCurrency,
        profitCurrency: i.profitCurrency,
        bid: quote?.bid ?? null,
        ask: quote?.ask ?? null,
        quotedAt: quote ? new Date(quote.at) : null,
      };
    });
  }

  private async load(platformId: string) {
    const platform = await this.em.findOne(PlatformConnectionRow, { id: platformId });
    if (!platform) throw notFound('Platform');
    return platform;
  }
}
