import type { Pool } from 'pg';
import type { Logger } from '../logger';

export type OutboxHandler = (payload: Record<string, unknown>, brandId: string) => Promise<void>;

/**
 * Delivers outbox rows after the transaction that wrote them commits, in order, with retries:
 * a row is marked delivered only when its handler succeeded, so a crash or a failing platform
 * delays a consequence but never drops it. Rows are claimed with SKIP LOCKED, so several API
 * processes can share the work. Handlers must be idempotent (platform commands carry an id).
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly log: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  start() {
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.deliver()
      .catch((error) => this.log.error({ err: error }, 'outbox delivery failed'))
      .finally(() => {
        this.running = null;
        if (this.rerun) {
          this.rerun = false;
          this.wake();
        }
      });
  }

  /** Resolves when nothing is pending any more (tests). */
  async drain(maxRounds = 50) {
    for (let i = 0; i < maxRounds; i++) {
      await this.running;
      const { rows } = await this.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox
          WHERE delivered_at IS NULL AND attempts < 20 AND (next_attempt_at IS NULL OR next_attempt_at <= now())`,
      );
      if (rows[0]!.n === 0) return;
      this.wake();
      await this.running;
    }
  }

  private async deliver() {
    for (;;) {
      const client = await this.pool.connect();
      let claimed = 0;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{
          id: string;
          brand_id: string;
          topic: string;
          payload: Record<string, unknown>;
          attempts: number;
        }>(
          `SELECT id, brand_id, topic, payload, attempts FROM outbox
            WHERE delivered_at IS NULL AND attempts < 20 AND (next_attempt_at IS NULL OR next_attempt_at <= now())
            ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED`,
        );
        claimed = rows.length;
        for (const row of rows) {
          const handler = this.handlers[row.topic];
          try {
            if (!handler) throw new Error(`no handler for ${row.topic}`);
            await handler(row.payload, row.brand_id);
            await client.query('UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1', [
              row.id,
            ]);
          } catch (error) {
            this.log.warn({ err: error, topic: row.topic, id: row.id }, 'outbox item failed; will retry');
            // 1 s, 2 s, 4 s … up to a minute between attempts; the rows behind it go on meanwhile.
            await client.query(
              `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                      next_attempt_at = now() + least(interval '1 second' * power(2, attempts), interval '60 seconds')
                WHERE id = $1`,
              [row.id, String((error as Error).message).slice(0, 500)],
            );
          }
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      if (claimed < 50) return;
    }
  }
}
