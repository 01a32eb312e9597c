import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { systemScope } from '../db/tenancy';
import { OutboxDispatcher } from '../events/outbox';
import type { EventPubSub } from '../events/pubsub';
import { Topic } from '../events/topics';
import type { EventLog } from '../ingestion/event-log';
import type { Logger } from '../logger';
import { PlatformError, type TradingMode } from '../platform/platform';
import type { PlatformRegistry } from '../platform/registry';
import { ClockScheduler } from './clock-scheduler';
import { ChallengeService, metricsView, reviewOf } from './challenge.service';
import { type AppliedBatch, type TransitionNotice, ChallengeEngineRunner } from './engine-runner';
import { JOURNAL_GREW } from './staff-actions';

/** At most this often per account, the live figures go out; the latest always does (trailing flush). */
const METRICS_EVERY_MS = 250;

export interface LiveChallenges {
  /** Platform accounts whose journal grew. */
  wake(platformAccountIds: string[]): void;
  /** Resolves when the engine and the outbox have caught up (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The challenge engine in real time: the runner applies journals, the outbox carries each
 * transition's consequences (notifications, platform commands, advancing a pass) after commit,
 * and the scheduler writes clock events for resets.
 */
export function startLiveChallenges(deps: {
  pool: Pool;
  orm: MikroORM;
  pubsub: EventPubSub;
  registry: PlatformRegistry;
  journal: EventLog;
  log: Logger;
}): LiveChallenges {
  const { pool, orm, pubsub, registry, journal, log } = deps;
  const throttled = new Map<string, { timer?: NodeJS.Timeout; latest?: AppliedBatch; last: number }>();
  const publishMetrics = (batch: AppliedBatch) => {
    pubsub.publish(Topic.accountMetrics(batch.accountId), metricsView(batch.accountId, batch.status, batch.metrics));
  };
  // Transitions this process showed live the moment they committed; the outbox row that carries
  // the same transition then does not show it twice.
  const shownLive = new Set<string>();
  const noticeKey = (n: Pick<TransitionNotice, 'accountId' | 'kind' | 'at'>) => `${n.accountId}|${n.kind}|${n.at}`;
  const publishTransition = (notice: TransitionNotice, brandId: string) => {
    const detail = notice.detail as Record<string, string>;
    const view = {
      accountId: notice.accountId,
      kind: notice.kind,
      rule: notice.rule ?? null,
      at: new Date(notice.at),
      floor: detail.floor ?? null,
      equity: detail.equity ?? null,
      seq: Number(detail.event ?? 0),
      ...reviewOf(notice.kind, notice.detail),
    };
    pubsub.publish(Topic.challengeStatus(view.accountId), view);
    pubsub.publish(Topic.challengeEvents(brandId), view);
  };
  const onApplied = (batch: AppliedBatch) => {
    for (const notice of batch.notices) {
      publishTransition(notice, batch.brandId);
      // Bounded: a row the outbox never delivers (it is delivered within seconds) must not pile up.
      if (shownLive.size > 50_000) shownLive.clear();
      shownLive.add(noticeKey(notice));
    }
    const entry = throttled.get(batch.accountId) ?? { last: 0 };
    throttled.set(batch.accountId, entry);
    entry.latest = batch;
    const wait = entry.last + METRICS_EVERY_MS - Date.now();
    if (wait <= 0) {
      entry.last = Date.now();
      publishMetrics(batch);
    } else if (!entry.timer) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        entry.last = Date.now();
        if (entry.latest) publishMetrics(entry.latest);
      }, wait);
      entry.timer.unref();
    }
    if (batch.transitions.length > 0) outbox.wake();
  };
  const runner = new ChallengeEngineRunner(pool, log, onApplied);
  // Journals that grew outside ingestion (staff actions) wake their accounts too.
  const journalGrew = pubsub.subscribe(JOURNAL_GREW);
  void (async () => {
    for await (const ids of journalGrew) runner.wake(ids as string[]);
  })();

  const outbox = new OutboxDispatcher(
    pool,
    {
      'challenge.transition': async (payload, brandId) => {
        // Shown live already when this process committed it; after a restart, shown from here.
        if (shownLive.delete(noticeKey(payload as unknown as TransitionNotice))) return;
        publishTransition(payload as unknown as TransitionNotice, brandId);
      },
      'platform.command': async (payload) => {
        const platform = registry.get(payload.platformId as string);
        if (!platform) throw new Error(`platform ${payload.platformId} is not connected here`);
        const commandId = payload.commandId as string;
        const login = payload.login as string;
        try {
          if (payload.command === 'setTradingMode') {
            await platform.setTradingMode({ commandId, login, mode: payload.mode as TradingMode });
          } else if (payload.command === 'closeAllPositions') {
            await platform.closeAllPositions({ commandId, login });
          }
        } catch (error) {
          // A refusal will not change on retry (e.g. the account is already closed); anything else is retried.
          if (error instanceof PlatformError && error.code === 'PLATFORM_REJECTED') {
            log.warn({ commandId, reason: error.message }, 'platform refused a command');
            return;
          }
          throw error;
        }
      },
      'challenge.warning': async (payload, brandId) => {
        const view = {
          accountId: payload.accountId as string,
          kind: 'WARNING',
          rule: payload.rule as string,
          at: new Date(),
          floor: payload.floor as string,
          equity: payload.equity as string,
          seq: 0,
          threshold: payload.threshold as number,
          reviewRequired: false,
        };
        pubsub.publish(Topic.challengeStatus(view.accountId), view);
        pubsub.publish(Topic.challengeEvents(brandId), view);
      },
      'challenge.correctionReview': async (payload, brandId) => {
        // The pass stands and the next phase goes on; staff decide (the timeline marks it). Staff
        // consumers (alerting, messaging) take this topic; here it is logged for operations.
        log.warn(
          { brandId, accountId: payload.accountId, dealId: payload.dealId, outcome: payload.outcome },
          'a deal correction after the account advanced needs staff review',
        );
      },
      'challenge.advance': async (payload, brandId) => {
        const em = systemScope(orm.em, 'advance a passed challenge account', [brandId]);
        await new ChallengeService(em, registry).advance(payload.accountId as string);
      },
    },
    log,
  );
  outbox.start();
  const scheduler = new ClockScheduler(pool, journal, registry, (ids) => runner.wake(ids), log);
  void scheduler.start();

  return {
    wake: (ids) => runner.wake(ids),
    settle: async () => {
      await runner.idle();
      await outbox.drain();
      await runner.idle();
    },
    stop: async () => {
      await journalGrew.return?.();
      await scheduler.stop();
      await runner.idle();
      await outbox.stop();
      for (const entry of throttled.values()) clearTimeout(entry.timer);
    },
  };
}
