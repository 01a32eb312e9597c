import type { Pool } from 'pg';
import type { EventPubSub } from '../events/pubsub';
import type { Logger } from '../logger';
import { PlatformError, type TradingMode } from '../platform/platform';
import type { PlatformRegistry } from '../platform/registry';
import { RiskTopic } from './risk-topics';

interface CommandRow {
  id: string;
  brand_id: string;
  platform_id: string;
  platform_account_id: string;
  login: string;
  command_id: string;
  kind: 'SET_MODE' | 'CLOSE_POSITION' | 'CORRECTION' | 'PUSH_ACCOUNT';
  payload: Record<string, unknown>;
  change_id: string | null;
  attempts: number;
}

const BATCH = 200;

/**
 * Delivers risk commands (risk_command rows, written in the transaction that caused them) to the
 * platforms: claimed with SKIP LOCKED, so several processes can share the work; each sent with its
 * command id, so a retry after a crash or a timeout has one effect. An unreachable platform is
 * retried with back-off (RETRYING, the error kept); a refusal is FAILED and shown with its reason —
 * nothing is dropped silently. Progress of a margin change goes out on its topic.
 */
export class RiskCommandWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly registry: PlatformRegistry,
    private readonly pubsub: EventPubSub,
    private readonly log: Logger,
    private readonly options: { intervalMs?: number; retryBaseMs?: number } = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.intervalMs ?? 500);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.deliver()
      .catch((error) => this.log.error({ err: error }, 'risk commands: delivery failed'))
      .finally(() => {
        this.running = null;
        if (this.rerun) {
          this.rerun = false;
          this.wake();
        }
      });
  }

  /** Resolves when no command is due now (tests). */
  async drain(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.running;
      const { rows } = await this.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM risk_command WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()",
      );
      if (rows[0]!.n === 0) return;
      this.wake();
      await this.running;
    }
  }

  private async deliver(): Promise<void> {
    for (;;) {
      const client = await this.pool.connect();
      const changes = new Set<string>();
      let claimed = 0;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<CommandRow>(
          `SELECT id, brand_id, platform_id, platform_account_id, login, command_id, kind, payload, change_id, attempts
             FROM risk_command WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()
            ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        );
        claimed = rows.length;
        const done: string[] = [];
        for (const row of rows) {
          if (row.change_id) changes.add(row.change_id);
          const outcome = await this.perform(row);
          if (outcome.ok) {
            done.push(row.id);
            continue;
          }
          const backoff = Math.min((this.options.retryBaseMs ?? 1_000) * 2 ** row.attempts, 60_000);
          await client.query(
            `UPDATE risk_command SET status = $2, attempts = attempts + 1, last_error = $3,
                    next_attempt_at = now() + ($4::int * interval '1 millisecond') WHERE id = $1`,
            [row.id, outcome.retry ? 'RETRYING' : 'FAILED', outcome.error.slice(0, 500), backoff],
          );
        }
        if (done.length > 0) {
          await client.query(
            `UPDATE risk_command SET status = 'DONE', attempts = attempts + 1, done_at = now()
              WHERE id = ANY($1::bigint[])`,
            [done],
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      for (const id of changes) this.pubsub.publish(RiskTopic.marginChange(id), Date.now());
      if (claimed < BATCH) return;
    }
  }

  private async perform(row: CommandRow): Promise<{ ok: true } | { ok: false; retry: boolean; error: string }> {
    const platform = this.registry.get(row.platform_id);
    if (!platform) return { ok: false, retry: true, error: 'the platform is not connected to this process' };
    const { login, command_id: commandId, payload } = row;
    try {
      switch (row.kind) {
        case 'SET_MODE': {
          const mode = payload.mode as TradingMode;
          // Never loosen (or overwrite) a mode the challenge engine set: a breach or pass is DISABLED.
          if (await this.heldByChallenge(row.platform_account_id)) break;
          await platform.setTradingMode({ commandId, login, mode });
          break;
        }
        case 'CLOSE_POSITION':
          await platform.closePosition({ commandId, login, position: payload.position as string });
          break;
        case 'CORRECTION':
          await platform.balanceOperation({
            commandId,
            login,
            kind: 'CORRECTION',
            amount: payload.amount as string,
            comment: 'Negative balance protection',
          });
          break;
        case 'PUSH_ACCOUNT':
          await platform.changeGroup({ commandId: `${commandId}:group`, login, group: payload.group as string });
          await platform.changeLeverage({
            commandId: `${commandId}:leverage`,
            login,
            leverage: payload.leverage as number,
          });
          break;
      }
      return { ok: true };
    } catch (error) {
      if (error instanceof PlatformError) {
        // A stop-out close of a position the platform already closed has nothing left to do.
        if (row.kind === 'CLOSE_POSITION' && error.reason === 'UNKNOWN_POSITION') return { ok: true };
        return { ok: false, retry: error.retryable, error: `${error.reason}: ${error.message}` };
      }
      return { ok: false, retry: true, error: (error as Error).message ?? String(error) };
    }
  }

  /**
   * A margin call (or its clearing) must not change the mode of an account a challenge rule closed
   * (a breach, a pass, a soft lock until the next reset): the challenge engine owns the mode then.
   */
  private async heldByChallenge(platformAccountId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ held: boolean }>(
      `SELECT (status NOT IN ('ACTIVE', 'FUNDED') OR coalesce(soft_locked_until > now(), false)) AS held
         FROM challenge_account WHERE platform_account_id = $1`,
      [platformAccountId],
    );
    return rows[0]?.held ?? false;
  }
}
