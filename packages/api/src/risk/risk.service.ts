import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StaffRole } from '../auth/auth.entity';
import type { Viewer } from '../auth/viewer';
import { audit, type AuditActor } from '../audit/audit';
import { Brand } from '../brands/brand.entity';
import { badInput, conflict, type FieldProblem, forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import { publicInstrument, SIM_INSTRUMENTS } from '../platform/instruments';
import { ASSET_CLASSES, type Instrument } from '../platform/platform';
import { RiskConfigError } from './errors';
import { accountViews, type ExposureView, exposureView } from './exposure-view';
import { type MarginChangePreview, previewMarginChange } from './margin-change';
import { decimalSum } from './decimal';
import type { RiskCommandWorker } from './risk-commands';
import { RiskGroupRow, toRiskGroup } from './risk-group.entity';
import {
  type Book,
  type LeverageTarget,
  type MarginChange,
  parseMarginChange,
  parseRiskGroup,
  type RiskGroup,
  withLeverageChange,
} from './risk-group';
import type { RiskRuntime } from './risk-live';
import type {
  AssignRiskGroupInput,
  CreateRiskGroupInput,
  ExposureFilter,
  MarginChangeInput,
  UpdateRiskGroupInput,
} from './risk.types';

export const RISK_WRITERS: readonly StaffRole[] = ['OWNER', 'ADMIN', 'RISK_MANAGER'];
export const FIRM_REPORTING_CURRENCY = 'USD';

/** The maximum leverage an account of the group gets on the platform: the highest cap, class or symbol. */
export function accountLeverage(group: RiskGroup): number {
  return Math.max(...Object.values(group.leverage), ...Object.values(group.symbolLeverage));
}

type GroupFields = Omit<RiskGroup, 'id' | 'brand'>;

/** Risk groups, assignment, exposure and "change margin requirement": the behaviour behind risk.resolver.ts. */
export class RiskService {
  constructor(
    private readonly em: EntityManager,
    private readonly runtime: RiskRuntime,
    private readonly worker: RiskCommandWorker,
    private readonly actor: AuditActor,
  ) {}

  private get viewer(): Viewer {
    return this.actor.viewer;
  }

  /** Staff must hold a writer role on this very brand (operations addressed by a group or change id). */
  private requireWriter(brandId: string) {
    const v = this.viewer;
    if (v.kind === 'system') return;
    if (v.kind !== 'staff') throw forbidden();
    const ok = v.grants.some((g) => (g.brandId === null || g.brandId === brandId) && RISK_WRITERS.includes(g.role));
    if (!ok) throw forbidden();
  }

  // ----- risk groups ----------------------------------------------------------------------------

  async groups(brandId: string) {
    const rows = await this.em.find(RiskGroupRow, { brandId }, { orderBy: { isDefault: 'desc', name: 'asc' } });
    return this.withCounts(rows);
  }

  private async withCounts(rows: RiskGroupRow[]) {
    if (rows.length === 0) return [];
    const brands = [...new Set(rows.map((r) => r.brandId))];
    const counts = await brandScopedSql<{ risk_group_id: string; n: number }>(
      this.em,
      brands,
      'SELECT risk_group_id, count(*)::int AS n FROM risk_account WHERE brand_id = ANY(?::uuid[]) GROUP BY risk_group_id',
      [`{${brands.join(',')}}`],
    );
    const byGroup = new Map(counts.map((c) => [c.risk_group_id, c.n]));
    return rows.map((r) => groupView(r, byGroup.get(r.id) ?? 0));
  }

  private async group(id: string, lock = false): Promise<RiskGroupRow> {
    const row = isUuid(id)
      ? await this.em.findOne(RiskGroupRow, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {})
      : null;
    if (!row) throw notFound('Risk group');
    return row;
  }

  async createGroup(input: CreateRiskGroupInput) {
    const id = randomUUID();
    const group = parseGroup({ id, brand: input.brandId, ...groupInput(input) }, input.symbolLeverage);
    const platformGroup = checkPlatformGroup(input.platformGroup, group.name);
    const row = await this.em.transactional(async (tx) => {
      await this.uniqueName(tx, input.brandId, group.name, null);
      const created = tx.create(RiskGroupRow, { ...rowFields(group), id, brandId: input.brandId, platformGroup });
      await tx.flush();
      await audit(tx, this.actor, {
        brandId: input.brandId,
        operation: 'risk.group.create',
        targetType: 'RiskGroup',
        targetId: id,
        before: null,
        after: auditFields(created),
      });
      return created;
    });
    this.runtime.setGroup(toRiskGroup(row));
    return groupView(row, 0);
  }

  async updateGroup(id: string, input: UpdateRiskGroupInput) {
    const found = await this.group(id);
    this.requireWriter(found.brandId);
    const { row, pushed } = await this.em.transactional(async (tx) => {
      const current = await tx.findOneOrFail(RiskGroupRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const before = auditFields(current);
      const merged = { ...toRiskGroup(current), ...groupInput(input) };
      if (input.leverage) merged.leverage = { ...current.leverage, ...groupInput(input).leverage };
      const group = parseGroup(merged, input.symbolLeverage);
      const platformGroup =
        input.platformGroup != null ? checkPlatformGroup(input.platformGroup, group.name) : current.platformGroup;
      if (group.name !== current.name) await this.uniqueName(tx, current.brandId, group.name, id);
      const oldLeverage = accountLeverage(toRiskGroup(current));
      const oldPlatformGroup = current.platformGroup;
      Object.assign(current, rowFields(group), { platformGroup });
      current.version += 1;
      await tx.flush();
      await audit(tx, this.actor, {
        brandId: current.brandId,
        operation: 'risk.group.update',
        targetType: 'RiskGroup',
        targetId: id,
        before,
        after: auditFields(current),
      });
      // The platform keeps each account's group and leverage: push them when either moved.
      let pushed = 0;
      if (accountLeverage(group) !== oldLeverage || platformGroup !== oldPlatformGroup) {
        pushed = await this.queuePushes(
          tx,
          current.brandId,
          [toRiskGroup(current)],
          `risk:group:${id}:v${current.version}:`,
          null,
          platformGroup,
        );
      }
      return { row: current, pushed };
    });
    this.runtime.setGroup(toRiskGroup(row));
    if (pushed > 0) this.worker.wake();
    return (await this.withCounts([row]))[0]!;
  }

  async deleteGroup(id: string): Promise<boolean> {
    const found = await this.group(id);
    this.requireWriter(found.brandId);
    if (found.isDefault) throw conflict('The default risk group cannot be deleted');
    await this.em.transactional(async (tx) => {
      const [used] = await brandScopedSql<{ n: number }>(
        tx,
        [found.brandId],
        'SELECT count(*)::int AS n FROM risk_account WHERE brand_id = ? AND risk_group_id = ?',
        [found.brandId, id],
      );
      if ((used?.n ?? 0) > 0) throw conflict(`${used!.n} accounts are in this group: move them first`);
      const row = await tx.findOneOrFail(RiskGroupRow, { id });
      await audit(tx, this.actor, {
        brandId: row.brandId,
        operation: 'risk.group.delete',
        targetType: 'RiskGroup',
        targetId: id,
        before: auditFields(row),
        after: null,
      });
      tx.remove(row);
      await tx.flush();
    });
    this.runtime.deleteGroup(id);
    return true;
  }

  private async uniqueName(tx: EntityManager, brandId: string, name: string, except: string | null) {
    const clash = await tx.findOne(RiskGroupRow, { brandId, name });
    if (clash && clash.id !== except) {
      throw badInput([{ path: ['input', 'name'], message: 'Another risk group of this brand has this name' }]);
    }
  }

  // ----- assignment -----------------------------------------------------------------------------

  /** Moves accounts to a group (manual assignment): audited per account, pushed to the platform. */
  async assign(input: AssignRiskGroupInput): Promise<number> {
    const target = await this.group(input.riskGroupId);
    this.requireWriter(target.brandId);
    const ids = [...new Set(input.platformAccountIds)];
    if (ids.length === 0 || ids.some((id) => !isUuid(id))) {
      throw badInput([{ path: ['input', 'platformAccountIds'], message: 'Choose at least one account' }]);
    }
    const brandId = target.brandId;
    const group = toRiskGroup(target);
    const moved = await this.em.transactional(async (tx) => {
      const rows = await brandScopedSql<{
        platform_account_id: string;
        login: string;
        risk_group_id: string;
        book: Book;
      }>(
        tx,
        [brandId],
        `SELECT r.platform_account_id, p.login, r.risk_group_id, r.book FROM risk_account r
           JOIN platform_account p ON p.id = r.platform_account_id
          WHERE r.brand_id = ? AND r.platform_account_id = ANY(?::uuid[]) FOR UPDATE OF r`,
        [brandId, `{${ids.join(',')}}`],
      );
      if (rows.length !== ids.length) {
        throw badInput([{ path: ['input', 'platformAccountIds'], message: 'Unknown account of this brand' }]);
      }
      const book = input.book ?? null;
      await brandScopedSql(
        tx,
        [brandId],
        `UPDATE risk_account SET risk_group_id = ?, book = coalesce(?, book), assigned_by = 'MANUAL', assigned_at = now()
          WHERE brand_id = ? AND platform_account_id = ANY(?::uuid[])`,
        [target.id, book, brandId, `{${ids.join(',')}}`],
      );
      for (const r of rows) {
        await audit(tx, this.actor, {
          brandId,
          operation: 'risk.account.assign',
          targetType: 'PlatformAccount',
          targetId: r.platform_account_id,
          before: { login: r.login, riskGroupId: r.risk_group_id, book: r.book },
          after: { login: r.login, riskGroupId: target.id, book: book ?? r.book },
        });
      }
      await this.queuePushes(tx, brandId, [group], `risk:assign:${randomUUID()}:`, null, target.platformGroup, ids);
      return rows;
    });
    for (const r of moved) this.runtime.moveAccount(r.platform_account_id, target.id, input.book ?? undefined);
    this.worker.wake();
    return moved.length;
  }

  /**
   * Queues one PUSH_ACCOUNT command per account of the groups (or of `only`), set-based: the
   * platform group and the account leverage (the group's highest cap). Returns how many.
   * Also used by the assignment rules (`assignment-rules.service.ts`).
   */
  async queuePushes(
    tx: EntityManager,
    brandId: string,
    groups: RiskGroup[],
    commandPrefix: string,
    changeId: string | null,
    platformGroup?: string,
    only?: string[],
  ): Promise<number> {
    if (groups.length === 0) return 0;
    const rows = await brandScopedSql<{ n: number }>(
      tx,
      [brandId],
      `WITH ins AS (
         INSERT INTO risk_command (brand_id, platform_id, platform_account_id, login, command_id, kind, payload, change_id)
         SELECT p.brand_id, p.platform_id, p.id, p.login, ? || p.id::text, 'PUSH_ACCOUNT',
                jsonb_build_object('group', coalesce(?, g.platform_group), 'leverage', u.lev), ?::uuid
           FROM unnest(string_to_array(?, ',')::uuid[], string_to_array(?, ',')::int[]) AS u(gid, lev)
           JOIN risk_account r ON r.risk_group_id = u.gid AND r.brand_id = ?
           JOIN platform_account p ON p.id = r.platform_account_id
           JOIN risk_group g ON g.id = r.risk_group_id
          WHERE (?::uuid[] IS NULL OR r.platform_account_id = ANY(?::uuid[]))
         ON CONFLICT (command_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        commandPrefix,
        platformGroup ?? null,
        changeId,
        groups.map((g) => g.id).join(','),
        groups.map((g) => accountLeverage(g)).join(','),
        brandId,
        only ? `{${only.join(',')}}` : null,
        only ? `{${only.join(',')}}` : null,
      ],
    );
    return rows[0]?.n ?? 0;
  }

  /** Accounts with their live margin figures (the assignment list and the margin-call list). */
  async accounts(brandId: string, riskGroupId?: string | null, limit = 200) {
    const books = this.runtime.booksOfBrand(brandId);
    const currency = await this.brandCurrency(brandId);
    const rows = accountViews(books, currency, { riskGroup: riskGroupId ?? undefined }, (id) => this.groupName(id));
    return rows.sort((a, b) => a.login.localeCompare(b.login)).slice(0, Math.max(1, Math.min(limit, 5_000)));
  }

  private groupName = (id: string) => this.runtime.group(id)?.name ?? id;

  // ----- exposure -------------------------------------------------------------------------------

  private async brandCurrency(brandId: string): Promise<string> {
    const brand = await this.em.findOne(Brand, { id: brandId }, { fields: ['currency'] });
    if (!brand) throw notFound('Brand');
    return brand.currency;
  }

  /** What the exposure view needs, resolved once per subscription (brands, currency), then computed per message. */
  async exposureSource(filter: ExposureFilter | null | undefined): Promise<{
    brandIds: string[];
    compute: () => ExposureView & { brandId: string | null };
  }> {
    const f = filter ?? {};
    let brandIds: string[];
    let currency = f.reportingCurrency?.toUpperCase() ?? null;
    if (f.brandId) {
      brandIds = [f.brandId];
      currency ??= await this.brandCurrency(f.brandId);
    } else {
      brandIds = (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
      currency ??= FIRM_REPORTING_CURRENCY;
    }
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw badInput([{ path: ['filter', 'reportingCurrency'], message: 'An ISO currency code such as USD' }]);
    }
    const reportingCurrency = currency;
    const top = Math.max(1, Math.min(f.top ?? 10, 100));
    const wanted = new Set(brandIds);
    return {
      brandIds,
      compute: () => ({
        brandId: f.brandId ?? null,
        ...exposureView(
          [...this.runtime.books.values()].filter((b) => wanted.has(b.brandId)),
          {
            reportingCurrency,
            top,
            filter: { riskGroup: f.riskGroupId ?? undefined, book: f.book ?? undefined, symbol: f.symbol ?? undefined },
            groupName: this.groupName,
          },
        ),
      }),
    };
  }

  // ----- change margin requirement ----------------------------------------------------------------

  private parseChange(input: MarginChangeInput): MarginChange {
    let target: LeverageTarget;
    if (input.assetClass) target = { assetClass: input.assetClass };
    else if (input.symbols && input.symbols.length > 0) target = { symbols: input.symbols };
    else throw badInput([{ path: ['input', 'assetClass'], message: 'Choose an asset class or symbols' }]);
    try {
      return parseMarginChange({
        brand: input.brandId,
        riskGroups: input.riskGroupIds ?? undefined,
        target,
        leverage: input.leverage,
      });
    } catch (error) {
      if (error instanceof RiskConfigError)
        throw badInput(error.issues.map((i) => ({ path: changePath(i.path), message: i.message })));
      throw error;
    }
  }

  async preview(input: MarginChangeInput, limit = 1_000): Promise<MarginChangePreview> {
    const change = this.parseChange(input);
    const rows = await this.checkGroups(change);
    const books = this.runtime.booksOfBrand(input.brandId);
    const parts = books.map((b) => previewMarginChange(b.margin, change));
    return { ...mergePreviews(parts, change, limit), riskGroups: rows.map((r) => r.id).sort() };
  }

  private async checkGroups(change: MarginChange): Promise<RiskGroupRow[]> {
    const ids = change.riskGroups ?? [];
    if (ids.some((id) => !isUuid(id))) {
      throw badInput([{ path: ['input', 'riskGroupIds'], message: 'Unknown risk group of this brand' }]);
    }
    const rows = await this.em.find(
      RiskGroupRow,
      ids.length > 0 ? { brandId: change.brand, id: { $in: ids } } : { brandId: change.brand },
    );
    if (rows.length !== (ids.length > 0 ? new Set(ids).size : rows.length) || rows.length === 0) {
      throw badInput([{ path: ['input', 'riskGroupIds'], message: 'Unknown risk group of this brand' }]);
    }
    return rows;
  }

  private instruments(brandId: string): Instrument[] {
    const bySymbol = new Map<string, Instrument>();
    for (const b of this.runtime.booksOfBrand(brandId)) for (const i of b.rates.instruments) bySymbol.set(i.symbol, i);
    if (bySymbol.size === 0) for (const i of SIM_INSTRUMENTS.map(publicInstrument)) bySymbol.set(i.symbol, i);
    return [...bySymbol.values()];
  }

  /** One atomic, audited change of the groups; pushes queued for every account of them; live at once. */
  async apply(
    input: MarginChangeInput,
    rollbackOf: string | null = null,
    restore?: Map<string, Pick<RiskGroup, 'leverage' | 'symbolLeverage'>>,
  ) {
    const change = this.parseChange(input);
    await this.checkGroups(change);
    const instruments = this.instruments(input.brandId);
    const changeId = randomUUID();
    const { after, accounts } = await this.em.transactional(async (tx) => {
      const ids = change.riskGroups && change.riskGroups.length > 0 ? change.riskGroups : null;
      const rows = await tx.find(
        RiskGroupRow,
        ids ? { brandId: change.brand, id: { $in: ids } } : { brandId: change.brand },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      );
      const before: Record<string, unknown> = {};
      const afterGroups: Record<string, unknown> = {};
      const after: RiskGroup[] = [];
      for (const row of rows) {
        const current = toRiskGroup(row);
        const next = restore
          ? { ...current, ...(restore.get(row.id) ?? {}) }
          : withLeverageChange(current, change.target, change.leverage, instruments);
        before[row.id] = { leverage: current.leverage, symbolLeverage: current.symbolLeverage };
        afterGroups[row.id] = { leverage: next.leverage, symbolLeverage: next.symbolLeverage };
        const auditBefore = auditFields(row);
        row.leverage = next.leverage;
        row.symbolLeverage = next.symbolLeverage;
        row.version += 1;
        after.push(next);
        await audit(tx, this.actor, {
          brandId: row.brandId,
          operation: rollbackOf ? 'risk.marginChange.rollback.group' : 'risk.marginChange.group',
          targetType: 'RiskGroup',
          targetId: row.id,
          before: auditBefore,
          after: auditFields(row),
        });
      }
      await tx.flush();
      const label =
        this.viewer.kind === 'staff' ? this.viewer.email : this.viewer.kind === 'system' ? this.viewer.reason : null;
      await brandScopedSql(
        tx,
        [change.brand],
        `INSERT INTO risk_margin_change (id, brand_id, input, groups_before, groups_after, rollback_of, accounts, actor_label)
         VALUES (?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, 0, ?)`,
        [
          changeId,
          change.brand,
          JSON.stringify(change),
          JSON.stringify(before),
          JSON.stringify(afterGroups),
          rollbackOf,
          label,
        ],
      );
      const accounts = await this.queuePushes(tx, change.brand, after, `risk:margin:${changeId}:`, changeId);
      await brandScopedSql(
        tx,
        [change.brand],
        'UPDATE risk_margin_change SET accounts = ? WHERE id = ? AND brand_id = ?',
        [accounts, changeId, change.brand],
      );
      await audit(tx, this.actor, {
        brandId: change.brand,
        operation: rollbackOf ? 'risk.marginChange.rollback' : 'risk.marginChange.apply',
        targetType: 'MarginChange',
        targetId: changeId,
        before: rollbackOf ? { rollbackOf } : null,
        after: { ...change, accounts },
      });
      return { after, accounts };
    });
    for (const group of after) this.runtime.setGroup(group);
    if (accounts > 0) this.worker.wake();
    return this.change(changeId);
  }

  async rollback(changeId: string) {
    const original = await this.changeRow(changeId);
    this.requireWriter(original.brand_id);
    const before = original.groups_before as Record<string, Pick<RiskGroup, 'leverage' | 'symbolLeverage'>>;
    const input = original.input as MarginChange;
    const restore = new Map(Object.entries(before));
    return this.apply(
      {
        brandId: original.brand_id,
        riskGroupIds: [...restore.keys()],
        assetClass: 'assetClass' in input.target ? input.target.assetClass : null,
        symbols: 'symbols' in input.target ? input.target.symbols : null,
        leverage: input.leverage,
      },
      changeId,
      restore,
    );
  }

  private async changeRow(id: string) {
    if (!isUuid(id)) throw notFound('Margin change');
    const brands = (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
    if (brands.length === 0) throw notFound('Margin change');
    const [row] = await brandScopedSql<{
      id: string;
      brand_id: string;
      input: unknown;
      groups_before: unknown;
      rollback_of: string | null;
      actor_label: string | null;
      created_at: Date;
      accounts: number;
      rolled_back_by: string | null;
    }>(
      this.em,
      brands,
      `SELECT c.*, (SELECT r.id FROM risk_margin_change r WHERE r.rollback_of = c.id ORDER BY r.created_at DESC LIMIT 1) AS rolled_back_by
         FROM risk_margin_change c WHERE c.id = ? AND c.brand_id = ANY(?::uuid[])`,
      [id, `{${brands.join(',')}}`],
    );
    if (!row) throw notFound('Margin change');
    return row;
  }

  async change(id: string) {
    const row = await this.changeRow(id);
    const counts = await brandScopedSql<{ status: string; n: number }>(
      this.em,
      [row.brand_id],
      'SELECT status, count(*)::int AS n FROM risk_command WHERE change_id = ? AND brand_id = ? GROUP BY status',
      [id, row.brand_id],
    );
    const problems = await brandScopedSql<{
      login: string;
      status: string;
      attempts: number;
      last_error: string | null;
    }>(
      this.em,
      [row.brand_id],
      `SELECT login, status, attempts, last_error FROM risk_command
        WHERE change_id = ? AND brand_id = ? AND status IN ('RETRYING', 'FAILED') ORDER BY login LIMIT 50`,
      [id, row.brand_id],
    );
    const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    const input = row.input as MarginChange;
    const total = row.accounts;
    return {
      id: row.id,
      brandId: row.brand_id,
      rollbackOf: row.rollback_of,
      rolledBackBy: row.rolled_back_by,
      assetClass: 'assetClass' in input.target ? input.target.assetClass : null,
      symbols: 'symbols' in input.target ? input.target.symbols : null,
      leverage: input.leverage,
      riskGroupIds: Object.keys(row.groups_before as object),
      actor: row.actor_label,
      createdAt: new Date(row.created_at),
      total,
      done: n('DONE'),
      pending: n('PENDING'),
      retrying: n('RETRYING'),
      failed: n('FAILED'),
      finished: n('PENDING') + n('RETRYING') === 0,
      problems: problems.map((p) => ({ login: p.login, status: p.status, attempts: p.attempts, error: p.last_error })),
    };
  }

  async changes(brandId: string) {
    const rows = await brandScopedSql<{ id: string }>(
      this.em,
      [brandId],
      'SELECT id FROM risk_margin_change WHERE brand_id = ? ORDER BY created_at DESC LIMIT 20',
      [brandId],
    );
    return Promise.all(rows.map((r) => this.change(r.id)));
  }
}

// ----- helpers ------------------------------------------------------------------------------------

function groupInput(
  input: CreateRiskGroupInput | UpdateRiskGroupInput,
): Partial<GroupFields> & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.name != null) out.name = input.name;
  if (input.leverage != null) {
    const leverage: Record<string, number> = {};
    for (const c of ASSET_CLASSES) {
      const v = input.leverage[c];
      if (v != null) leverage[c] = v;
    }
    out.leverage = leverage;
  }
  if (input.symbolLeverage != null) {
    out.symbolLeverage = Object.fromEntries(
      input.symbolLeverage.map((s) => [s.symbol.trim().toUpperCase(), s.leverage]),
    );
  }
  if (input.marginCallLevel != null) out.marginCallLevel = input.marginCallLevel;
  if (input.stopOutLevel != null) out.stopOutLevel = input.stopOutLevel;
  if (input.hedging != null) out.hedging = input.hedging;
  if (input.book != null) out.book = input.book;
  if (input.negativeBalanceProtection != null) out.negativeBalanceProtection = input.negativeBalanceProtection;
  return out as Partial<GroupFields> & Record<string, unknown>;
}

/** Validates with the risk module's zod schema; field paths point into the GraphQL input. */
function parseGroup(value: Record<string, unknown>, symbols?: { symbol: string }[] | null): RiskGroup {
  try {
    return parseRiskGroup(value);
  } catch (error) {
    if (!(error instanceof RiskConfigError)) throw error;
    const problems: FieldProblem[] = error.issues.map((issue) => {
      const [head, key] = issue.path;
      if (head === 'symbolLeverage' && key !== undefined && symbols) {
        const index = symbols.findIndex((s) => s.symbol.trim().toUpperCase() === key);
        return { path: ['input', 'symbolLeverage', String(Math.max(index, 0)), 'leverage'], message: issue.message };
      }
      return { path: ['input', ...issue.path], message: issue.message };
    });
    throw badInput(problems);
  }
}

function checkPlatformGroup(value: string | null | undefined, name: string): string {
  if (value == null)
    return `brokerdeck\\${name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')}`;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 64) {
    throw badInput([{ path: ['input', 'platformGroup'], message: 'A platform group name of 1 to 64 characters' }]);
  }
  return trimmed;
}

function rowFields(group: RiskGroup) {
  return {
    name: group.name,
    leverage: group.leverage,
    symbolLeverage: group.symbolLeverage,
    marginCallLevel: group.marginCallLevel,
    stopOutLevel: group.stopOutLevel,
    hedging: group.hedging,
    book: group.book,
    negativeBalanceProtection: group.negativeBalanceProtection,
  };
}

function auditFields(row: RiskGroupRow): Record<string, unknown> {
  return {
    name: row.name,
    // Key order fixed (jsonb reorders keys), so that the diff shows only what changed.
    leverage: Object.fromEntries(ASSET_CLASSES.map((c) => [c, row.leverage[c]])),
    symbolLeverage: Object.fromEntries(Object.entries(row.symbolLeverage).sort(([a], [b]) => a.localeCompare(b))),
    marginCallLevel: String(row.marginCallLevel),
    stopOutLevel: String(row.stopOutLevel),
    hedging: row.hedging,
    book: row.book,
    negativeBalanceProtection: row.negativeBalanceProtection,
    platformGroup: row.platformGroup,
  };
}

export function groupView(row: RiskGroupRow, accounts: number) {
  return {
    id: row.id,
    brandId: row.brandId,
    name: row.name,
    leverage: row.leverage,
    symbolLeverage: Object.entries(row.symbolLeverage)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([symbol, leverage]) => ({ symbol, leverage })),
    marginCallLevel: String(row.marginCallLevel),
    stopOutLevel: String(row.stopOutLevel),
    hedging: row.hedging,
    book: row.book,
    negativeBalanceProtection: row.negativeBalanceProtection,
    platformGroup: row.platformGroup,
    isDefault: row.isDefault,
    version: row.version,
    accounts,
    updatedAt: row.updatedAt,
  };
}

function changePath(path: string[]): string[] {
  const [head, ...rest] = path;
  if (head === 'riskGroups') return ['input', 'riskGroupIds', ...rest];
  if (head === 'target') return ['input', rest[0] === 'symbols' ? 'symbols' : 'assetClass'];
  if (head === 'brand') return ['input', 'brandId'];
  return ['input', ...path];
}

const rank = (s: string) => (s === 'STOP_OUT' ? 0 : s === 'MARGIN_CALL' ? 1 : 2);

function mergePreviews(parts: MarginChangePreview[], change: MarginChange, limit: number): MarginChangePreview {
  const accounts = parts.flatMap((p) => p.accounts);
  const totals = new Map<string, { before: string[]; after: string[] }>();
  for (const p of parts) {
    for (const t of p.totals) {
      const known = totals.get(t.currency) ?? { before: [], after: [] };
      known.before.push(t.usedMarginBefore);
      known.after.push(t.usedMarginAfter);
      totals.set(t.currency, known);
    }
  }
  const sum = <K extends keyof MarginChangePreview>(k: K) => parts.reduce((n, p) => n + (p[k] as number), 0);
  const ordered = accounts.sort(
    (x, y) =>
      rank(x.statusAfter) - rank(y.statusAfter) ||
      Number(x.marginLevelAfter ?? Infinity) - Number(y.marginLevelAfter ?? Infinity) ||
      x.login.localeCompare(y.login),
  );
  return {
    riskGroups: parts[0]?.riskGroups ?? change.riskGroups ?? [],
    symbols: [...new Set(parts.flatMap((p) => p.symbols))].sort(),
    accountsChanged: sum('accountsChanged'),
    positionsChanged: sum('positionsChanged'),
    marginCallBefore: sum('marginCallBefore'),
    marginCallAfter: sum('marginCallAfter'),
    stopOutBefore: sum('stopOutBefore'),
    stopOutAfter: sum('stopOutAfter'),
    newMarginCall: parts.flatMap((p) => p.newMarginCall).sort(),
    newStopOut: parts.flatMap((p) => p.newStopOut).sort(),
    totals: [...totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({
        currency,
        usedMarginBefore: decimalSum(t.before, 2),
        usedMarginAfter: decimalSum(t.after, 2),
      })),
    accounts: ordered.slice(0, limit),
  };
}
