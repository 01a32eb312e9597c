import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit, type AuditActor } from '../audit/audit';
import { Brand } from '../brands/brand.entity';
import { badInput, forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import type { PlatformRegistry } from '../platform/registry';
import {
  type AssignmentRule,
  type AssignmentRuleInput,
  decide,
  explain,
  formatMetric,
  parseAssignmentRule,
  type TradingFigures,
} from './assignment-rule';
import { RiskConfigError } from './errors';
import type { RiskCommandWorker } from './risk-commands';
import type { Book } from './risk-group';
import type { RiskRuntime } from './risk-live';
import { RISK_WRITERS, RiskService } from './risk.service';
import { RiskGroupRow, toRiskGroup } from './risk-group.entity';

interface RuleRow {
  id: string;
  brand_id: string;
  name: string;
  metric: AssignmentRule['metric'];
  window_days: number;
  comparison: AssignmentRule['comparison'];
  threshold: string;
  min_trades: number;
  target_risk_group_id: string | null;
  target_book: Book | null;
  priority: number;
  enabled: boolean;
  last_run_at: Date | null;
  last_moved: number;
  created_at: Date;
  updated_at: Date;
}

export interface AssignmentRuleView {
  id: string;
  brandId: string;
  name: string;
  metric: AssignmentRule['metric'];
  windowDays: number;
  comparison: AssignmentRule['comparison'];
  threshold: string;
  minTrades: number;
  targetRiskGroupId: string | null;
  targetBook: Book | null;
  priority: number;
  enabled: boolean;
  lastRunAt: Date | null;
  lastMoved: number;
  updatedAt: Date;
}

export interface AssignmentMove {
  platformAccountId: string;
  login: string;
  ruleId: string;
  ruleName: string;
  metric: AssignmentRule['metric'];
  /** The metric's value ("∞" for a profit factor without losses). */
  value: string;
  threshold: string;
  comparison: AssignmentRule['comparison'];
  windowDays: number;
  trades: number;
  reason: string;
  fromRiskGroupId: string;
  fromRiskGroupName: string;
  toRiskGroupId: string;
  toRiskGroupName: string;
  fromBook: Book;
  toBook: Book;
}

/** The fields a rule is created or changed with (GraphQL inputs map onto this). */
export interface RuleFields {
  name?: string | null;
  metric?: AssignmentRule['metric'] | null;
  windowDays?: number | null;
  comparison?: AssignmentRule['comparison'] | null;
  threshold?: string | null;
  minTrades?: number | null;
  targetRiskGroupId?: string | null;
  targetBook?: Book | null;
  priority?: number | null;
  enabled?: boolean | null;
}

const toRule = (r: RuleRow): AssignmentRule => ({
  id: r.id,
  brand: r.brand_id,
  name: r.name,
  metric: r.metric,
  windowDays: r.window_days,
  comparison: r.comparison,
  threshold: String(r.threshold),
  minTrades: r.min_trades,
  targetRiskGroupId: r.target_risk_group_id,
  targetBook: r.target_book,
  priority: r.priority,
  enabled: r.enabled,
});

const view = (r: RuleRow): AssignmentRuleView => ({
  ...toRule(r),
  brandId: r.brand_id,
  // Raw rows carry timestamps as text.
  lastRunAt: r.last_run_at === null ? null : new Date(r.last_run_at),
  lastMoved: r.last_moved,
  updatedAt: new Date(r.updated_at),
});

/** What an audit entry keeps of a rule. */
const auditOf = (r: AssignmentRule) => ({
  name: r.name,
  metric: r.metric,
  windowDays: r.windowDays,
  comparison: r.comparison,
  threshold: r.threshold,
  minTrades: r.minTrades,
  targetRiskGroupId: r.targetRiskGroupId,
  targetBook: r.targetBook,
  priority: r.priority,
  enabled: r.enabled,
});

/**
 * Behaviour-based assignment: rules as data (CRUD validated and audited), their evaluation on the
 * journal's deals, a preview of who would move and why, and the run that moves accounts (audited
 * per account, pushed to the platform like a manual assignment, live in the books at once).
 * Accounts a person assigned by hand (`assigned_by = 'MANUAL'`) are left alone.
 */
export class AssignmentRuleService {
  constructor(
    private readonly em: EntityManager,
    private readonly runtime: RiskRuntime,
    private readonly worker: RiskCommandWorker,
    private readonly registry: PlatformRegistry,
    private readonly actor: AuditActor,
  ) {}

  private requireWriter(brandId: string) {
    const v = this.actor.viewer;
    if (v.kind === 'system') return;
    if (v.kind !== 'staff') throw forbidden();
    if (!v.grants.some((g) => (g.brandId === null || g.brandId === brandId) && RISK_WRITERS.includes(g.role))) {
      throw forbidden();
    }
  }

  private rows(brandId: string, tx: EntityManager = this.em) {
    return brandScopedSql<RuleRow>(
      tx,
      [brandId],
      'SELECT * FROM risk_assignment_rule WHERE brand_id = ? ORDER BY priority, name',
      [brandId],
    );
  }

  async list(brandId: string): Promise<AssignmentRuleView[]> {
    return (await this.rows(brandId)).map(view);
  }

  /** A rule by id, among the brands the viewer may see (others are simply not found). */
  private async find(id: string, tx: EntityManager = this.em, lock = false): Promise<RuleRow> {
    if (!isUuid(id)) throw notFound('Assignment rule');
    const visible = (await tx.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
    if (visible.length === 0) throw notFound('Assignment rule');
    const [row] = await brandScopedSql<RuleRow>(
      tx,
      visible,
      `SELECT * FROM risk_assignment_rule WHERE id = ? AND brand_id = ANY(?::uuid[])${lock ? ' FOR UPDATE' : ''}`,
      [id, `{${visible.join(',')}}`],
    );
    if (!row) throw notFound('Assignment rule');
    return row;
  }

  private parse(fields: AssignmentRuleInput, prefix: string[]): AssignmentRule {
    try {
      return parseAssignmentRule(fields);
    } catch (error) {
      if (error instanceof RiskConfigError) {
        throw badInput(error.issues.map((i) => ({ path: [...prefix, ...i.path], message: i.message })));
      }
      throw error;
    }
  }

  private async checkTarget(tx: EntityManager, rule: AssignmentRule, prefix: string[]) {
    if (rule.targetRiskGroupId === null) return;
    const group = isUuid(rule.targetRiskGroupId)
      ? await tx.findOne(RiskGroupRow, { id: rule.targetRiskGroupId, brandId: rule.brand }, { fields: ['id'] })
      : null;
    if (!group) throw badInput([{ path: [...prefix, 'targetRiskGroupId'], message: 'A risk group of this brand' }]);
  }

  private async checkName(tx: EntityManager, rule: AssignmentRule, prefix: string[]) {
    const [clash] = await brandScopedSql<{ id: string }>(
      tx,
      [rule.brand],
      'SELECT id FROM risk_assignment_rule WHERE brand_id = ? AND lower(name) = lower(?) AND id <> ?',
      [rule.brand, rule.name, rule.id],
    );
    if (clash) throw badInput([{ path: [...prefix, 'name'], message: 'Another rule of this brand has this name' }]);
  }

  async create(brandId: string, fields: RuleFields): Promise<AssignmentRuleView> {
    this.requireWriter(brandId);
    const rule = this.parse({ id: randomUUID(), brand: brandId, ...defined(fields) } as AssignmentRuleInput, ['input']);
    return this.em.transactional(async (tx) => {
      await this.checkTarget(tx, rule, ['input']);
      await this.checkName(tx, rule, ['input']);
      const row = await insertAssignmentRule(tx, rule);
      await audit(tx, this.actor, {
        brandId,
        operation: 'risk.rule.create',
        targetType: 'AssignmentRule',
        targetId: rule.id,
        before: null,
        after: auditOf(rule),
      });
      return view(row!);
    });
  }

  async update(id: string, fields: RuleFields): Promise<AssignmentRuleView> {
    const found = await this.find(id);
    this.requireWriter(found.brand_id);
    return this.em.transactional(async (tx) => {
      const current = toRule(await this.find(id, tx, true));
      const rule = this.parse({ ...current, ...defined(fields) } as AssignmentRuleInput, ['input']);
      await this.checkTarget(tx, rule, ['input']);
      await this.checkName(tx, rule, ['input']);
      const [row] = await brandScopedSql<RuleRow>(
        tx,
        [rule.brand],
        `UPDATE risk_assignment_rule SET name = ?, metric = ?, window_days = ?, comparison = ?, threshold = ?,
            min_trades = ?, target_risk_group_id = ?, target_book = ?, priority = ?, enabled = ?, updated_at = now()
          WHERE id = ? AND brand_id = ? RETURNING *`,
        [
          rule.name,
          rule.metric,
          rule.windowDays,
          rule.comparison,
          rule.threshold,
          rule.minTrades,
          rule.targetRiskGroupId,
          rule.targetBook,
          rule.priority,
          rule.enabled,
          id,
          rule.brand,
        ],
      );
      await audit(tx, this.actor, {
        brandId: rule.brand,
        operation: 'risk.rule.update',
        targetType: 'AssignmentRule',
        targetId: id,
        before: auditOf(current),
        after: auditOf(rule),
      });
      return view(row!);
    });
  }

  async remove(id: string): Promise<boolean> {
    const found = await this.find(id);
    this.requireWriter(found.brand_id);
    await this.em.transactional(async (tx) => {
      const current = await this.find(id, tx, true);
      await brandScopedSql(tx, [current.brand_id], 'DELETE FROM risk_assignment_rule WHERE id = ? AND brand_id = ?', [
        id,
        current.brand_id,
      ]);
      await audit(tx, this.actor, {
        brandId: current.brand_id,
        operation: 'risk.rule.delete',
        targetType: 'AssignmentRule',
        targetId: id,
        before: auditOf(toRule(current)),
        after: null,
      });
    });
    return true;
  }

  // ----- evaluation ---------------------------------------------------------------------------

  /**
   * Closing-deal figures per account over `windowDays`, ending at each platform's own clock (a
   * simulator may run on another date than the wall clock).
   */
  private async figures(brandId: string, windowDays: number): Promise<Map<string, TradingFigures>> {
    const platforms = await brandScopedSql<{ id: string }>(
      this.em,
      [brandId],
      'SELECT id FROM platform_connection WHERE brand_id = ?',
      [brandId],
    );
    if (platforms.length === 0) return new Map();
    const asOf = platforms.map((p) => (this.registry.get(p.id)?.clock.now() ?? new Date()).toISOString());
    const rows = await brandScopedSql<{
      account_id: string;
      trades: number;
      wins: number;
      gains: number;
      losses: number;
      avg_hold: number | null;
    }>(
      this.em,
      [brandId],
      `WITH asof AS (
         SELECT * FROM unnest(string_to_array(?, ',')::uuid[], string_to_array(?, ',')::timestamptz[]) AS a(platform_id, at)
       ), outs AS (
         SELECT e.account_id, e.at, e.payload->>'position' AS position,
                (e.payload->>'profit')::numeric + coalesce((e.payload->>'commission')::numeric, 0)
                  + coalesce((e.payload->>'swap')::numeric, 0) AS net
           FROM platform_event e JOIN asof a ON a.platform_id = e.platform_id
          WHERE e.brand_id = ? AND e.type = 'deal' AND e.payload->>'entry' = 'out'
            AND e.at > a.at - make_interval(days => ?) AND e.at <= a.at
       )
       SELECT o.account_id, count(*)::int AS trades, (count(*) FILTER (WHERE o.net > 0))::int AS wins,
              coalesce(sum(o.net) FILTER (WHERE o.net > 0), 0)::float8 AS gains,
              coalesce(-sum(o.net) FILTER (WHERE o.net < 0), 0)::float8 AS losses,
              avg(extract(epoch FROM o.at - i.opened))::float8 AS avg_hold
         FROM outs o
         LEFT JOIN LATERAL (
           SELECT min(d.at) AS opened FROM platform_event d
            WHERE d.account_id = o.account_id AND d.type = 'deal' AND d.payload->>'entry' = 'in'
              AND d.payload->>'position' = o.position
         ) i ON true
        GROUP BY o.account_id`,
      [platforms.map((p) => p.id).join(','), asOf.join(','), brandId, windowDays],
    );
    return new Map(
      rows.map((r) => [
        r.account_id,
        { trades: r.trades, wins: r.wins, gains: r.gains, losses: r.losses, avgHoldingSeconds: r.avg_hold },
      ]),
    );
  }

  /** Who would move, by which rule, and why; nothing is written. */
  async preview(brandId: string): Promise<AssignmentMove[]> {
    const rules = (await this.rows(brandId)).map(toRule).filter((r) => r.enabled);
    if (rules.length === 0) return [];
    const windows = [...new Set(rules.map((r) => r.windowDays))];
    const figures = new Map<number, Map<string, TradingFigures>>();
    for (const w of windows) figures.set(w, await this.figures(brandId, w));
    const accounts = await brandScopedSql<{
      platform_account_id: string;
      login: string;
      risk_group_id: string;
      book: Book;
    }>(
      this.em,
      [brandId],
      `SELECT r.platform_account_id, p.login, r.risk_group_id, r.book FROM risk_account r
         JOIN platform_account p ON p.id = r.platform_account_id
        WHERE r.brand_id = ? AND r.assigned_by <> 'MANUAL' ORDER BY p.login`,
      [brandId],
    );
    const groups = await this.em.find(RiskGroupRow, { brandId }, { fields: ['id', 'name'] });
    const name = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
    const empty: TradingFigures = { trades: 0, wins: 0, gains: 0, losses: 0, avgHoldingSeconds: null };
    const moves: AssignmentMove[] = [];
    for (const a of accounts) {
      const decision = decide(rules, (w) => figures.get(w)?.get(a.platform_account_id) ?? empty, {
        riskGroupId: a.risk_group_id,
        book: a.book,
      });
      if (!decision) continue;
      const { rule, match, to } = decision;
      moves.push({
        platformAccountId: a.platform_account_id,
        login: a.login,
        ruleId: rule.id,
        ruleName: rule.name,
        metric: rule.metric,
        value: formatMetric(rule.metric, match.value),
        threshold: rule.threshold,
        comparison: rule.comparison,
        windowDays: rule.windowDays,
        trades: match.trades,
        reason: explain(rule, match),
        fromRiskGroupId: a.risk_group_id,
        fromRiskGroupName: name(a.risk_group_id),
        toRiskGroupId: to.riskGroupId,
        toRiskGroupName: name(to.riskGroupId),
        fromBook: a.book,
        toBook: to.book,
      });
    }
    return moves;
  }

  /**
   * Evaluates the brand's rules and moves the accounts that match: one transaction (locked rows,
   * re-checked), one audit entry per account naming the rule and the reason, a platform push per
   * account (group and leverage), then the live books. Returns the moves made.
   */
  async run(brandId: string): Promise<AssignmentMove[]> {
    this.requireWriter(brandId);
    const planned = await this.preview(brandId);
    const runId = randomUUID();
    const moved = await this.em.transactional(async (tx) => {
      const done: AssignmentMove[] = [];
      if (planned.length > 0) {
        const ids = planned.map((m) => m.platformAccountId);
        const locked = await brandScopedSql<{
          platform_account_id: string;
          risk_group_id: string;
          book: Book;
          assigned_by: string;
        }>(
          tx,
          [brandId],
          `SELECT platform_account_id, risk_group_id, book, assigned_by FROM risk_account
            WHERE brand_id = ? AND platform_account_id = ANY(?::uuid[]) FOR UPDATE`,
          [brandId, `{${ids.join(',')}}`],
        );
        const now = new Map(locked.map((r) => [r.platform_account_id, r]));
        for (const m of planned) {
          const row = now.get(m.platformAccountId);
          // Changed since the evaluation (a person or another run moved it): left for the next run.
          if (
            !row ||
            row.assigned_by === 'MANUAL' ||
            row.risk_group_id !== m.fromRiskGroupId ||
            row.book !== m.fromBook
          )
            continue;
          done.push(m);
        }
        const byTarget = new Map<string, AssignmentMove[]>();
        for (const m of done) {
          const key = `${m.toRiskGroupId}:${m.toBook}`;
          byTarget.set(key, [...(byTarget.get(key) ?? []), m]);
        }
        const pushes = new RiskService(tx, this.runtime, this.worker, this.actor);
        for (const moves of byTarget.values()) {
          const { toRiskGroupId, toBook } = moves[0]!;
          const only = moves.map((m) => m.platformAccountId);
          await brandScopedSql(
            tx,
            [brandId],
            `UPDATE risk_account SET risk_group_id = ?, book = ?, assigned_by = 'RULE', assigned_at = now()
              WHERE brand_id = ? AND platform_account_id = ANY(?::uuid[])`,
            [toRiskGroupId, toBook, brandId, `{${only.join(',')}}`],
          );
          const target = await tx.findOneOrFail(RiskGroupRow, { id: toRiskGroupId });
          await pushes.queuePushes(tx, brandId, [toRiskGroup(target)], `risk:rule:${runId}:`, null, undefined, only);
        }
        for (const m of done) {
          await audit(tx, this.actor, {
            brandId,
            operation: 'risk.account.rule-assign',
            targetType: 'PlatformAccount',
            targetId: m.platformAccountId,
            before: { login: m.login, riskGroupId: m.fromRiskGroupId, book: m.fromBook },
            after: {
              login: m.login,
              riskGroupId: m.toRiskGroupId,
              book: m.toBook,
              ruleId: m.ruleId,
              rule: m.ruleName,
              reason: m.reason,
            },
          });
        }
      }
      const perRule = new Map<string, number>();
      for (const m of done) perRule.set(m.ruleId, (perRule.get(m.ruleId) ?? 0) + 1);
      await brandScopedSql(
        tx,
        [brandId],
        `UPDATE risk_assignment_rule r SET last_run_at = now(), last_moved = coalesce(u.n, 0)
           FROM (SELECT id FROM risk_assignment_rule WHERE brand_id = ? AND enabled) e
           LEFT JOIN unnest(string_to_array(?, ',')::uuid[], string_to_array(?, ',')::int[]) AS u(id, n) ON u.id = e.id
          WHERE r.id = e.id`,
        [brandId, [...perRule.keys()].join(','), [...perRule.values()].join(',')],
      );
      return done;
    });
    for (const m of moved) this.runtime.moveAccount(m.platformAccountId, m.toRiskGroupId, m.toBook);
    if (moved.length > 0) this.worker.wake();
    return moved;
  }
}

/** Only the fields given (GraphQL leaves absent ones null or undefined). */
function defined(fields: RuleFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([k, v]) => v !== undefined && (v !== null || k.startsWith('target'))),
  );
}

/** Stores a parsed rule (the service's create and the demo seed): the one INSERT of a rule. */
export async function insertAssignmentRule(em: EntityManager, rule: AssignmentRule): Promise<RuleRow> {
  const [row] = await brandScopedSql<RuleRow>(
    em,
    [rule.brand],
    `INSERT INTO risk_assignment_rule (id, brand_id, name, metric, window_days, comparison, threshold, min_trades,
        target_risk_group_id, target_book, priority, enabled)
     VALUES (?, ?, ?, ?, ?, ?, ?::numeric, ?, ?, ?, ?, ?) RETURNING *`,
    [
      rule.id,
      rule.brand,
      rule.name,
      rule.metric,
      rule.windowDays,
      rule.comparison,
      rule.threshold,
      rule.minTrades,
      rule.targetRiskGroupId,
      rule.targetBook,
      rule.priority,
      rule.enabled,
    ],
  );
  return row!;
}
