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
/** A platform's correction or cancellation of a deal already reported: the account is rebuilt. */
const CORRECTION_TYPES = new Set(['dealCorrection', 'dealCancel']);

interface AccountRow {
  id: string;
  brand_id: string;
  platform_account_id: string;
  platform_id: string;
  login: string;
  status: 'ACTIVE' | 'FUNDED' | 'BREACHED';
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
}

/**
 * Applies each challenge account's journal to its rule engine, in sequence, exactly once.
 *
 * Per account, in one transaction: lock the account row, read the journal after the last applied
 * sequence, apply it, and commit the new snapshot, the applied sequence, every transition and the
 * outbox rows they cause together. A replay or duplicate wake-up finds nothing new past the
 * applied sequence; after a crash the next run resumes from the last commit.
 *
 * One process applies an account at a time here (a per-account promise chain plus the row lock);
 * across processes the row lock keeps it exact, and partitioning by account comes with the
 * distributed log.
 */
export class ChallengeEngineRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly onApplied: (batch: AppliedBatch) => void,
  ) {}

  /** Schedules the accounts whose journal grew (platform account ids, as ingestion reports them). */
  wake(platformAccountIds: Iterable<string>) {
    for (const id of platformAccountIds) {
      if (this.running.has(id)) {
        this.again.add(id);
        continue;
      }
      const run = this.drain(id)
        .catch((error) => this.log.error({ err: error, platformAccountId: id }, 'engine run failed'))
        .finally(() => {
          this.running.delete(id);
          if (this.again.delete(id)) this.wake([id]);
        });
      this.running.set(id, run);
    }
  }

  /** Resolves when every scheduled account has been applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async drain(platformAccountId: string) {
    while (await this.applyBatch(platformAccountId)) {
      // keep going while full batches come back
    }
  }

  /** Applies up to BATCH journal entries; true when there may be more. */
  private async applyBatch(platformAccountId: string): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const account = await this.lockAccount(client, platformAccountId);
      if (!account) {
        await client.query('COMMIT');
        return false;
      }
      const entries = await client.query<{ seq: string; type: string; payload: Record<string, unknown> }>(
        'SELECT seq, type, payload FROM platform_event WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [platformAccountId, account.applied_seq, BATCH],
      );
      if (entries.rows.length === 0) {
        await client.query('COMMIT');
        return false;
      }
      let state =
        account.engine_state ??
        createPhaseState(account.rules, { initialBalance: account.initial_balance, currency: account.currency });
      const corrections: { seq: number; before: PhaseState; after: PhaseState; payload: Record<string, unknown> }[] =
        [];
      const transitions: { transition: Transition; seq: number; actor: string | null }[] = [];
      const warnings: WarningsRaised = structuredClone(account.warnings_raised ?? {});
      const alerts: NearBreachAlert[] = [];
      let applied = Number(account.applied_seq);
      for (const entry of entries.rows) {
        const seq = Number(entry.seq);
        applied = seq;
        if (CORRECTION_TYPES.has(entry.type)) {
          const rebuilt = await rebuildFromJournal(client, account, seq);
          corrections.push({ seq, before: state, after: rebuilt, payload: entry.payload });
          state = rebuilt;
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
          alerts.push(...nearBreachAlerts(metrics(state), account.warning_thresholds, warnings));
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
      // A reinstatement clears the end; a later end records its own.
      await client.query(
        `UPDATE challenge_account SET engine_state = $2, applied_seq = $3, metrics = $4, status = $5,
                next_reset_at = $6, soft_locked_until = $10, ended_at = $7, ended_rule = $8, updated_at = now()
          WHERE id = $1 AND brand_id = $9`,
        [
          account.id,
          JSON.stringify(state),
          applied,
          JSON.stringify(figures),
          newStatus,
          ended ? null : figures.nextReset,
          ended ? (state.breach?.at ?? state.pass?.at ?? state.closed?.at ?? null) : null,
          state.breach?.rule ?? (state.status === 'CLOSED' ? 'CLOSED' : null),
          account.brand_id,
          softLockedUntil,
        ],
      );
      for (const { transition, seq, actor } of transitions) await this.record(client, account, transition, seq, actor);
      for (const correction of corrections) await this.recordCorrection(client, account, correction);
      for (const alert of alerts) {
        await client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
          account.brand_id,
          'challenge.warning',
          JSON.stringify({ accountId: account.id, ...alert }),
        ]);
      }
      if (alerts.length > 0 || (warnings.day ?? null) !== (account.warnings_raised?.day ?? null)) {
        await client.query('UPDATE challenge_account SET warnings_raised = $2 WHERE id = $1 AND brand_id = $3', [
          account.id,
          JSON.stringify(warnings),
          account.brand_id,
        ]);
      }
      await client.query('COMMIT');
      this.onApplied({
        accountId: account.id,
        brandId: account.brand_id,
        status: newStatus,
        metrics: figures,
        transitions: [
          ...transitions.map(({ transition, seq }) => ({ kind: transition.type, seq })),
          ...corrections.map(({ seq }) => ({ kind: 'CORRECTION', seq })),
        ],
      });
      return entries.rows.length === BATCH;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * A deal corrected or cancelled: the account was rebuilt from its journal. Records the correction
   * (for the timeline, with the figures before and after) and its audit entry; when the outcome
   * changed, the new transition: a breach that no longer holds is withdrawn (trading opens again),
   * one that now holds is raised (trading stops, positions close), as is a pass that now holds.
   */
  private async recordCorrection(
    client: PoolClient,
    account: AccountRow,
    correction: { seq: number; before: PhaseState; after: PhaseState; payload: Record<string, unknown> },
  ) {
    const { seq, before, after, payload } = correction;
    const was = outcome(before);
    const now = outcome(after);
    const changed = was.status !== now.status || was.rule !== now.rule || was.event !== now.event;
    const detail = {
      at: String(payload.at),
      dealId: String(payload.dealId),
      action: payload.type === 'dealCancel' ? 'CANCEL' : 'CORRECT',
      balanceBefore: was.balance,
      balanceAfter: now.balance,
      statusBefore: was.status,
      statusAfter: now.status,
      ...(changed && before.breach ? { withdrawn: before.breach } : {}),
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
          ...(was.status !== now.status ? { status: [was.status, now.status] } : {}),
          ...(was.rule !== now.rule ? { rule: [was.rule, now.rule] } : {}),
        }),
      ],
    );
    await client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
      account.brand_id,
      'challenge.transition',
      JSON.stringify({
        accountId: account.id,
        kind: 'CORRECTION',
        rule: null,
        at: detail.at,
        detail: { ...detail, event: seq },
      }),
    ]);
    if (!changed) return;
    if (before.status === 'BREACHED' && after.status === 'ACTIVE') {
      await client.query('INSERT INTO outbox (brand_id, topic, payload) VALUES ($1, $2, $3)', [
        account.brand_id,
        'platform.command',
        JSON.stringify({
          platformId: account.platform_id,
          login: account.login,
          command: 'setTradingMode',
          mode: 'FULL',
          commandId: `correction:${account.id}:${seq}:setTradingMode`,
        }),
      ]);
    } else if (after.status === 'BREACHED' && after.breach) {
      await this.record(client, account, { type: 'BREACH', breach: after.breach }, seq);
    } else if (after.status === 'PASSED' && after.pass && before.status !== 'PASSED') {
      await this.record(client, account, { type: 'PASS', pass: after.pass }, seq);
    }
  }

  private async lockAccount(client: PoolClient, platformAccountId: string): Promise<AccountRow | undefined> {
    const { rows } = await client.query<AccountRow>(
      `SELECT c.id, c.brand_id, c.platform_account_id, p.platform_id, c.login, c.status, c.currency,
              c.initial_balance::text AS initial_balance, c.rules, c.engine_state, c.applied_seq, c.soft_locked_until,
              c.warning_thresholds, c.warnings_raised,
              coalesce(v.content->'phases'->c.phase_index->>'kind' = 'FUNDED', false) AS funded
         FROM challenge_account c JOIN platform_account p ON p.id = c.platform_account_id
         JOIN plan_version v ON v.id = c.plan_version_id
        WHERE c.platform_account_id = $1 AND c.status IN ('ACTIVE', 'FUNDED', 'BREACHED')
        FOR UPDATE OF c`,
      [platformAccountId],
    );
    return rows[0];
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
