import type { Pool, PoolClient } from 'pg';
import type { PlatformEvent } from '../platform';
import type { ItemError } from './wire-event';

/** One accepted event as the journal holds it: its account's sequence number and the event. */
export interface JournalEntry {
  accountId: string;
  seq: number;
  eventId: string;
  type: PlatformEvent['type'];
  at: string;
  payload: PlatformEvent;
}

/** An event checked and resolved to its account, ready to append. */
export interface AppendItem {
  index: number;
  accountId: string | null;
  event: PlatformEvent;
  at: number;
}

export interface AppendResult {
  accepted: number;
  duplicates: { index: number; eventId: string }[];
  rejected: ItemError[];
  /** Accounts whose journal grew, with their new last sequence (for the engine's consumer). */
  advanced: { accountId: string; seq: number }[];
}

/**
 * The one journal of platform events. PostgreSQL now; an existing distributed log (NATS JetStream)
 * can take its place behind the same interface when ingestion is partitioned across processes.
 */
export interface EventLog {
  /**
   * Appends durably (committed before it returns); the same eventId twice is stored once.
   * `alongside` runs in the same transaction after the events (e.g. the audit entry of a partner's batch).
   */
  append(platformId: string, brandId: string, items: AppendItem[], alongside?: AlongsideAppend): Promise<AppendResult>;
  /** Entries of one account after `afterSeq`, in sequence order. */
  read(accountId: string, afterSeq: number, limit: number): Promise<JournalEntry[]>;
}

/** Work that commits or rolls back with an append. */
export type AlongsideAppend = (client: PoolClient, result: AppendResult) => Promise<void>;

export class PgEventLog implements EventLog {
  constructor(private readonly pool: Pool) {}

  async append(
    platformId: string,
    brandId: string,
    items: AppendItem[],
    alongside?: AlongsideAppend,
  ): Promise<AppendResult> {
    const result: AppendResult = { accepted: 0, duplicates: [], rejected: [], advanced: [] };
    const quotes = items.filter((i) => i.event.type === 'quote');
    const accountItems = items.filter((i) => i.event.type !== 'quote' && i.accountId !== null);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (accountItems.length > 0) await this.appendAccountEvents(client, platformId, brandId, accountItems, result);
      if (quotes.length > 0) {
        await this.upsertQuotes(client, platformId, quotes);
        result.accepted += quotes.length;
      }
      if (alongside) await alongside(client, result);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async appendAccountEvents(
    client: PoolClient,
    platformId: string,
    brandId: string,
    items: AppendItem[],
    result: AppendResult,
  ) {
    const accountIds = [...new Set(items.map((i) => i.accountId as string))].sort();
    // Locking the accounts (in id order, so two batches never deadlock) serialises appends per
    // account: the duplicate check below then sees every event committed before it.
    const locked = await client.query<{ id: string; last_seq: string; last_event_at: Date | null }>(
      'SELECT id, last_seq, last_event_at FROM platform_account WHERE id = ANY($1::uuid[]) AND brand_id = $2 ORDER BY id FOR UPDATE',
      [accountIds, brandId],
    );
    const cursor = new Map(
      locked.rows.map((r) => [
        r.id,
        { seq: Number(r.last_seq), at: r.last_event_at?.getTime() ?? Number.NEGATIVE_INFINITY },
      ]),
    );
    const existing = await client.query<{ event_id: string }>(
      'SELECT event_id FROM platform_event WHERE platform_id = $1 AND event_id = ANY($2::text[])',
      [platformId, items.map((i) => i.event.eventId)],
    );
    const seen = new Set(existing.rows.map((r) => r.event_id));
    const rows = {
      account: [] as string[],
      seq: [] as number[],
      eventId: [] as string[],
      type: [] as string[],
      at: [] as string[],
      payload: [] as string[],
    };
    for (const item of items) {
      const { eventId } = item.event;
      if (seen.has(eventId)) {
        result.duplicates.push({ index: item.index, eventId });
        continue;
      }
      const position = cursor.get(item.accountId as string)!;
      if (item.at < position.at) {
        result.rejected.push({
          index: item.index,
          eventId,
          code: 'OUT_OF_ORDER',
          message: `at ${item.event.at} is older than an event already accepted for this account (${new Date(position.at).toISOString()})`,
        });
        continue;
      }
      seen.add(eventId);
      position.seq += 1;
      position.at = item.at;
      rows.account.push(item.accountId as string);
      rows.seq.push(position.seq);
      rows.eventId.push(eventId);
      rows.type.push(item.event.type);
      rows.at.push(item.event.at);
      rows.payload.push(JSON.stringify(item.event));
    }
    if (rows.account.length === 0) return;
    await client.query(
      `INSERT INTO platform_event (account_id, seq, platform_id, brand_id, event_id, type, at, payload)
       SELECT a, s, $1, $2, e, t, at, p FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[], $8::jsonb[])
         AS u(a, s, e, t, at, p)`,
      [platformId, brandId, rows.account, rows.seq, rows.eventId, rows.type, rows.at, rows.payload],
    );
    const advanced = [...cursor.entries()].filter(([id]) => rows.account.includes(id));
    await client.query(
      `UPDATE platform_account AS a SET last_seq = u.seq, last_event_at = u.at
         FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) AS u(id, seq, at)
        WHERE a.id = u.id AND a.brand_id = $4`,
      [
        advanced.map(([id]) => id),
        advanced.map(([, c]) => c.seq),
        advanced.map(([, c]) => new Date(c.at).toISOString()),
        brandId,
      ],
    );
    result.accepted += rows.account.length;
    result.advanced.push(...advanced.map(([accountId, c]) => ({ accountId, seq: c.seq })));
  }

  private async upsertQuotes(client: PoolClient, platformId: string, quotes: AppendItem[]) {
    // Only the latest quote per symbol matters; later quotes win, older ones are ignored.
    const latest = new Map<string, AppendItem>();
    for (const q of quotes) {
      const symbol = (q.event as { symbol: string }).symbol;
      const known = latest.get(symbol);
      if (!known || known.at <= q.at) latest.set(symbol, q);
    }
    const list = [...latest.values()].map((q) => q.event as { symbol: string; bid: string; ask: string; at: string });
    await client.query(
      `INSERT INTO platform_quote (platform_id, symbol, bid, ask, at)
       SELECT $1, s, b, a, t FROM unnest($2::text[], $3::numeric[], $4::numeric[], $5::timestamptz[]) AS u(s, b, a, t)
       ON CONFLICT (platform_id, symbol) DO UPDATE SET bid = excluded.bid, ask = excluded.ask, at = excluded.at
         WHERE platform_quote.at <= excluded.at`,
      [platformId, list.map((q) => q.symbol), list.map((q) => q.bid), list.map((q) => q.ask), list.map((q) => q.at)],
    );
  }

  async read(accountId: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    const { rows } = await this.pool.query<{
      seq: string;
      event_id: string;
      type: PlatformEvent['type'];
      at: Date;
      payload: PlatformEvent;
    }>(
      'SELECT seq, event_id, type, at, payload FROM platform_event WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [accountId, afterSeq, limit],
    );
    return rows.map((r) => ({
      accountId,
      seq: Number(r.seq),
      eventId: r.event_id,
      type: r.type,
      at: r.at.toISOString(),
      payload: r.payload,
    }));
  }
}
