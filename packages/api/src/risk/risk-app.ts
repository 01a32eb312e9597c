import type { Pool } from 'pg';
import type { EventPubSub } from '../events/pubsub';
import type { Logger } from '../logger';
import type { PlatformRegistry } from '../platform/registry';
import { RiskCommandWorker } from './risk-commands';
import { RiskRuntime } from './risk-live';

export interface RunningRisk {
  runtime: RiskRuntime;
  worker: RiskCommandWorker;
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
}): RunningRisk {
  const worker = new RiskCommandWorker(deps.pool, deps.registry, deps.pubsub, deps.log, {
    retryBaseMs: deps.retryBaseMs,
  });
  const runtime = new RiskRuntime(deps.pool, deps.pubsub, deps.registry, deps.log, { onCommands: () => worker.wake() });
  return {
    runtime,
    worker,
    start: async () => {
      await runtime.start();
      worker.start();
    },
    settle: async () => {
      await runtime.settle();
      await worker.drain();
      await runtime.settle();
    },
    stop: async () => {
      await runtime.stop();
      await worker.stop();
    },
  };
}
