import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { EventPubSub } from '../events/pubsub';
import type { Logger } from '../logger';
import type { PlatformRegistry } from '../platform/registry';
import { AssignmentScheduler } from './assignment-scheduler';
import { Hedger, marketOf } from './hedger';
import { type LiquidityProvider, SimulatedLiquidityProvider } from './liquidity';
import { RiskCommandWorker } from './risk-commands';
import { RiskRuntime } from './risk-live';

export interface RunningRisk {
  runtime: RiskRuntime;
  worker: RiskCommandWorker;
  /** Runs the behaviour-based assignment rules (one leader across processes). */
  rules: AssignmentScheduler | null;
  /** Hedges A-book clients' deals with the liquidity provider. */
  hedger: Hedger;
  /** Loads the books (groups, accounts, quotes, journal) and starts delivering commands. */
  start(): Promise<void>;
  /** Resolves when the books caught up with the journal and due commands were sent (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The risk runtime and its command worker, wired for app.ts. */
export function createRisk(deps: {
  pool: Pool;
  pubsub: EventPubSub;
  registry: PlatformRegistry;
  log: Logger;
  retryBaseMs?: number;
  /** Needed for the assignment rules (audited moves); without it they never run on their own. */
  orm?: MikroORM;
  rulesIntervalMs?: number;
  /** The A-book's provider; by default the simulated one (HEDGE_SPREAD_POINTS, HEDGE_LATENCY_MS). */
  provider?: LiquidityProvider;
}): RunningRisk {
  const worker = new RiskCommandWorker(deps.pool, deps.registry, deps.pubsub, deps.log, {
    retryBaseMs: deps.retryBaseMs,
  });
  let hedger: Hedger | undefined;
  const runtime = new RiskRuntime(deps.pool, deps.pubsub, deps.registry, deps.log, {
    onCommands: () => worker.wake(),
    onApplied: (ids) => hedger?.wake(ids),
  });
  const provider =
    deps.provider ??
    new SimulatedLiquidityProvider({
      spreadPoints: Number(process.env.HEDGE_SPREAD_POINTS ?? 6),
      latencyMs: Number(process.env.HEDGE_LATENCY_MS ?? 20),
      market: marketOf(runtime),
    });
  hedger = new Hedger(deps.pool, runtime, provider, deps.log);
  const rules = deps.orm
    ? new AssignmentScheduler(deps.pool, deps.orm, runtime, worker, deps.registry, deps.log, deps.rulesIntervalMs)
    : null;
  return {
    runtime,
    worker,
    rules,
    hedger,
    start: async () => {
      await runtime.start();
      worker.start();
      rules?.start();
    },
    settle: async () => {
      await runtime.settle();
      await hedger.settle();
      await worker.drain();
      await runtime.settle();
    },
    stop: async () => {
      await rules?.stop();
      await runtime.stop();
      await hedger.stop();
      await worker.stop();
    },
  };
}
