import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger';
import {
  applyEvent,
  createPhaseState,
  metrics,
  outcome,
  type PhaseMetrics,
  type PhaseState,
  parseEvent,
  type Transition,
} from '../rules/engine';
import { minorUnitDigits, parseMoney } from '../rules/money';
import type { PhaseRules } from '../rules/rules.schema';

/** Wire types the rules read; positions and quotes feed risk and exposure, not the engine. */
const RULE_EVENT_TYPES = new Set(['deal', 'equity', 'balance', 'clock', 'staff']);
const BATCH = 2_000;
/** Accounts applied together in one transaction, and how many such transactions run at once. */
const ACCOUNTS_PER_BATCH = 200;
const WORKERS = 3;

interface JournalRow {
  seq: string;
  type: string;
  payload: Record<string, unknown>;
}

/** An account's row after a batch, written for all accounts of the batch at once. */
interface AccountWrite {
  id: string;
  brandId: string;
  state: PhaseState;
  applied: number;
  metrics: PhaseMetrics;
  status: string;
  nextReset: string | null;
  endedAt: string | null;
  endedRule: string | null;
  softLockedUntil: string | null;
  warnings: WarningsRaised;
}
/** A platform's correction or cancellation of a deal already reported: the account is rebuilt. */
const CORRECTION_TYPES = new Set(['dealCorrection', 'dealCancel']);

/** A correction as recorded: the phase before and after the rebuild. */
interface Correction {
  seq: number;
  before: PhaseState;
  after: PhaseState;
  payload: Record<string, unknown>;
  /**
   * The pass no longer holds, but the account already advanced (its next phase or funded account
   * exists): the pass stands and the account keeps its figures until staff review the correction.
   */
  reviewRequired: boolean;
}

interface AccountRow {
  id: string;
  brand_id: string;
  platform_account_id: string;
  platform_id: string;
  login: string;
  /** PASSED only takes the platform's corrections and cancellations; the engine ignores the rest. */
  status: 'ACTIVE' | 'FUNDED' | 'BREACHED' | 'PASSED';
  /** A pass's review: PENDING_REVIEW or AWAITING_TRADER until it advances (APPROVED). */
  review: string | null;
  /** The phase is the plan's funded phase: ACTIVE in the engine is FUNDED here. */
  funded: boolean;
  currency: string;
  initial_balance: string;
  rules: PhaseRules;
  engine_state: PhaseState | null;
  applied_seq: string;
  soft_locked_until: Date | null;
  warning_thresholds: number[];
  warnings_raised: WarningsRaised;
}

/** Thresholds already raised, per limit, for the day that started at `day`. */
interface WarningsRaised {
  day?: string | null;
  raised?: Record<string, number[]>;
}

export interface AppliedBatch {
  accountId: string;
  brandId: string;
  status: string;
  metrics: PhaseMetrics;
  transitions: { kind: string; seq: number }[];
  /**
   * The transitions as their `challenge.transition` outbox rows carry them, committed with this
   * batch: live views can show them at once, without waiting for the outbox round.
   */
  notices: TransitionNotice[];
}

export interface TransitionNotice {
  accountId: string;
  kind: string;
  rule: string | null;
  at: string;
  detail: Record<string, unknown>;
}

/**
 * Applies each challenge account's journal to its rule engine, in sequence, exactly once.
 *
 * For a group of accounts, in one transaction: lock their rows, read each one's journal after its
 * last applied sequence, apply it, and commit the new snapshots, the applied sequences, every
 * transition and the outbox rows they cause together. A replay or duplicate wake-up finds nothing
 * new past the applied sequence; after a crash the next run resumes from the last commit.
 *
 * One worker of this process holds an account at a time; across processes the row locks (taken in
 * id order) keep it exact, and partitioning by account comes with the distributed log.
 */
