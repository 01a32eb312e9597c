import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { badInput, conflict, notFound } from '../common/errors';
import { isSupportedLocale, type SupportedLocale } from '../common/locales';
import { brandScopedSql } from '../db/scoped-sql';
import type { EventPubSub } from '../events/pubsub';
import { Topic } from '../events/topics';
import { Plan as PlanRow, PlanCatalogue as CatalogueRow, PlanVersion as VersionRow } from './plan.entity';
import { diffPlanContent, effectiveRules, type FieldChange, type PlanContent, validatePlanContent } from './plan.model';
import type {
  CatalogueEntry,
  Plan,
  PlanCatalogue,
  PlanOrder,
  PhaseOrder,
  PlanPreset,
  PlanVersion,
  PublicCatalogue,
} from './plan.types';
import { PLAN_PRESETS } from './presets';
import { type AuditActor, audit } from '../audit/audit';
import { systemViewer } from '../auth/viewer';
import { summarizePhaseRules } from './rule-summary';

export function toVersion(row: VersionRow): PlanVersion {
  const { content } = row;
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    ...content,
    phases: content.phases.map((p) => ({ ...p, funded: p.funded ?? null })),
  };
}

function planName(content: PlanContent): string {
  return content.names.find((n) => n.text)?.text ?? 'Untitled plan';
}

export class PlanService {
  constructor(
    private readonly em: EntityManager,
    private readonly pubsub: EventPubSub,
    private readonly actor: AuditActor = { viewer: systemViewer('plan service') },
  ) {}

  presets(): PlanPreset[] {
    return PLAN_PRESETS.map((p) => {
      const content = p.content as { kind: PlanPreset['kind']; phases: unknown[] };
      return { id: p.id, title: p.title, kind: content.kind, phaseCount: content.phases.length };
    });
  }

  async catalogue(brandId: string, includeArchived = false): Promise<PlanCatalogue> {
    await this.requireBrand(brandId);
    const catalogue = await this.em.findOne(CatalogueRow, { brandId });
    const plans = await this.em.find(
      PlanRow,
      { brandId, ...(includeArchived ? {} : { archived: false }) },
      { orderBy: { position: 'asc', createdAt: 'asc' } },
    );
    return { brandId, revision: catalogue?.revision ?? 0, plans: await this.views(plans) };
  }

  async get(planId: string): Promise<Plan> {
    const [view] = await this.views([await this.load(planId)]);
    return view!;
  }

  async create(brandId: string, input: unknown): Promise<Plan> {
    await this.requireBrand(brandId);
    const content = this.validate(input, ['input']);
    const planId = await this.em.transactional(async (em) => {
      const catalogue = await this.lockCatalogue(em, brandId);
      const last = await em.findOne(PlanRow, { brandId }, { orderBy: { position: 'desc' } });
      const plan = em.create(PlanRow, { brandId, position: (last?.position ?? -1) + 1 });
      // The version refers to the plan by id only, so the plan row must exist first.
      await em.flush();
      em.create(VersionRow, { planId: plan.id, brandId, number: 1, status: 'DRAFT', content });
      await audit(em, this.actor, {
        brandId,
        operation: 'createPlan',
        targetType: 'Plan',
        targetId: plan.id,
        after: { name: planName(content), version: 1 },
      });
      // Adding a plan changes the catalogue, so an order sent from before it is stale.
      catalogue.revision += 1;
      return plan.id;
    });
    await this.publishOrder(brandId);
    return this.get(planId);
  }

  async createFromPreset(brandId: string, presetId: string): Promise<Plan> {
    const preset = PLAN_PRESETS.find((p) => p.id === presetId);
    if (!preset) throw badInput([{ path: ['presetId'], message: `no preset "${presetId}"` }]);
    // A new plan's day resets default to the brand's own zone (the preset's local time is kept).
    const brand = await this.em.findOne(Brand, { id: brandId }, { fields: ['timeZone'] });
    if (!brand) throw notFound('Brand');
    const content = structuredClone(preset.content) as { phases: { rules: { dayReset?: { timeZone?: string } } }[] };
    for (const phase of content.phases) phase.rules.dayReset = { ...phase.rules.dayReset, timeZone: brand.timeZone };
    return this.create(brandId, content);
  }

