import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool, PoolClient } from 'pg';
import { systemViewer } from '../auth/viewer';
import { systemScope } from '../db/tenancy';
import type { Logger } from '../logger';
import type { PlatformRegistry } from '../platform/registry';
import { type AssignmentMove, AssignmentRuleService } from './assignment-rules.service';
import type { RiskCommandWorker } from './risk-commands';
import type { RiskRuntime } from './risk-live';

/** Any fixed number (not the clock scheduler's): the advisory lock that makes one API process run the rules. */
const RULES_LOCK = 72_100_008;

/**
 * Runs every brand's enabled assignment rules on live data at an interval. One leader across API
 * processes by a session-level PostgreSQL advisory lock (as `challenge/clock-scheduler.ts`); a
 * run is one transaction per brand, so a crash mid-way moves a brand's accounts wholly or not at all.
 */
export class AssignmentScheduler {
  private leader: PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<AssignmentMove[]> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly orm: MikroORM,
    private readonly runtime: RiskRuntime,
    private readonly worker: RiskCommandWorker,
    private readonly registry: PlatformRegistry,
    private readonly log: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy?.catch(() => undefined);
    // Destroyed, not returned to the pool: the session-level advisory lock goes with it.
    this.leader?.release(true);
    this.leader = undefined;
  }

  /** One run over every brand with enabled rules, if this process leads; returns the moves. */
  tick(): Promise<AssignmentMove[]> {
    if (this.busy) return this.busy;
    this.busy = this.runAll()
      .catch((error) => {
        this.log.error({ err: error }, 'assignment rules failed');
        return [];
      })
      .finally(() => {
        this.busy = null;
      });
    return this.busy;
  }

  private async runAll(): Promise<AssignmentMove[]> {
    if (!(await this.isLeader())) return [];
    const { rows } = await this.pool.query<{ brand_id: string }>(
      'SELECT DISTINCT brand_id FROM risk_assignment_rule WHERE enabled',
    );
    const moves: AssignmentMove[] = [];
    for (const { brand_id: brandId } of rows) {
      const em = systemScope(this.orm.em, 'assignment rules', [brandId]);
      const service = new AssignmentRuleService(em, this.runtime, this.worker, this.registry, {
        viewer: systemViewer('assignment rules'),
      });
      try {
        const moved = await service.run(brandId);
        if (moved.length > 0) this.log.info({ brandId, moved: moved.length }, 'assignment rules moved accounts');
        moves.push(...moved);
      } catch (error) {
        this.log.error({ err: error, brandId }, 'assignment rules failed for a brand');
      }
    }
    return moves;
  }

  private async isLeader(): Promise<boolean> {
    if (this.leader) return true;
    const client = await this.pool.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RULES_LOCK]);
    if (rows[0]?.ok) {
      this.leader = client;
      return true;
    }
    client.release();
    return false;
  }
}