export class ChallengeEngineRunner {
  /** Accounts whose journal grew and that no worker holds yet. */
  private readonly pending = new Set<string>();
  /** Accounts a worker is applying now: never two workers on one account. */
  private readonly active = new Set<string>();
  private workers = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly onApplied: (batch: AppliedBatch) => void,
  ) {}

  /** Schedules the accounts whose journal grew (platform account ids, as ingestion reports them). */
  wake(platformAccountIds: Iterable<string>) {
    for (const id of platformAccountIds) this.pending.add(id);
    this.pump();
  }

  /** Resolves when every scheduled account has been applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.workers > 0 || this.pending.size > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Hands pending accounts to workers, up to ACCOUNTS_PER_BATCH each: one transaction applies a
   * whole group (one lock, one journal read, one snapshot write for all), which is what keeps up
   * with thousands of accounts moving every second. An account woken while a worker holds it waits
   * for that worker, so its journal is applied in order, once.
   */
  private pump() {
    while (this.workers < WORKERS) {
      const batch: string[] = [];
      for (const id of this.pending) {
        if (this.active.has(id)) continue;
        batch.push(id);
        if (batch.length >= ACCOUNTS_PER_BATCH) break;
      }
      if (batch.length === 0) break;
      for (const id of batch) {
        this.pending.delete(id);
        this.active.add(id);
      }
      this.workers += 1;
      void this.run(batch).finally(() => {
        for (const id of batch) this.active.delete(id);
        this.workers -= 1;
        this.pump();
        if (this.workers === 0 && this.pending.size === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    }
  }

  private async run(batch: string[]) {
    try {
      for (const id of await this.applyMany(batch)) this.pending.add(id);
    } catch (error) {
      if (batch.length === 1) {
        this.log.error({ err: error, platformAccountId: batch[0] }, 'engine run failed');
        return;
      }
      // One account's failure must not hold back the others: apply them one by one.
      for (const id of batch) await this.run([id]);
    }
  }

  /**
   * Applies up to BATCH journal entries of each account, all in one transaction; returns the
   * accounts that may have more.
   */
  private async applyMany(platformAccountIds: string[]): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const accounts = await this.lockAccounts(client, platformAccountIds);
      const journal = await this.readJournal(client, accounts);
      const writes: AccountWrite[] = [];
      const applied: AppliedBatch[] = [];
      const more: string[] = [];
      for (const account of accounts) {
        const entries = journal.get(account.platform_account_id) ?? [];
        if (entries.length === 0) continue;
        const outcome = await this.applyAccount(client, account, entries);
        writes.push(outcome.write);
        applied.push(outcome.applied);
        if (entries.length === BATCH) more.push(account.platform_account_id);
      }
      await this.writeAccounts(client, writes);
      await client.query('COMMIT');
      for (const batch of applied) this.onApplied(batch);
      return more;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Applies one account's new journal entries; writes its transitions and outbox rows, returns its new row. */
  private async applyAccount(
    client: PoolClient,
    account: AccountRow,
    entries: JournalRow[],
  ): Promise<{ write: AccountWrite; applied: AppliedBatch }> {
    let state =
      account.engine_state ??
      createPhaseState(account.rules, { initialBalance: account.initial_balance, currency: account.currency });
    const corrections: Correction[] = [];
    const transitions: { transition: Transition; seq: number; actor: string | null }[] = [];
    const warnings: WarningsRaised = structuredClone(account.warnings_raised ?? {});
    const alerts: (NearBreachAlert & { seq: number })[] = [];
    let applied = Number(account.applied_seq);
    for (const entry of entries) {
      const seq = Number(entry.seq);
      applied = seq;
      if (CORRECTION_TYPES.has(entry.type)) {
        const rebuilt = await rebuildFromJournal(client, account, seq);
        // A pass that no longer holds is withdrawn, unless the account already moved on: the next
        // phase is not undone behind staff's back.
        const reviewRequired =
          state.status === 'PASSED' && rebuilt.status !== 'PASSED' && (await this.advanced(client, account));
        corrections.push({ seq, before: state, after: rebuilt, payload: entry.payload, reviewRequired });
        if (!reviewRequired) state = rebuilt;
        continue;
      }
      if (!RULE_EVENT_TYPES.has(entry.type)) continue;
      // An ended phase still reads its journal: a breached one keeps the platform's figures for a
      // reinstatement and takes staff actions; the engine ignores the rest.
      const event = parseEvent(entry.payload, account.currency);
      for (const transition of applyEvent(state, event, seq).transitions) {
        transitions.push({ transition, seq, actor: (entry.payload.actor as string | undefined) ?? null });
      }
      if (state.status === 'ACTIVE')
        alerts.push(
          ...nearBreachAlerts(metrics(state), account.warning_thresholds, warnings).map((a) => ({ ...a, seq })),
        );
    }
    const figures = metrics(state);
    const ended = state.status !== 'ACTIVE';
    // A soft breach keeps the platform close-only until the next reset; the first batch that
    // reaches a day starting at or after it opens trading again.
    let softLockedUntil = account.soft_locked_until?.toISOString() ?? null;
    if (transitions.some((t) => t.transition.type === 'SOFT_BREACH')) softLockedUntil = figures.nextReset;
    else if (
      softLockedUntil &&
      figures.dayStart &&
      Date.parse(figures.dayStart) >= Date.parse(softLockedUntil) &&
      !ended
    ) {
      await client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
        account.brand_id,
        'platform.command',
        JSON.stringify({
          platformId: account.platform_id,
          login: account.login,
          command: 'setTradingMode',
          mode: 'FULL',
          commandId: `unlock:${account.id}:${applied}`,
        }),
      ]);
      softLockedUntil = null;
    }
    const newStatus = state.status === 'ACTIVE' ? (account.funded ? 'FUNDED' : 'ACTIVE') : state.status;
    // Consequences in the order of the events that caused them (a warning before the breach it
    // preceded), whatever the batch boundaries: a replay from any point writes the same sequence.
    const consequences: { seq: number; write: () => Promise<unknown> }[] = [
      ...transitions.map(({ transition, seq, actor }) => ({
        seq,
        write: () => this.record(client, account, transition, seq, actor),
      })),
      ...corrections.map((correction) => ({
        seq: correction.seq,
        write: () => this.recordCorrection(client, account, correction),
      })),
      ...alerts.map(({ seq, ...alert }) => ({
        seq,
        write: () =>
          client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
            account.brand_id,
            'challenge.warning',
            JSON.stringify({ accountId: account.id, ...alert }),
          ]),
      })),
    ];
    // A stable sort: within one event, transitions first, as before.
    consequences.sort((a, b) => a.seq - b.seq);
    for (const consequence of consequences) await consequence.write();
    // A reinstatement clears the end; a later end records its own.
    const write: AccountWrite = {
      id: account.id,
      brandId: account.brand_id,
      state,
      applied,
      metrics: figures,
      status: newStatus,
      nextReset: ended ? null : figures.nextReset,
      endedAt: ended ? (state.breach?.at ?? state.pass?.at ?? state.closed?.at ?? null) : null,
      endedRule: state.breach?.rule ?? (state.status === 'CLOSED' ? 'CLOSED' : null),
      softLockedUntil,
      warnings,
    };
    return {
      write,
      applied: {
        accountId: account.id,
        brandId: account.brand_id,
        status: newStatus,
        metrics: figures,
        transitions: [
          ...transitions.map(({ transition, seq }) => ({ kind: transition.type, seq })),
          ...corrections.map(({ seq }) => ({ kind: 'CORRECTION', seq })),
        ],
        notices: transitions.map(({ transition, actor }) => {
          const detail = transitionDetail(transition, actor);
          return {
            accountId: account.id,
            kind: transition.type,
            rule: transitionRule(transition),
            at: detail.at,
            detail,
          };
        }),
      },
    };
  }

  /**
   * Every account's new snapshot, applied sequence and figures, in one set-based statement. The
   * rows travel as one JSON document: arrays of JSON texts cost the API their escaping, element by
   * element, on every batch.
   */
  private async writeAccounts(client: PoolClient, writes: AccountWrite[]) {
    if (writes.length === 0) return;
    await client.query(
      `UPDATE challenge_account AS c
          SET engine_state = u.state, applied_seq = u.applied, metrics = u.metrics, status = u.status,
              next_reset_at = u."nextReset", soft_locked_until = u."softLockedUntil", ended_at = u."endedAt",
              ended_rule = u."endedRule", warnings_raised = u.warnings, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb)
           AS u(id uuid, "brandId" uuid, state jsonb, applied bigint, metrics jsonb, status text, "nextReset" timestamptz,
                "endedAt" timestamptz, "endedRule" text, "softLockedUntil" timestamptz, warnings jsonb)
        WHERE c.id = u.id AND c.brand_id = u."brandId"`,
      [JSON.stringify(writes)],
    );
  }

  /** The new journal entries of each account after its applied sequence, up to BATCH each, in order. */
  private async readJournal(client: PoolClient, accounts: AccountRow[]): Promise<Map<string, JournalRow[]>> {
    const byAccount = new Map<string, JournalRow[]>();
    if (accounts.length === 0) return byAccount;
    const { rows } = await client.query<JournalRow & { account_id: string }>(
      `SELECT e.account_id, e.seq, e.type, e.payload
         FROM unnest($1::uuid[], $2::bigint[]) AS u(id, after)
         CROSS JOIN LATERAL (
           SELECT account_id, seq, type, payload FROM platform_event
            WHERE account_id = u.id AND seq > u.after ORDER BY seq LIMIT $3
         ) e
        ORDER BY e.account_id, e.seq`,
      [accounts.map((a) => a.platform_account_id), accounts.map((a) => a.applied_seq), BATCH],
    );
    for (const row of rows) {
      const list = byAccount.get(row.account_id) ?? [];
      list.push(row);
      byAccount.set(row.account_id, list);
    }
    return byAccount;
  }

  /**
   * A deal corrected or cancelled: the account was rebuilt from its journal. Records the correction
   * (for the timeline, with the figures before and after) and its audit entry; when the outcome
   * changed, the new transition: a breach that no longer holds is withdrawn (trading opens again),
   * one that now holds is raised (trading stops, positions close), as is a pass that now holds. A
   * pass that no longer holds is withdrawn the same way, its review cleared so that it can no longer
   * advance; once the account has advanced, the pass stands and the correction waits for staff.
   */
  private async recordCorrection(client: PoolClient, account: AccountRow, correction: Correction) {
    const { seq, before, after, payload, reviewRequired } = correction;
    const was = outcome(before);
    const now = outcome(after);
    const changed = was.status !== now.status || was.rule !== now.rule || was.event !== now.event;
    const passWithdrawn = before.status === 'PASSED' && after.status !== 'PASSED' && !reviewRequired;
    const clearsReview = passWithdrawn && (account.review === 'PENDING_REVIEW' || account.review === 'AWAITING_TRADER');
    const detail = {
      at: String(payload.at),
      dealId: String(payload.dealId),
      action: payload.type === 'dealCancel' ? 'CANCEL' : 'CORRECT',
      balanceBefore: was.balance,
      balanceAfter: now.balance,
      statusBefore: was.status,
      // Under review the account stays passed; `outcome` is what the rebuild now gives.
      statusAfter: reviewRequired ? was.status : now.status,
      ...(changed && before.breach ? { withdrawn: before.breach } : {}),
      ...(passWithdrawn ? { passWithdrawn: before.pass } : {}),
      ...(reviewRequired ? { reviewRequired: true, outcome: { status: now.status, rule: now.rule, at: now.at } } : {}),
    };
    const inserted = await client.query(
      `INSERT INTO challenge_transition (id, account_id, brand_id, kind, rule, seq, at, detail)
       VALUES (gen_random_uuid(), $1, $2, 'CORRECTION', $3, $4, $5, $6) ON CONFLICT (account_id, kind, seq) DO NOTHING RETURNING id`,
      [
        account.id,
        account.brand_id,
        changed ? (before.breach?.rule ?? null) : null,
        seq,
        detail.at,
        JSON.stringify(detail),
      ],
    );
    if (inserted.rowCount === 0) return;
    if (clearsReview) {
      await client.query('UPDATE challenge_account SET review = NULL WHERE id = $1 AND brand_id = $2', [
        account.id,
        account.brand_id,
      ]);
    }
    const statusAfter = detail.statusAfter;
    await client.query(
      `INSERT INTO audit_entry (brand_id, actor_kind, actor_id, actor_label, operation, target_type, target_id, changes)
       VALUES ($1, 'SYSTEM', NULL, $2, $3, 'ChallengeAccount', $4, $5)`,
      [
        account.brand_id,
        'platform deal correction',
        detail.action === 'CANCEL' ? 'cancelDeal' : 'correctDeal',
        account.id,
        JSON.stringify({
          dealId: [null, detail.dealId],
          ...(was.balance !== now.balance ? { balance: [was.balance, now.balance] } : {}),
          ...(was.status !== statusAfter ? { status: [was.status, statusAfter] } : {}),
          ...(was.rule !== now.rule && !reviewRequired ? { rule: [was.rule, now.rule] } : {}),
          ...(clearsReview ? { review: [account.review, null] } : {}),
          ...(reviewRequired ? { reviewRequired: [null, true], outcome: [null, now.status] } : {}),
          ...(reviewRequired && now.rule ? { outcomeRule: [null, now.rule] } : {}),
        }),
      ],
    );
    const outbox = (topic: string, body: object) =>
      client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
        account.brand_id,
        topic,
        JSON.stringify(body),
      ]);
    await outbox('challenge.transition', {
      accountId: account.id,
      kind: 'CORRECTION',
      rule: null,
      at: detail.at,
      detail: { ...detail, event: seq },
    });
    if (reviewRequired) {
      await outbox('challenge.correctionReview', { accountId: account.id, event: seq, ...detail });
      return;
    }
    if (!changed) return;
    if ((before.status === 'BREACHED' || before.status === 'PASSED') && after.status === 'ACTIVE') {
      await outbox('platform.command', {
        platformId: account.platform_id,
        login: account.login,
        command: 'setTradingMode',
        mode: 'FULL',
        commandId: `correction:${account.id}:${seq}:setTradingMode`,
      });
    } else if (after.status === 'BREACHED' && after.breach) {
      await this.record(client, account, { type: 'BREACH', breach: after.breach }, seq);
    } else if (after.status === 'PASSED' && after.pass && before.status !== 'PASSED') {
      await this.record(client, account, { type: 'PASS', pass: after.pass }, seq);
    }
  }

  /**
   * Whether a passed account has moved on: its pass was approved, or its next phase (or funded
   * account) was opened from it. Read under the account's row lock, which `advance` and `approve`
   * take too, so the answer holds until this batch commits.
   */
  private async advanced(client: PoolClient, account: AccountRow): Promise<boolean> {
    if (account.review === 'APPROVED') return true;
    const { rows } = await client.query(
      `SELECT 1 FROM challenge_account n JOIN challenge_account c ON c.id = n.previous_account_id
        WHERE c.id = $1 AND n.brand_id = $2 AND n.phase_index > c.phase_index LIMIT 1`,
      [account.id, account.brand_id],
    );
    return rows.length > 0;
  }

  /** Locks the accounts in id order (so two workers or processes never deadlock). */
  private async lockAccounts(client: PoolClient, platformAccountIds: string[]): Promise<AccountRow[]> {
    const { rows } = await client.query<AccountRow>(
      `SELECT c.id, c.brand_id, c.platform_account_id, p.platform_id, c.login, c.status, c.currency,
              c.initial_balance::text AS initial_balance, c.rules, c.engine_state, c.applied_seq, c.soft_locked_until,
              c.warning_thresholds, c.warnings_raised, c.review,
              coalesce(v.content->'phases'->c.phase_index->>'kind' = 'FUNDED', false) AS funded
         FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
         JOIN plan_version v ON v.id = c.plan_version_id
        WHERE c.platform_account_id = ANY($1::uuid[]) AND c.status IN ('ACTIVE', 'FUNDED', 'BREACHED', 'PASSED')
        ORDER BY c.id
        FOR UPDATE OF c`,
      [platformAccountIds],
    );
    return rows;
  }

  /**
   * Records a transition once (unique per account, kind and journal position) with the outbox
   * rows that carry its consequences: the notification and the platform commands.
   */
  private async record(
    client: PoolClient,
    account: AccountRow,
    transition: Transition,
    seq: number,
    actor: string | null = null,
  ) {
    const detail = transitionDetail(transition, actor);
    const inserted = await client.query(
      `INSERT INTO challenge_transition (id, account_id, brand_id, kind, rule, seq, at, detail)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, kind, seq) DO NOTHING RETURNING id`,
      [
        account.id,
        account.brand_id,
        transition.type,
        transitionRule(transition),
        seq,
        detail.at,
        JSON.stringify(detail),
      ],
    );
    if (inserted.rowCount === 0) return;
    const outbox = (topic: string, payload: object) =>
      client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
        account.brand_id,
        topic,
        JSON.stringify(payload),
      ]);
    await outbox('challenge.transition', {
      accountId: account.id,
      kind: transition.type,
      rule: transitionRule(transition),
      at: detail.at,
      detail,
    });
    const command = (name: string, extra: object = {}) =>
      outbox('platform.command', {
        platformId: account.platform_id,
        login: account.login,
        command: name,
        commandId: `${transition.type.toLowerCase()}:${account.id}:${seq}:${name}`,
        ...extra,
      });
    if (transition.type === 'BREACH') {
      // A hard breach: trading off and positions closed on the platform.
      await command('setTradingMode', { mode: 'DISABLED' });
      await command('closeAllPositions');
    } else if (transition.type === 'SOFT_BREACH') {
      await command('setTradingMode', { mode: 'CLOSE_ONLY' });
      await command('closeAllPositions');
    } else if (transition.type === 'REINSTATE') {
      await command('setTradingMode', { mode: 'FULL' });
    } else if (transition.type === 'CLOSE') {
      await command('setTradingMode', { mode: 'DISABLED' });
    } else if (transition.type === 'EXTEND') {
      // Only the limit changes: nothing to tell the platform.
    } else {
      // A pass is final for the phase: trading stops, then the plan's advance rule applies.
      await command('setTradingMode', { mode: 'DISABLED' });
      await outbox('challenge.advance', { accountId: account.id });
    }
  }
}

