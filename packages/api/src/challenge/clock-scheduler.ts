import type { Pool, PoolClient } from 'pg';
import type { EventLog } from '../ingestion/event-log';
import type { Logger } from '../logger';
import type { PlatformRegistry } from '../platform/registry';

/** Any fixed number: the PostgreSQL advisory lock that makes one API process the scheduler. */
const SCHEDULER_LOCK = 72_100_001;

/**
 * Writes clock events into the journal of every account whose next day reset has come on its
 * platform's own clock, so resets, time limits and inactivity happen even when an account is
 * idle. Each clock event is keyed by account and reset instant, so a replay of the journal sees
 * exactly the same events and a second scheduler run appends nothing. One leader across API
 * processes, by a session-level advisory lock.
 */
export class ClockScheduler {
  private leader: PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly pool: Pool,
    private readonly journal: EventLog,
    private readonly registry: PlatformRegistry,
    private readonly onAppended: (platformAccountIds: string[]) => void,
    private readonly log: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  async start() {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    // Destroyed, not returned to the pool: the session-level advisory lock goes with it.
    this.leader?.release(true);
    this.leader = undefined;
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (!(await this.isLeader())) return;
      for (const platformId of this.registry.ids()) {
        const now = this.registry.get(platformId)?.clock.now();
        if (now) await this.emitDueResets(platformId, now);
      }
    } catch (error) {
      this.log.error({ err: error }, 'clock scheduler failed');
    } finally {
      this.busy = false;
    }
  }

  private async isLeader(): Promise<boolean> {
    if (this.leader) return true;
    const client = await this.pool.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SCHEDULER_LOCK]);
    if (rows[0]?.ok) {
      this.leader = client;
      return true;
    }
    client.release();
    return false;
  }

  private async emitDueResets(platformId: string, now: Date) {
    const { rows } = await this.pool.query<{
      id: string;
      brand_id: string;
      platform_account_id: string;
      login: string;
      next_reset_at: Date;
    }>(
      `SELECT c.id, c.brand_id, c.platform_account_id, c.login, c.next_reset_at
         FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
        WHERE p.platform_id = $1 AND c.status IN ('ACTIVE', 'FUNDED') AND c.next_reset_at <= $2
          AND (p.last_event_at IS NULL OR p.last_event_at < c.next_reset_at)`,
      [platformId, now],
    );
    const byBrand = new Map<string, typeof rows>();
    for (const row of rows) byBrand.set(row.brand_id, [...(byBrand.get(row.brand_id) ?? []), row]);
    for (const [brandId, accounts] of byBrand) {
      const at = (row: (typeof rows)[number]) => row.next_reset_at.toISOString();
      const result = await this.journal.append(
        platformId,
        brandId,
        accounts.map((row, index) => ({
          index,
          accountId: row.platform_account_id,
          at: row.next_reset_at.getTime(),
          event: { eventId: `clock:${row.id}:${at(row)}`, login: row.login, at: at(row), type: 'clock' } as never,
        })),
      );
      if (result.advanced.length > 0) this.onAppended(result.advanced.map((a) => a.accountId));
    }
  }
}