  /** Saves the whole content: edits the draft, or starts a new draft when only a published version exists. */
  async update(planId: string, input: unknown): Promise<Plan> {
    const content = this.validate(input, ['input']);
    await this.em.transactional(async (em) => {
      const plan = await em.findOne(PlanRow, { id: planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!plan) throw notFound('Plan');
      const draft = await this.editableVersion(em, plan);
      const before = draft.content;
      draft.content = content;
      // A save that changes the phase order is a reorder too: a console holding the old order is stale.
      if (before.phases.map((p) => p.id).join() !== content.phases.map((p) => p.id).join())
        plan.phaseOrderRevision += 1;
      const changes = diffPlanContent(before, content);
      await audit(em, this.actor, {
        brandId: plan.brandId,
        operation: 'updatePlan',
        targetType: 'PlanVersion',
        targetId: draft.id,
        before: Object.fromEntries(changes.map((c) => [c.path, c.before])),
        after: Object.fromEntries(changes.map((c) => [c.path, c.after])),
      });
    });
    return this.get(planId);
  }

  async publish(planId: string): Promise<Plan> {
    const brandId = await this.em.transactional(async (em) => {
      const plan = await em.findOne(PlanRow, { id: planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!plan) throw notFound('Plan');
      const draft = await em.findOne(VersionRow, { planId, status: 'DRAFT' });
      if (!draft) throw conflict('This plan has no unpublished changes');
      // The designer's checks again: a draft saved before a rule tightened must still be valid.
      this.validate(draft.content, ['draft']);
      const published = await em.findOne(VersionRow, { planId, status: 'PUBLISHED' });
      if (published) {
        published.status = 'RETIRED';
        await em.flush();
      }
      draft.status = 'PUBLISHED';
      draft.publishedAt = new Date();
      await audit(em, this.actor, {
        brandId: plan.brandId,
        operation: 'publishPlan',
        targetType: 'Plan',
        targetId: planId,
        before: { publishedVersion: published?.number ?? null },
        after: { publishedVersion: draft.number },
      });
      return plan.brandId;
    });
    await this.publishOrder(brandId);
    return this.get(planId);
  }

  async setArchived(planId: string, archived: boolean): Promise<Plan> {
    const brandId = await this.em.transactional(async (em) => {
      const plan = await em.findOne(PlanRow, { id: planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!plan) throw notFound('Plan');
      await audit(em, this.actor, {
        brandId: plan.brandId,
        operation: archived ? 'archivePlan' : 'restorePlan',
        targetType: 'Plan',
        targetId: planId,
        before: { archived: plan.archived },
        after: { archived },
      });
      plan.archived = archived;
      const catalogue = await this.lockCatalogue(em, plan.brandId);
      catalogue.revision += 1;
      return plan.brandId;
    });
    await this.publishOrder(brandId);
    return this.get(planId);
  }

  /**
   * Writes a whole new catalogue order in one transaction. The catalogue row is locked, so
   * concurrent reorders apply one after another, each whole; one made from a stale view is refused.
   */
  async reorderPlans(brandId: string, planIds: string[], revision: number): Promise<PlanOrder> {
    await this.requireBrand(brandId);
    const order = await this.em.transactional(async (em) => {
      const catalogue = await this.lockCatalogue(em, brandId);
      if (catalogue.revision !== revision) {
        throw conflict(
          `The catalogue order changed since you loaded it (revision ${catalogue.revision}, you had ${revision})`,
        );
      }
      const current = await em.find(
        PlanRow,
        { brandId, archived: false },
        { fields: ['id'], orderBy: { position: 'asc' } },
      );
      const expected = new Set(current.map((p) => p.id));
      if (
        planIds.length !== expected.size ||
        new Set(planIds).size !== planIds.length ||
        planIds.some((id) => !expected.has(id))
      ) {
        throw badInput([{ path: ['planIds'], message: "must list each of the brand's plans exactly once" }]);
      }
      await brandScopedSql(
        em,
        [brandId],
        `UPDATE plan SET position = o.pos - 1, updated_at = now()
           FROM unnest(string_to_array(?, ',')::uuid[]) WITH ORDINALITY AS o(id, pos)
          WHERE plan.id = o.id AND plan.brand_id = ?`,
        // Knex would expand a JS array into a list, so the ids travel as one comma-separated text.
        [planIds.join(','), brandId],
      );
      catalogue.revision += 1;
      await audit(em, this.actor, {
        brandId,
        operation: 'reorderPlans',
        targetType: 'PlanCatalogue',
        targetId: brandId,
        before: { order: current.map((p) => p.id), revision },
        after: { order: planIds, revision: catalogue.revision },
      });
      return { brandId, revision: catalogue.revision, planIds };
    });
    this.pubsub.publish(Topic.planOrder(brandId), order);
    await this.publishPublicCatalogue(brandId);
    return order;
  }

  /** Reorders the phases of a plan; on a published plan this is an edit like any other: it makes a draft. */
  async reorderPhases(planId: string, phaseIds: string[], revision: number): Promise<PhaseOrder> {
    const order = await this.em.transactional(async (em) => {
      const plan = await em.findOne(PlanRow, { id: planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!plan) throw notFound('Plan');
      if (plan.phaseOrderRevision !== revision) {
        throw conflict(
          `The phase order changed since you loaded it (revision ${plan.phaseOrderRevision}, you had ${revision})`,
        );
      }
      const version = await this.editableVersion(em, plan);
      const byId = new Map(version.content.phases.map((p) => [p.id, p]));
      if (
        phaseIds.length !== byId.size ||
        new Set(phaseIds).size !== phaseIds.length ||
        phaseIds.some((id) => !byId.has(id))
      ) {
        throw badInput([{ path: ['phaseIds'], message: "must list each of the plan's phases exactly once" }]);
      }
      const content = { ...version.content, phases: phaseIds.map((id) => byId.get(id)!) };
      const previousOrder = version.content.phases.map((p) => p.id);
      version.content = this.validate(content, ['phaseIds']);
      plan.phaseOrderRevision += 1;
      await audit(em, this.actor, {
        brandId: plan.brandId,
        operation: 'reorderPhases',
        targetType: 'PlanVersion',
        targetId: version.id,
        before: { order: previousOrder, revision },
        after: { order: phaseIds, revision: plan.phaseOrderRevision },
      });
      return { planId, revision: plan.phaseOrderRevision, phaseIds, versionId: version.id, brandId: plan.brandId };
    });
    const { brandId, ...phaseOrder } = order;
    this.pubsub.publish(Topic.phaseOrder(brandId), phaseOrder);
    return phaseOrder;
  }

  async diff(fromVersionId: string, toVersionId: string): Promise<FieldChange[]> {
    const [from, to] = await Promise.all([
      this.em.findOne(VersionRow, { id: fromVersionId }),
      this.em.findOne(VersionRow, { id: toVersionId }),
    ]);
    if (!from || !to) throw notFound('Plan version');
    if (from.planId !== to.planId)
      throw badInput([{ path: ['toVersionId'], message: 'both versions must be of one plan' }]);
    return diffPlanContent(from.content, to.content);
  }

  summaries(version: PlanVersion, locale: string, sizeId: string | null, timeZone: string | null) {
    const size = version.sizes.find((s) => s.id === sizeId) ?? version.sizes[0]!;
    const lang: SupportedLocale = isSupportedLocale(locale) ? locale : 'en';
    return version.phases.map((phase) => ({
      phaseId: phase.id,
      name: phase.name,
      lines: summarizePhaseRules(effectiveRules(version, size.id, phase.id), {
        locale: lang,
        initialBalance: size.balance,
        currency: size.currency,
        viewerTimeZone: timeZone,
      }),
    }));
  }

  /** The portal's catalogue: published, not archived, in order, in the visitor's language. */
  async publicCatalogue(
    brandId: string,
    brandSlug: string,
    locale: string,
    timeZone: string | null,
  ): Promise<PublicCatalogue> {
    const catalogue = await this.em.findOne(CatalogueRow, { brandId });
    const plans = await this.em.find(PlanRow, { brandId, archived: false }, { orderBy: { position: 'asc' } });
    const versions = await this.em.find(VersionRow, { planId: { $in: plans.map((p) => p.id) }, status: 'PUBLISHED' });
    const byPlan = new Map(versions.map((v) => [v.planId, v]));
    const entries: CatalogueEntry[] = [];
    for (const plan of plans) {
      const row = byPlan.get(plan.id);
      if (!row) continue;
      const version = toVersion(row);
      const pick = (list: { locale: string; text: string }[]) =>
        list.find((l) => l.locale === locale && l.text)?.text ?? list.find((l) => l.text)?.text ?? '';
      entries.push({
        planId: plan.id,
        versionId: row.id,
        name: pick(version.names),
        description: pick(version.descriptions),
        kind: version.kind,
        sizes: version.sizes,
        phases: this.summaries(version, locale, null, timeZone),
      });
    }
    return { brandSlug, revision: catalogue?.revision ?? 0, plans: entries };
  }

  private validate(input: unknown, prefix: string[]): PlanContent {
    const { content, problems } = validatePlanContent(input, prefix);
    if (!content) throw badInput(problems);
    return content;
  }

  private async requireBrand(brandId: string) {
    // Through the tenant filter: a brand outside the viewer's scope does not exist for them.
    if (!(await this.em.findOne(Brand, { id: brandId }, { fields: ['id'] }))) throw notFound('Brand');
  }

  private async load(planId: string): Promise<PlanRow> {
    const plan = await this.em.findOne(PlanRow, { id: planId });
    if (!plan) throw notFound('Plan');
    return plan;
  }

  private async lockCatalogue(em: EntityManager, brandId: string): Promise<CatalogueRow> {
    await brandScopedSql(
      em,
      [brandId],
      'INSERT INTO plan_catalogue (brand_id, revision) VALUES (?, 0) ON CONFLICT DO NOTHING',
      [brandId],
    );
    return em.findOneOrFail(CatalogueRow, { brandId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The draft to edit: the existing one, or a new one copied from the published version. */
  private async editableVersion(em: EntityManager, plan: PlanRow): Promise<VersionRow> {
    const draft = await em.findOne(VersionRow, { planId: plan.id, status: 'DRAFT' });
    if (draft) return draft;
    const latest = await em.findOneOrFail(VersionRow, { planId: plan.id }, { orderBy: { number: 'desc' } });
    return em.create(VersionRow, {
      planId: plan.id,
      brandId: plan.brandId,
      number: latest.number + 1,
      status: 'DRAFT',
      content: structuredClone(latest.content),
    });
  }

  private async views(plans: PlanRow[]): Promise<Plan[]> {
    if (plans.length === 0) return [];
    const versions = await this.em.find(
      VersionRow,
      { planId: { $in: plans.map((p) => p.id) } },
      { orderBy: { number: 'desc' } },
    );
    return plans.map((plan) => {
      const own = versions.filter((v) => v.planId === plan.id).map(toVersion);
      const draft = own.find((v) => v.status === 'DRAFT') ?? null;
      const published = own.find((v) => v.status === 'PUBLISHED') ?? null;
      const current = draft ?? published ?? own[0]!;
      return {
        id: plan.id,
        brandId: plan.brandId,
        position: plan.position,
        status: plan.archived ? 'ARCHIVED' : published ? 'PUBLISHED' : 'DRAFT',
        name: planName(current),
        phaseOrderRevision: plan.phaseOrderRevision,
        published,
        draft,
        current,
        versions: own,
      };
    });
  }

  private async publishOrder(brandId: string) {
    const catalogue = await this.catalogue(brandId);
    this.pubsub.publish(Topic.planOrder(brandId), {
      brandId,
      revision: catalogue.revision,
      planIds: catalogue.plans.map((p) => p.id),
    });
    await this.publishPublicCatalogue(brandId);
  }

  private async publishPublicCatalogue(brandId: string) {
    const brand = await this.em.findOne(Brand, { id: brandId }, { fields: ['slug'] });
    if (brand) this.pubsub.publish(Topic.publicCatalogue(brand.slug), { brandSlug: brand.slug });
  }
}