/** What a transition records: the engine's record, with the staff member who acted on a staff action. */
export function transitionDetail(
  transition: Transition,
  actor: string | null = null,
): Record<string, unknown> & { at: string } {
  switch (transition.type) {
    case 'PASS':
      return actor && transition.pass.manual ? { ...transition.pass, actor } : { ...transition.pass };
    case 'BREACH':
    case 'SOFT_BREACH':
      return actor && transition.breach.rule === 'MANUAL' ? { ...transition.breach, actor } : { ...transition.breach };
    default:
      return actor ? { ...transition.staff, actor } : { ...transition.staff };
  }
}

/** The rule a transition names: the breach's, or for a reinstatement the rule of the breach withdrawn. */
export function transitionRule(transition: Transition): string | null {
  switch (transition.type) {
    case 'BREACH':
    case 'SOFT_BREACH':
      return transition.breach.rule;
    case 'REINSTATE':
      return transition.staff.withdrawn?.rule ?? null;
    default:
      return null;
  }
}

/**
 * The phase rebuilt from the start of its journal up to `uptoSeq`, with every correction and
 * cancellation in that range applied to the deal it names (the latest one wins). Staff actions are
 * replayed where they stand. O(journal): corrections are rare.
 */
export async function rebuildFromJournal(
  client: PoolClient,
  account: Pick<AccountRow, 'platform_account_id' | 'rules' | 'initial_balance' | 'currency'>,
  uptoSeq: number,
): Promise<PhaseState> {
  const { rows } = await client.query<{ seq: string; type: string; payload: Record<string, unknown> }>(
    'SELECT seq, type, payload FROM platform_event WHERE account_id = $1 AND seq <= $2 ORDER BY seq',
    [account.platform_account_id, uptoSeq],
  );
  const corrected = new Map<string, Record<string, unknown> | null>();
  for (const row of rows) {
    if (row.type === 'dealCorrection') corrected.set(String(row.payload.dealId), row.payload);
    else if (row.type === 'dealCancel') corrected.set(String(row.payload.dealId), null);
  }
  const state = createPhaseState(account.rules, {
    initialBalance: account.initial_balance,
    currency: account.currency,
  });
  for (const row of rows) {
    if (!RULE_EVENT_TYPES.has(row.type)) continue;
    let payload = row.payload;
    if (row.type === 'deal' && corrected.has(String(payload.id))) {
      const correction = corrected.get(String(payload.id));
      if (correction === null) continue;
      const { equity: _reported, ...deal } = payload;
      payload = {
        ...deal,
        profit: correction!.profit,
        commission: correction!.commission,
        swap: correction!.swap,
        ...(correction!.equity !== undefined ? { equity: correction!.equity } : {}),
      };
    }
    applyEvent(state, parseEvent(payload, account.currency), Number(row.seq));
  }
  return state;
}

