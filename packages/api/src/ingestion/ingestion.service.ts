import type { Pool } from 'pg';
import { type AuditActor, auditWith } from '../audit/audit';
import { isUuid } from '../common/ids';
import type { Logger } from '../logger';
import type { PlatformClock, QuoteWireEvent } from '../platform';
import type { AlongsideAppend, AppendItem, AppendResult, EventLog } from './event-log';
import { checkWireEvent, type ItemError } from './wire-event';

export interface IngestResult extends Omit<AppendResult, 'advanced'> {
  received: number;
}

interface PlatformInfo {
  brandId: string;
  accounts: Map<string, string>;
}

/** Counters for the ingestion monitor, per platform, kept in memory (per process). */
export class IngestionStats {
  private readonly perPlatform = new Map<
    string,
    { accepted: number; duplicates: number; rejected: number; perSecond: Map<number, number> }
  >();

  record(platformId: string, result: IngestResult, now = Date.now()) {
    let s = this.perPlatform.get(platformId);
    if (!s) {
      s = { accepted: 0, duplicates: 0, rejected: 0, perSecond: new Map() };
      this.perPlatform.set(platformId, s);
    }
    s.accepted += result.accepted;
    s.duplicates += result.duplicates.length;
    s.rejected += result.rejected.length;
    // Accepted events per second over the last ten seconds, without keeping every event.
    const second = Math.floor(now / 1000);
    s.perSecond.set(second, (s.perSecond.get(second) ?? 0) + result.accepted);
    for (const key of s.perSecond.keys()) if (key <= second - 10) s.perSecond.delete(key);
  }

  read(platformId: string, now = Date.now()) {
    const s = this.perPlatform.get(platformId);
    if (!s) return { accepted: 0, duplicates: 0, rejected: 0, eventsPerSecond: 0 };
    const since = Math.floor(now / 1000) - 10;
    let recent = 0;
    for (const [second, count] of s.perSecond) if (second > since) recent += count;
    return { accepted: s.accepted, duplicates: s.duplicates, rejected: s.rejected, eventsPerSecond: recent / 10 };
  }
}

/**
 * The way in for any bridge: checks each event, resolves its account, appends the batch to the
 * journal (durable before this returns, so before any acknowledgement), and reports per item.
 * Runs as system work for one platform's brand: every statement is limited to that brand.
 */
export class IngestionService {
  private readonly platforms = new Map<string, PlatformInfo>();

  constructor(
    private readonly pool: Pool,
    private readonly journal: EventLog,
    private readonly clockOf: (platformId: string) => PlatformClock | undefined,
    private readonly stats: IngestionStats,
    private readonly log: Logger,
    private readonly onAppended: (advanced: AppendResult['advanced']) => void = () => {},
    private readonly onQuotes: (platformId: string, quotes: QuoteWireEvent[]) => void = () => {},
  ) {}

  /**
   * `byPartner`: the partner API key that sent the batch; a batch that stores anything is then
   * audited in the journal's own transaction (a key's use that changes data).
   */
  async ingest(platformId: string, raw: unknown[], byPartner?: AuditActor): Promise<IngestResult> {
    const platform = await this.platform(platformId);
    const now = (this.clockOf(platformId)?.now() ?? new Date()).getTime();
    const rejected: ItemError[] = [];
    const items: AppendItem[] = [];
    const checked = raw.map((event) => checkWireEvent(event, now));
    const unknownLogins = new Set<string>();
    for (const c of checked) {
      if (c.ok && c.event.type !== 'quote' && !platform.accounts.has(c.event.login)) unknownLogins.add(c.event.login);
    }
    if (unknownLogins.size > 0) await this.loadAccounts(platformId, platform, [...unknownLogins]);
    for (const [index, c] of checked.entries()) {
      if (!c.ok) {
        rejected.push({ index, ...c.error });
      } else if (c.event.type === 'quote') {
        items.push({ index, accountId: null, event: c.event, at: c.at });
      } else {
        const accountId = platform.accounts.get(c.event.login);
        if (accountId) items.push({ index, accountId, event: c.event, at: c.at });
        else
          rejected.push({
            index,
            eventId: c.event.eventId,
            code: 'UNKNOWN_ACCOUNT',
            message: `no account with login ${c.event.login} on this platform`,
          });
      }
    }
    const audited: AlongsideAppend | undefined = byPartner
      ? async (client, appendResult) => {
          if (appendResult.accepted === 0) return;
          await auditWith(client, byPartner, {
            brandId: platform.brandId,
            operation: 'ingestPlatformEvents',
            targetType: 'Platform',
            targetId: platformId,
            after: {
              received: raw.length,
              accepted: appendResult.accepted,
              duplicates: appendResult.duplicates.length,
              rejected: rejected.length + appendResult.rejected.length,
            },
          });
        }
      : undefined;
    const appended = items.length > 0 ? await this.journal.append(platformId, platform.brandId, items, audited) : null;
    const result: IngestResult = {
      received: raw.length,
      accepted: appended?.accepted ?? 0,
      duplicates: appended?.duplicates ?? [],
      rejected: [...rejected, ...(appended?.rejected ?? [])].sort((a, b) => a.index - b.index),
    };
    this.stats.record(platformId, result);
    if (appended && appended.advanced.length > 0) this.onAppended(appended.advanced);
    const quotes = items.filter((i) => i.event.type === 'quote').map((i) => i.event as QuoteWireEvent);
    if (appended && quotes.length > 0) this.onQuotes(platformId, quotes);
    if (result.rejected.length > 0) await this.keepRejections(platformId, platform.brandId, result.rejected);
    if (appended && appended.accepted > 0)
      this.noteLatest(platformId, platform.brandId, Math.max(...items.map((i) => i.at)));
    return result;
  }

