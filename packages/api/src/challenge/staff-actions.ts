import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, audit } from '../audit/audit';
import { Brand } from '../brands/brand.entity';
import { badInput, conflict, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import type { EventPubSub } from '../events/pubsub';
import type { PlatformRegistry } from '../platform/registry';
import {
  applyEvent,
  createPhaseState,
  type PhaseState,
  parseEvent,
  type StaffAction,
  staffActionProblem,
} from '../rules/engine';
import type { PhaseRules } from '../rules/rules.schema';
import { ChallengeService } from './challenge.service';
import type { ChallengeAccount } from './challenge.types';

/**
 * In-process signal that journals grew outside ingestion (staff actions): payload is the platform
 * account ids. The live engine wakes those accounts (see live.ts).
 */
export const JOURNAL_GREW = 'challenge-journal-grew';

/** What staff can do to an account: the engine's actions, and RESET (a fresh attempt of the phase). */
export type StaffOperation = StaffAction | 'RESET';

/** Operation names in the audit trail. */
const OPERATION: Record<StaffOperation, string> = {
  EXTEND: 'extendChallengeTimeLimit',
  REINSTATE: 'reinstateChallengeAccount',
  PASS: 'passChallengeAccount',
  FAIL: 'failChallengeAccount',
  CLOSE: 'closeChallengeAccount',
  RESET: 'resetChallengeAccount',
};

const NEEDS_REASON: ReadonlySet<StaffOperation> = new Set(['REINSTATE', 'FAIL', 'CLOSE', 'RESET']);
const ENGINE_TYPES = ['deal', 'equity', 'balance', 'clock', 'staff'];

export interface StaffActionRequest {
  accountId: string;
  operation: StaffOperation;
  /** Idempotency key chosen by the caller: the same id twice does the action once. */
  actionId?: string | null;
  days?: number | null;
  reason?: string | null;
}

/** What an action did: its journal position, the account to show (a reset's new attempt) and where it was journalled. */
export interface StaffActionOutcome {
  seq: number;
  resultId: string;
  /** The action id had been used already: nothing was done again. */
  repeated: boolean;
  account: Pick<Row, 'platform_account_id' | 'brand_id'>;
}

interface NormalisedRequest {
  accountId: string;
  operation: StaffOperation;
  reason: string | null;
  days: number | null;
  actionId: string;
}

/** The request's input checked (BAD_USER_INPUT with the field) and trimmed; a fresh action id when none was given. */
function normalise(request: StaffActionRequest): NormalisedRequest {
  const { operation } = request;
  const reason = request.reason?.trim() || null;
  if (NEEDS_REASON.has(operation) && !reason) {
    throw badInput([{ path: ['reason'], message: 'give a reason: the trader and the audit trail see it' }]);
  }
  if (reason && reason.length > 500) throw badInput([{ path: ['reason'], message: 'at most 500 characters' }]);
  const days = request.days ?? null;
  if (operation === 'EXTEND' && (days === null || !Number.isInteger(days) || days < 1 || days > 365)) {
    throw badInput([{ path: ['days'], message: 'a whole number of days from 1 to 365' }]);
  }
  const actionId = request.actionId?.trim() || randomUUID();
  if (actionId.length > 100) throw badInput([{ path: ['actionId'], message: 'at most 100 characters' }]);
  return { accountId: request.accountId, operation, reason, days, actionId };
}

interface Row {
  id: string;
  brand_id: string;
  status: string;
  currency: string;
  initial_balance: string;
  rules: PhaseRules;
  engine_state: PhaseState | null;
  applied_seq: string;
  platform_account_id: string;
  platform_id: string;
  login: string;
  funded: boolean;
}

/**
 * Staff actions on a challenge account. Each one is checked against the engine's state (caught up
 * with the journal), then written into the account's journal as a `staff` event, with its audit
 * entry, in one transaction; the engine applies it in journal order like any platform event, and
 * its consequences (trading on or off, the next phase) go through the outbox. The journal entry's
 * id is `staff:<actionId>`, so a repeated request finds it and does nothing more.
 */
export class StaffActionService {
  constructor(
    private readonly em: EntityManager,
    private readonly pubsub: EventPubSub,
    private readonly registry: PlatformRegistry,
    private readonly actor: AuditActor,
  ) {}

  async act(request: StaffActionRequest): Promise<ChallengeAccount> {
    const action = normalise(request);
    const scope = await this.visibleBrands();
    const first = await this.load(request.accountId, scope);
    // Let the engine catch up first, so the check below sees what the journal says.
    await this.settle(first);
    const outcome = await this.em.transactional((em) => this.record(em, scope, action));
    await this.afterCommit(outcome);
    return new ChallengeService(this.em, this.registry, this.actor).get(outcome.resultId);
  }

  /**
   * The same action inside the caller's transaction `em`, for a decision that includes it (a
   * correction review that revokes a pass fails the next phase): checked, journalled and audited
   * with the caller's own writes. Call `afterCommit` with the outcome once the transaction commits.
   */
  async actWithin(em: EntityManager, request: StaffActionRequest): Promise<StaffActionOutcome> {
    return this.record(em, await this.visibleBrands(), normalise(request));
  }

  /** After the action's commit: wakes the engine and waits (briefly) until it has applied the action. */
  async afterCommit(outcome: StaffActionOutcome): Promise<void> {
    if (!outcome.repeated) this.pubsub.publish(JOURNAL_GREW, [outcome.account.platform_account_id]);
    await this.settle(outcome.account, outcome.seq);
  }

  /** Checks the action against the account's state and writes it: journal entry, audit entry (and a reset's new attempt). */
  private async record(em: EntityManager, scope: string[], request: NormalisedRequest): Promise<StaffActionOutcome> {
    const { operation, reason, days, actionId } = request;
    const account = await this.load(request.accountId, scope, em, true);
    const target = { platform_account_id: account.platform_account_id, brand_id: account.brand_id };
    const eventId = `staff:${actionId}`;
    const [existing] = await brandScopedSql<{ account_id: string; seq: string }>(
      em,
      [account.brand_id],
      'SELECT account_id, seq FROM platform_event WHERE platform_id = ? AND event_id = ? AND brand_id = ?',
      [account.platform_id, eventId, account.brand_id],
    );
    if (existing) {
      if (existing.account_id !== account.platform_account_id)
        throw conflict('This action id was used for another account');
      return { seq: Number(existing.seq), resultId: account.id, repeated: true, account: target };
    }
    const state = await this.currentState(em, account);
    const problem =
      operation === 'RESET' ? resetProblem(account, state) : staffActionProblem(state, operation, Date.now());
    if (problem) throw conflict(problem);

    const at = await this.journalInstant(em, account);
    const action: StaffAction = operation === 'RESET' ? 'CLOSE' : operation;
    const payload = {
      eventId,
      login: account.login,
      at: at.toISOString(),
      type: 'staff',
      id: actionId,
      action,
      ...(days !== null && operation === 'EXTEND' ? { days } : {}),
      reason: operation === 'RESET' ? `Reset: ${reason}` : reason,
      actor: this.actorLabel(),
    };
    // The engine must be able to read it, exactly as it will when it applies the journal.
    parseEvent(payload, account.currency);
    const seq = await this.append(em, account, eventId, at, payload);
    let resultId = account.id;
    if (operation === 'RESET') {
      resultId = await new ChallengeService(em, this.registry, this.actor).openAttempt(account.id);
    }
    await audit(em, this.actor, {
      brandId: account.brand_id,
      operation: OPERATION[operation],
      targetType: 'ChallengeAccount',
      targetId: account.id,
      before: { status: account.status },
      after: {
        action: operation,
        actionId,
        reason,
        ...(operation === 'EXTEND' ? { days } : {}),
        ...(operation === 'RESET' ? { newAccountId: resultId } : {}),
      },
    });
    return { seq, resultId, repeated: false, account: target };
  }

  /** The actions that apply to an account now, for buttons (the engine's own checks). */
  async available(accountId: string): Promise<StaffOperation[]> {
    const account = await this.load(accountId, await this.visibleBrands());
    const state = await this.currentState(this.em, account);
    const actions: StaffOperation[] = (['EXTEND', 'REINSTATE', 'PASS', 'FAIL', 'CLOSE'] as const).filter(
      (a) => staffActionProblem(state, a, Date.now()) === null,
    );
    if (resetProblem(account, state) === null) actions.push('RESET');
    return actions;
  }

  private actorLabel(): string | null {
    const viewer = this.actor.viewer;
    return viewer.kind === 'staff' ? viewer.email : null;
  }

  private async visibleBrands(): Promise<string[]> {
    return (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
  }

  private async load(accountId: string, brandIds: string[], em = this.em, lock = false): Promise<Row> {
    if (!isUuid(accountId) || brandIds.length === 0) throw notFound('Account');
    const [row] = await brandScopedSql<Row>(
      em,
      brandIds,
      `SELECT c.id, c.brand_id, c.status, c.currency, c.initial_balance::text AS initial_balance, c.rules, c.engine_state,
              c.applied_seq, c.platform_account_id, p.platform_id, c.login,
              coalesce(v.content->'phases'->c.phase_index->>'kind' = 'FUNDED', false) AS funded
         FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
         JOIN plan_version v ON v.id = c.plan_version_id
        WHERE c.id = ? AND c.brand_id = ANY(?::uuid[]) ${lock ? 'FOR UPDATE OF c' : ''}`,
      [accountId, `{${brandIds.join(',')}}`],
    );
    if (!row) throw notFound('Account');
    return row;
  }

  /** The engine's state with the journal entries it has not applied yet (normally none). */
  private async currentState(em: EntityManager, account: Row): Promise<PhaseState> {
    const state: PhaseState = account.engine_state
      ? structuredClone(account.engine_state)
      : createPhaseState(account.rules, { initialBalance: account.initial_balance, currency: account.currency });
    if (!['ACTIVE', 'FUNDED', 'BREACHED'].includes(account.status)) {
      // Closed by a review or passed and moved on: the engine no longer reads this journal.
      if (account.status === 'CLOSED') state.status = 'CLOSED';
      else if (state.status === 'ACTIVE') state.status = account.status as PhaseState['status'];
      return state;
    }
    const rest = await brandScopedSql<{ seq: string; type: string; payload: Record<string, unknown> }>(
      em,
      [account.brand_id],
      'SELECT seq, type, payload FROM platform_event WHERE account_id = ? AND brand_id = ? AND seq > ? ORDER BY seq LIMIT 10000',
      [account.platform_account_id, account.brand_id, account.applied_seq],
    );
    for (const entry of rest) {
      if (ENGINE_TYPES.includes(entry.type)) {
        applyEvent(state, parseEvent(entry.payload, account.currency), Number(entry.seq));
      }
    }
    return state;
  }

  /** Now on the platform's clock, never before the journal's last event (the journal is in time order). */
  private async journalInstant(em: EntityManager, account: Row): Promise<Date> {
    const [row] = await brandScopedSql<{ last_event_at: Date | null }>(
      em,
      [account.brand_id],
      'SELECT last_event_at FROM platform_account WHERE id = ? AND brand_id = ?',
      [account.platform_account_id, account.brand_id],
    );
    const now = this.registry.get(account.platform_id)?.clock.now() ?? new Date();
    const last = row?.last_event_at ? new Date(row.last_event_at) : null;
    return last && last > now ? last : now;
  }

  /** Appends to the account's journal the way ingestion does: next sequence under the account's row lock. */
  private async append(em: EntityManager, account: Row, eventId: string, at: Date, payload: object): Promise<number> {
    const [locked] = await brandScopedSql<{ last_seq: string }>(
      em,
      [account.brand_id],
      'SELECT last_seq FROM platform_account WHERE id = ? AND brand_id = ? FOR UPDATE',
      [account.platform_account_id, account.brand_id],
    );
    const seq = Number(locked!.last_seq) + 1;
    await brandScopedSql(
      em,
      [account.brand_id],
      `INSERT INTO platform_event (account_id, seq, platform_id, brand_id, event_id, type, at, payload)
       VALUES (?, ?, ?, ?, ?, 'staff', ?, ?::jsonb)`,
      [account.platform_account_id, seq, account.platform_id, account.brand_id, eventId, at, JSON.stringify(payload)],
    );
    await brandScopedSql(
      em,
      [account.brand_id],
      'UPDATE platform_account SET last_seq = ?, last_event_at = greatest(last_event_at, ?) WHERE id = ? AND brand_id = ?',
      [seq, at, account.platform_account_id, account.brand_id],
    );
    return seq;
  }

  /**
   * Waits (briefly) until the engine has applied the account's journal up to `seq` (by default, all
   * of it), so that the answer shows the action's effect. Past the wait the action still happens.
   */
  private async settle(account: Pick<Row, 'platform_account_id' | 'brand_id'>, seq?: number) {
    const deadline = Date.now() + 5_000;
    let woken = false;
    while (Date.now() < deadline) {
      const [row] = await brandScopedSql<{ applied: string; last: string; status: string }>(
        this.em,
        [account.brand_id],
        `SELECT c.applied_seq AS applied, p.last_seq AS last, c.status FROM challenge_account c
           JOIN platform_account p ON p.id = c.platform_account_id WHERE c.platform_account_id = ? AND c.brand_id = ?`,
        [account.platform_account_id, account.brand_id],
      );
      if (!row || !['ACTIVE', 'FUNDED', 'BREACHED'].includes(row.status)) return;
      if (Number(row.applied) >= (seq ?? Number(row.last))) return;
      if (!woken) {
        this.pubsub.publish(JOURNAL_GREW, [account.platform_account_id]);
        woken = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

function resetProblem(account: Row, state: PhaseState): string | null {
  if (account.funded) return 'A funded account is not reset; close it instead';
  if (state.status !== 'ACTIVE' && state.status !== 'BREACHED') {
    return 'Only an active or breached account can be reset';
  }
  return null;
}