export interface NearBreachAlert {
  rule: 'DAILY_LOSS' | 'MAX_LOSS';
  threshold: number;
  usedPct: number;
  floor: string;
  equity: string;
  day: string | null;
}

/**
 * Near-breach alerts after one event: once per threshold per limit per day, when the share of the
 * limit used, (base − E) / (base − floor), reaches it. A new day starts the count again. Updates
 * `warnings` in place.
 */
export function nearBreachAlerts(
  figures: PhaseMetrics,
  thresholds: number[],
  warnings: WarningsRaised,
): NearBreachAlert[] {
  const day = figures.dayStart;
  if (warnings.day !== day) {
    warnings.day = day;
    warnings.raised = {};
  }
  warnings.raised ??= {};
  const raised = warnings.raised;
  const alerts: NearBreachAlert[] = [];
  const digits = minorUnitDigits(figures.currency);
  const equity = parseMoney(figures.equity, digits);
  const limits = [
    ['DAILY_LOSS', figures.dailyLoss?.armed ? figures.dailyLoss : null],
    ['MAX_LOSS', figures.maxLoss],
  ] as const;
  for (const [rule, limit] of limits) {
    if (!limit) continue;
    const base = parseMoney(limit.base, digits);
    const floor = parseMoney(limit.floor, digits);
    if (base <= floor) continue;
    const usedPct = ((base - equity) * 100) / (base - floor);
    for (const threshold of thresholds) {
      if (usedPct < threshold || raised[rule]?.includes(threshold)) continue;
      raised[rule] = [...(raised[rule] ?? []), threshold];
      alerts.push({
        rule,
        threshold,
        usedPct: Math.round(usedPct * 100) / 100,
        floor: limit.floor,
        equity: figures.equity,
        day,
      });
    }
  }
  return alerts;
}
