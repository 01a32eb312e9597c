import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { badInput, conflict, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import { PlanVersion as VersionRow } from '../plans/plan.entity';
import { effectiveRules, type PlanContent } from '../plans/plan.model';
import type { PlatformRegistry } from '../platform/registry';
import { type AuditActor, audit } from '../audit/audit';
import { systemViewer } from '../auth/viewer';
import { SimulatedPlatform } from '../platform/simulator/simulator';
import type { TraderBehaviour } from '../platform/simulator/traders';
import { formatMoney, minorUnitDigits, parseMoney } from '../rules/money';
import type { PhaseMetrics } from '../rules/engine';
import type {
  AccountMetrics,
  ChallengeAccount,
  ChallengeTransition,
  CorrectionReviewDecision,
  EquityPoint,
  IssueAccountInput,
  LimitGauge,
} from './challenge.types';

interface AccountRow {
  id: string;
  brand_id: string;
  trader_id: string;
  trader_name: string;
  trader_email: string;
  plan_id: string;
  plan_version_id: string;
  plan_name: string;
  phase_name: string;
  phase_index: number;
  login: string;
  status: string;
  review: string | null;
  currency: string;
  initial_balance: string;
  metrics: PhaseMetrics | null;
  ended_at: Date | null;
  ended_rule: string | null;
  previous_account_id: string | null;
  created_at: Date;
  platform_account_id: string;
  platform_id: string;
  size_id: string;
}

const SELECT_ACCOUNT = `
  SELECT c.id, c.brand_id, c.trader_id, t.name AS trader_name, t.email AS trader_email, c.plan_id, c.plan_version_id,
         coalesce(v.content->'names'->0->>'text', 'Plan') AS plan_name, c.phase_name, c.phase_index, c.login, c.status, c.review,
         c.currency, c.initial_balance::text AS initial_balance, c.metrics, c.ended_at, c.ended_rule, c.previous_account_id,
         c.created_at, c.platform_account_id, p.platform_id, c.size_id
    FROM challenge_account c
    JOIN trader t ON t.id = c.trader_id
    JOIN plan_version v ON v.id = c.plan_version_id
    JOIN platform_account p ON p.id = c.platform_account_id`;

/** used = (base − E) / (base − floor): the share of the limit's room already spent. */
function gauge(floor: string, base: string, equity: string, digits: number): LimitGauge {
  const f = parseMoney(floor, digits);
  const b = parseMoney(base, digits);
  const e = parseMoney(equity, digits);
  const room = b - f;
  return {
    floor,
    base,
    distance: formatMoney(e - f, digits),
    usedPct: room > 0 ? Math.round(((b - e) / room) * 10_000) / 100 : 0,
  };
}

export function metricsView(accountId: string, status: string, m: PhaseMetrics): AccountMetrics {
  const digits = minorUnitDigits(m.currency);
  return {
    accountId,
    status,
    currency: m.currency,
    initialBalance: m.initialBalance,
    balance: m.balance,
    equity: m.equity,
    dailyLoss: m.dailyLoss ? gauge(m.dailyLoss.floor, m.dailyLoss.base, m.equity, digits) : null,
    maxLoss: m.maxLoss ? gauge(m.maxLoss.floor, m.maxLoss.base, m.equity, digits) : null,
    profitTarget: m.profitTarget?.target ?? null,
    progressPct: m.profitTarget ? Math.round(m.profitTarget.progressPct * 100) / 100 : null,
    tradingDays: m.tradingDays,
    minTradingDays: m.minTradingDays,
    consistencyPct: m.consistency?.ratioPct ?? null,
    nextReset: m.nextReset ? new Date(m.nextReset) : null,
    openPositions: m.openPositions,
  };
}

/**
 * Whether a transition is a deal correction that staff must review (the engine runner records
 * `reviewRequired` and the rebuilt outcome in its detail), for the timeline and live events alike.
 */
export function reviewOf(
  kind: string,
  detail: Record<string, unknown>,
): { reviewRequired: boolean; reviewOutcome: string | null } {
  const reviewRequired = kind === 'CORRECTION' && detail.reviewRequired === true;
  const outcome = detail.outcome as { status?: unknown } | undefined;
  return {
    reviewRequired,
    reviewOutcome: reviewRequired && typeof outcome?.status === 'string' ? outcome.status : null,
  };
}

function toAccount(row: AccountRow): ChallengeAccount {
  return {
    id: row.id,
    brandId: row.brand_id,
    traderId: row.trader_id,
    traderName: row.trader_name,
    traderEmail: row.trader_email,
    planId: row.plan_id,
    planVersionId: row.plan_version_id,
    planName: row.plan_name,
    phaseName: row.phase_name,
    phaseIndex: row.phase_index,
    login: row.login,
    status: row.status,
    review: row.review,
    currency: row.currency,
    initialBalance: row.initial_balance,
    metrics: row.metrics ? metricsView(row.id, row.status, row.metrics) : null,
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
    endedRule: row.ended_rule,
    previousAccountId: row.previous_account_id,
    createdAt: new Date(row.created_at),
  };
}

/**
 * Challenge accounts: issuing one to a trader, reading them with live figures, and moving a passed
 * account on as its phase says (automatically, after staff review, or when the trader confirms).
 */
export class ChallengeService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: PlatformRegistry,
    private readonly actor: AuditActor = { viewer: systemViewer('challenge service') },
  ) {}

  async list(brandId: string, filter: { status?: string | null; planId?: string | null; nearBreach?: boolean | null }) {
    await this.requireBrand(brandId);
    const rows = await brandScopedSql<AccountRow>(
      this.em,
      [brandId],
      `${SELECT_ACCOUNT} WHERE c.brand_id = ? AND (?::text IS NULL OR c.status = ?) AND (?::uuid IS NULL OR c.plan_id = ?)
       ORDER BY c.created_at DESC LIMIT 1000`,
      [brandId, filter.status ?? null, filter.status ?? null, filter.planId ?? null, filter.planId ?? null],
    );
    const accounts = rows.map(toAccount);
    // Near breach: at most 20 % of some limit's room left.
    if (!filter.nearBreach) return accounts;
    return accounts.filter((a) => [a.metrics?.dailyLoss, a.metrics?.maxLoss].some((g) => g && g.usedPct >= 80));
  }

  async get(accountId: string): Promise<ChallengeAccount> {
    return toAccount(await this.load(accountId));
  }

  /** A trader's own accounts, newest first; shown once their email is verified (see `load`). */
  async listForTrader(traderId: string): Promise<ChallengeAccount[]> {
    const brandIds = (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
    if (brandIds.length === 0) return [];
    const rows = await brandScopedSql<AccountRow>(
      this.em,
      brandIds,
      `${SELECT_ACCOUNT} WHERE c.trader_id = ? AND c.brand_id = ANY(?::uuid[]) AND t.email_verified_at IS NOT NULL
       ORDER BY c.created_at DESC LIMIT 200`,
      [traderId, `{${brandIds.join(',')}}`],
    );
    return rows.map(toAccount);
  }

  async transitions(accountId: string): Promise<ChallengeTransition[]> {
    const account = await this.load(accountId);
    const rows = await brandScopedSql<{
      id: string;
      kind: string;
      rule: string | null;
      at: Date;
      seq: string;
      detail: Record<string, unknown>;
      decision: CorrectionReviewDecision | null;
      review_reason: string | null;
      review_actor: string | null;
      resolved_at: Date | null;
      failed_account_id: string | null;
    }>(
      this.em,
      [account.brand_id],
      `SELECT t.id, t.kind, t.rule, t.at, t.seq, t.detail, r.decision, r.reason AS review_reason,
              r.actor_label AS review_actor, r.resolved_at, r.failed_account_id
         FROM challenge_transition t LEFT JOIN correction_review r ON r.transition_id = t.id AND r.brand_id = t.brand_id
        WHERE t.account_id = ? AND t.brand_id = ? ORDER BY t.seq, t.created_at`,
      [accountId, account.brand_id],
    );
    return rows.map((r) => ({
      id: r.id,
      accountId,
      kind: r.kind,
      rule: r.rule,
      at: new Date(r.at),
      floor: (r.detail.floor as string | undefined) ?? null,
      equity: (r.detail.equity as string | undefined) ?? null,
      seq: Number(r.seq),
      actor: (r.detail.actor as string | undefined) ?? null,
      reason: (r.detail.reason as string | undefined) ?? null,
      days: typeof r.detail.days === 'number' ? r.detail.days : null,
      // Staff records carry their action id; breach and pass records have no `id`.
      actionId: 'action' in r.detail ? ((r.detail.id as string | undefined) ?? null) : null,
      ...reviewOf(r.kind, r.detail),
      reviewResolution: r.decision
        ? {
            decision: r.decision,
            reason: r.review_reason ?? '',
            actor: r.review_actor,
            at: new Date(r.resolved_at!),
            failedAccountId: r.failed_account_id,
          }
        : null,
    }));
  }

  /** Equity as the platform reported it, newest last, for the chart against the floors. */
  async equitySeries(accountId: string, limit: number): Promise<EquityPoint[]> {
    const account = await this.load(accountId);
    const rows = await brandScopedSql<{ at: Date; equity: string }>(
      this.em,
      [account.brand_id],
      `SELECT at, equity FROM (
         SELECT seq, at, payload->>'equity' AS equity FROM platform_event
          WHERE account_id = ? AND brand_id = ? AND payload->>'equity' IS NOT NULL ORDER BY seq DESC LIMIT ?) s ORDER BY seq`,
      [account.platform_account_id, account.brand_id, Math.min(Math.max(limit, 1), 5_000)],
    );
    return rows.map((r) => ({ at: new Date(r.at), equity: r.equity }));
  }

  /** Staff issue an account to a trader (the purchase flow comes with payments): phase 1 of the plan's published version. */
  async issue(input: IssueAccountInput): Promise<ChallengeAccount> {
    await this.requireBrand(input.brandId);
    const email = input.traderEmail.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw badInput([{ path: ['input', 'traderEmail'], message: 'must be an email address' }]);
    if (!input.traderName.trim()) throw badInput([{ path: ['input', 'traderName'], message: 'a trader needs a name' }]);
    const version = await this.em.findOne(VersionRow, { planId: input.planId, status: 'PUBLISHED' });
    if (!version || version.brandId !== input.brandId) throw notFound('Published plan');
    const size = version.content.sizes.find((s) => s.id === input.sizeId);
    if (!size) throw badInput([{ path: ['input', 'sizeId'], message: 'no such account size in this plan' }]);
    const [trader] = await brandScopedSql<{ id: string }>(
      this.em,
      [input.brandId],
      `INSERT INTO trader (id, brand_id, email, name) VALUES (gen_random_uuid(), ?, ?, ?)
       ON CONFLICT (brand_id, email) DO UPDATE SET name = trader.name RETURNING id`,
      [input.brandId, email, input.traderName.trim()],
    );
    const id = await this.openPhaseAccount(input.brandId, trader!.id, version, size.id, 0, null, null);
    await audit(this.em, this.actor, {
      brandId: input.brandId,
      operation: 'issueChallengeAccount',
      targetType: 'ChallengeAccount',
      targetId: id,
      after: { trader: email, planId: input.planId, sizeId: input.sizeId },
    });
    return this.get(id);
  }

  /**
   * The demo: a challenge account for a login the simulator already trades (its simulated trader
   * was created with the size's balance), on phase 1 of the plan's published version.
   */
  async attachDemoAccount(
    brandId: string,
    platformId: string,
    login: string,
    traderNo: number,
    planId: string,
    sizeId: string,
    /** The brand's demo trader who can sign in to the portal; a simulated trader of its own otherwise. */
    traderId?: string,
  ) {
    const version = await this.em.findOneOrFail(VersionRow, { planId, status: 'PUBLISHED' });
    const [trader] = traderId
      ? [{ id: traderId }]
      : await brandScopedSql<{ id: string }>(
          this.em,
          [brandId],
          `INSERT INTO trader (id, brand_id, email, name) VALUES (gen_random_uuid(), ?, ?, ?)
       ON CONFLICT (brand_id, email) DO UPDATE SET name = excluded.name RETURNING id`,
          [brandId, `trader${traderNo}@demo.brokerdeck.test`, `Demo Trader ${traderNo}`],
        );
    return this.openPhaseAccount(brandId, trader!.id, version, sizeId, 0, null, platformId, login);
  }

  /**
   * After a pass: the plan's advance rule. Runs as system work from the outbox. The account's row
   * stays locked until the next phase exists, and a pass that a deal correction withdrew meanwhile
   * (the engine locks the same row) is no longer PASSED here, so nothing opens.
   */
  async advance(accountId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const locked = new ChallengeService(em, this.registry, this.actor);
      const account = await locked.load(accountId, true);
      if (account.status !== 'PASSED' || account.review) return;
      const version = await em.findOneOrFail(VersionRow, { id: account.plan_version_id });
      const phase = version.content.phases[account.phase_index]!;
      if (phase.advance === 'AUTOMATIC') return locked.openNext(account, version);
      const review = phase.advance === 'MANUAL_REVIEW' ? 'PENDING_REVIEW' : 'AWAITING_TRADER';
      await brandScopedSql(
        em,
        [account.brand_id],
        'UPDATE challenge_account SET review = ? WHERE id = ? AND brand_id = ?',
        [review, accountId, account.brand_id],
      );
    });
  }

  /** Staff approve a pass waiting for review, or the trader confirms it: the next phase opens, once. */
  async approve(accountId: string): Promise<ChallengeAccount> {
    await this.em.transactional(async (em) => {
      const locked = new ChallengeService(em, this.registry, this.actor);
      // Locked, so a deal correction that withdraws the pass is either seen here or waits for this.
      const account = await locked.load(accountId, true);
      if (
        account.status !== 'PASSED' ||
        (account.review !== 'PENDING_REVIEW' && account.review !== 'AWAITING_TRADER')
      ) {
        throw conflict('Only a passed account waiting for review or confirmation can move on');
      }
      const version = await em.findOneOrFail(VersionRow, { id: account.plan_version_id });
      await locked.openNext(account, version);
      await audit(em, this.actor, {
        brandId: account.brand_id,
        operation: 'approvePass',
        targetType: 'ChallengeAccount',
        targetId: accountId,
        before: { review: account.review },
        after: { review: 'APPROVED' },
      });
    });
    return this.get(accountId);
  }

  async reject(accountId: string, reason: string): Promise<ChallengeAccount> {
    if (!reason.trim()) throw badInput([{ path: ['reason'], message: 'give the trader a reason' }]);
    const account = await this.load(accountId);
    if (account.status !== 'PASSED' || account.review !== 'PENDING_REVIEW')
      throw conflict('Only a pass waiting for review can be rejected');
    // The decision and its audit entry commit together.
    await this.em.transactional(async (em) => {
      await brandScopedSql(
        em,
        [account.brand_id],
        `UPDATE challenge_account SET status = 'CLOSED', review = 'REJECTED', ended_rule = ?, updated_at = now() WHERE id = ? AND brand_id = ?`,
        [`REVIEW_REJECTED: ${reason.trim().slice(0, 500)}`, accountId, account.brand_id],
      );
      await audit(em, this.actor, {
        brandId: account.brand_id,
        operation: 'rejectPass',
        targetType: 'ChallengeAccount',
        targetId: accountId,
        before: { status: 'PASSED', review: account.review },
        after: { status: 'CLOSED', review: 'REJECTED', reason: reason.trim() },
      });
    });
    return this.get(accountId);
  }

  /**
   * A fresh attempt of the same phase after a staff reset (staff-actions.ts closes the old one): a
   * new platform account with a fresh initial balance, linked to the old account. Returns its id.
   */
  async openAttempt(accountId: string): Promise<string> {
    const account = await this.load(accountId);
    const version = await this.em.findOneOrFail(VersionRow, { id: account.plan_version_id });
    return this.openPhaseAccount(
      account.brand_id,
      account.trader_id,
      version,
      account.size_id,
      account.phase_index,
      account,
      account.platform_id,
    );
  }

  private async openNext(account: AccountRow, version: VersionRow) {
    const nextIndex = account.phase_index + 1;
    if (nextIndex >= version.content.phases.length) return;
    await brandScopedSql(
      this.em,
      [account.brand_id],
      `UPDATE challenge_account SET review = 'APPROVED' WHERE id = ? AND brand_id = ? AND review IS NOT NULL`,
      [account.id, account.brand_id],
    );
    await this.openPhaseAccount(
      account.brand_id,
      account.trader_id,
      version,
      account.size_id,
      nextIndex,
      account,
      account.platform_id,
    );
  }

  /** Creates the platform account through the bridge and the challenge account that follows it; fresh initial balance. */
  private async openPhaseAccount(
    brandId: string,
    traderId: string,
    version: VersionRow,
    sizeId: string,
    phaseIndex: number,
    previous: AccountRow | null,
    platformId: string | null,
    existingLogin?: string,
  ): Promise<string> {
    const content: PlanContent = version.content;
    const phase = content.phases[phaseIndex]!;
    const size = content.sizes.find((s) => s.id === sizeId)!;
    const kind = content.platform;
    const [connection] = await brandScopedSql<{ id: string; account_group: string | null }>(
      this.em,
      [brandId],
      `SELECT id, settings->>'accountGroup' AS account_group FROM platform_connection
        WHERE brand_id = ? AND (id = ? OR (?::uuid IS NULL AND kind = ?)) ORDER BY created_at LIMIT 1`,
      [brandId, platformId, platformId, kind],
    );
    if (!connection) throw conflict(`The brand has no ${kind} platform to open the account on`);
    const platform = this.registry.get(connection.id);
    if (!platform) throw conflict('The platform is not connected; try again when it is');
    const id = randomUUID();
    const account = {
      group: connection.account_group ?? 'sim\\prop',
      leverage: 100,
      currency: size.currency,
      startingBalance: size.balance,
    };
    let login: string;
    if (existingLogin) {
      login = existingLogin;
    } else if (platform instanceof SimulatedPlatform && previous) {
      // In the demo the same simulated trader carries on into the next phase.
      const behaviour = platform.traders().find((t) => t.login === previous.login)?.behaviour as
        | TraderBehaviour
        | undefined;
      login = behaviour
        ? platform.addTrader(behaviour, account)
        : (await platform.createAccount({ commandId: id, ...account })).login;
    } else {
      login = (await platform.createAccount({ commandId: id, ...account })).login;
    }
    const [platformAccount] = await brandScopedSql<{ id: string }>(
      this.em,
      [brandId],
      `INSERT INTO platform_account (id, platform_id, brand_id, login, currency) VALUES (gen_random_uuid(), ?, ?, ?, ?)
       ON CONFLICT (platform_id, login) DO UPDATE SET currency = excluded.currency RETURNING id`,
      [connection.id, brandId, login, size.currency],
    );
    const rules = effectiveRules(content, sizeId, phase.id);
    await brandScopedSql(
      this.em,
      [brandId],
      `INSERT INTO challenge_account (id, brand_id, trader_id, plan_id, plan_version_id, phase_id, phase_index, phase_name, size_id,
                                      currency, initial_balance, platform_account_id, login, status, rules, previous_account_id,
                                      warning_thresholds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::int[])`,
      [
        id,
        brandId,
        traderId,
        version.planId,
        version.id,
        phase.id,
        phaseIndex,
        phase.name,
        sizeId,
        size.currency,
        size.balance,
        platformAccount!.id,
        login,
        phase.kind === 'FUNDED' ? 'FUNDED' : 'ACTIVE',
        JSON.stringify(rules),
        previous?.id ?? null,
        `{${phase.warningThresholds.join(',')}}`,
      ],
    );
    return id;
  }

  private async requireBrand(brandId: string) {
    if (!(await this.em.findOne(Brand, { id: brandId }, { fields: ['id'] }))) throw notFound('Brand');
  }

  /** `forUpdate`: the account's row stays locked until the caller's transaction ends. */
  private async load(accountId: string, forUpdate = false): Promise<AccountRow> {
    if (!isUuid(accountId)) throw notFound('Account');
    const scope = await this.em.find(Brand, {}, { fields: ['id'] });
    const brandIds = scope.map((b) => b.id);
    if (brandIds.length === 0) throw notFound('Account');
    // A trader reads only their own accounts, and only once their email is verified (so an address
    // someone else signed up with reveals nothing); another trader's account is simply not found.
    const owner = this.actor.viewer.kind === 'trader' ? this.actor.viewer.traderId : null;
    const [row] = await brandScopedSql<AccountRow>(
      this.em,
      brandIds,
      `${SELECT_ACCOUNT} WHERE c.id = ? AND c.brand_id = ANY(?::uuid[])
         AND (?::uuid IS NULL OR (c.trader_id = ? AND t.email_verified_at IS NOT NULL))${forUpdate ? ' FOR UPDATE OF c' : ''}`,
      [accountId, `{${brandIds.join(',')}}`, owner, owner],
    );
    if (!row) throw notFound('Account');
    return row;
  }
}