  /**
   * The platforms page's "last event" figures, written at most once a second per platform rather
   * than per batch: one row updated by every batch would serialise concurrent senders.
   */
  private readonly latest = new Map<string, { brandId: string; at: number; timer?: NodeJS.Timeout }>();

  private noteLatest(platformId: string, brandId: string, at: number) {
    const entry = this.latest.get(platformId) ?? { brandId, at };
    entry.at = Math.max(entry.at, at);
    this.latest.set(platformId, entry);
    if (entry.timer) return;
    entry.timer = setTimeout(() => void this.writeLatest(platformId), 1_000);
    entry.timer.unref();
  }

  private async writeLatest(platformId: string) {
    const entry = this.latest.get(platformId);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    await this.pool
      .query(
        'UPDATE platform_connection SET last_received_at = now(), last_event_at = greatest(last_event_at, $2) WHERE id = $1 AND brand_id = $3',
        [platformId, new Date(entry.at).toISOString(), entry.brandId],
      )
      .catch((error) => this.log.warn({ err: error }, 'platform monitor update failed'));
  }

  /** Writes the pending "last event" figures now (at shutdown, before the pool closes). */
  async flush(): Promise<void> {
    const pending = [...this.latest.entries()].filter(([, entry]) => entry.timer).map(([id]) => id);
    await Promise.all(pending.map((id) => this.writeLatest(id)));
  }

  /** Forgets cached logins of a platform (after accounts are created outside this process). */
  forget(platformId: string) {
    this.platforms.delete(platformId);
  }

  private async platform(platformId: string): Promise<PlatformInfo> {
    const cached = this.platforms.get(platformId);
    if (cached) return cached;
    if (!isUuid(platformId)) throw new UnknownPlatformError(platformId);
    const { rows } = await this.pool.query<{ brand_id: string }>(
      'SELECT brand_id FROM platform_connection WHERE id = $1',
      [platformId],
    );
    if (!rows[0]) throw new UnknownPlatformError(platformId);
    const info = { brandId: rows[0].brand_id, accounts: new Map<string, string>() };
    this.platforms.set(platformId, info);
    return info;
  }

  private async loadAccounts(platformId: string, platform: PlatformInfo, logins: string[]) {
    const { rows } = await this.pool.query<{ id: string; login: string }>(
      'SELECT id, login FROM platform_account WHERE platform_id = $1 AND brand_id = $2 AND login = ANY($3::text[])',
      [platformId, platform.brandId, logins],
    );
    for (const row of rows) platform.accounts.set(row.login, row.id);
  }

  private async keepRejections(platformId: string, brandId: string, rejected: ItemError[]) {
    await this.pool.query(
      `INSERT INTO ingestion_rejection (platform_id, brand_id, event_id, code, message)
       SELECT $1, $2, e, c, m FROM unnest($3::text[], $4::text[], $5::text[]) AS u(e, c, m)`,
      [
        platformId,
        brandId,
        rejected.map((r) => r.eventId),
        rejected.map((r) => r.code),
        rejected.map((r) => r.message),
      ],
    );
  }
}

export class UnknownPlatformError extends Error {
  constructor(readonly platformId: string) {
    super(`no platform ${platformId}`);
  }
}
