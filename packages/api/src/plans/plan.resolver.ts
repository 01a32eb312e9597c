import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import type { RequestContext } from '../context';
import { Topic } from '../events/topics';
import {
  FieldChange,
  PhaseOrder,
  PhaseSummary,
  Plan,
  PlanCatalogue,
  PlanInput,
  PlanOrder,
  PlanPreset,
  PlanVersion,
  PublicCatalogue,
} from './plan.types';

@Resolver()
export class PlanResolver {
  @Query(() => [PlanPreset], { description: 'Presets to start a plan from' })
  planPresets(@Ctx() { plans }: RequestContext): PlanPreset[] {
    return plans.presets();
  }

  @Query(() => PlanCatalogue)
  planCatalogue(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() { plans }: RequestContext,
  ): Promise<PlanCatalogue> {
    return plans.catalogue(brandId, includeArchived);
  }

  @Query(() => Plan)
  plan(@Arg('id', () => ID) id: string, @Ctx() { plans }: RequestContext): Promise<Plan> {
    return plans.get(id);
  }

  @Query(() => [FieldChange], { description: 'Field-by-field differences between two versions of a plan' })
  planVersionDiff(
    @Arg('fromVersionId', () => ID) fromVersionId: string,
    @Arg('toVersionId', () => ID) toVersionId: string,
    @Ctx() { plans }: RequestContext,
  ): Promise<FieldChange[]> {
    return plans.diff(fromVersionId, toVersionId);
  }

  @Query(() => PublicCatalogue, { description: "Public: a brand's published plans in order, with rule summaries" })
  async publicCatalogue(
    @Arg('brandSlug') brandSlug: string,
    @Arg('locale') locale: string,
    @Arg('timeZone', () => String, { nullable: true }) timeZone: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PublicCatalogue> {
    return ctx.publicPlans(brandSlug, locale, timeZone);
  }

  @Mutation(() => Plan)
  createPlan(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('input') input: PlanInput,
    @Ctx() { plans }: RequestContext,
  ): Promise<Plan> {
    return plans.create(brandId, input);
  }

  @Mutation(() => Plan, { description: 'A new draft plan from a preset, at the end of the catalogue' })
  createPlanFromPreset(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('presetId') presetId: string,
    @Ctx() { plans }: RequestContext,
  ): Promise<Plan> {
    return plans.createFromPreset(brandId, presetId);
  }

  @Mutation(() => Plan, { description: 'Saves the draft; editing a published plan starts a new draft version' })
  updatePlan(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: PlanInput,
    @Ctx() { plans }: RequestContext,
  ): Promise<Plan> {
    return plans.update(id, input);
  }

  @Mutation(() => Plan, { description: 'Publishes the draft; customers see it from now on' })
  publishPlan(@Arg('id', () => ID) id: string, @Ctx() { plans }: RequestContext): Promise<Plan> {
    return plans.publish(id);
  }

  @Mutation(() => Plan)
  archivePlan(@Arg('id', () => ID) id: string, @Ctx() { plans }: RequestContext): Promise<Plan> {
    return plans.setArchived(id, true);
  }

  @Mutation(() => Plan)
  restorePlan(@Arg('id', () => ID) id: string, @Ctx() { plans }: RequestContext): Promise<Plan> {
    return plans.setArchived(id, false);
  }

  @Mutation(() => PlanOrder, { description: 'The whole new catalogue order; CONFLICT when revision is stale' })
  reorderPlans(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('planIds', () => [ID]) planIds: string[],
    @Arg('revision', () => Int) revision: number,
    @Ctx() { plans }: RequestContext,
  ): Promise<PlanOrder> {
    return plans.reorderPlans(brandId, planIds, revision);
  }

  @Mutation(() => PhaseOrder, { description: 'The whole new phase order; CONFLICT when revision is stale' })
  reorderPhases(
    @Arg('planId', () => ID) planId: string,
    @Arg('phaseIds', () => [ID]) phaseIds: string[],
    @Arg('revision', () => Int) revision: number,
    @Ctx() { plans }: RequestContext,
  ): Promise<PhaseOrder> {
    return plans.reorderPhases(planId, phaseIds, revision);
  }

  @Subscription(() => PlanOrder, {
    description: "Staff: each new order of a brand's catalogue",
    topics: ({ args }: SubscribeResolverData<unknown, { brandId: string }>) => Topic.planOrder(args.brandId),
  })
  planOrderChanged(@Arg('brandId', () => ID) _brandId: string, @Root() order: PlanOrder): PlanOrder {
    return order;
  }

  @Subscription(() => PhaseOrder, {
    description: "Staff: each new phase order of one of a brand's plans",
    topics: ({ args }: SubscribeResolverData<unknown, { brandId: string }>) => Topic.phaseOrder(args.brandId),
  })
  phaseOrderChanged(@Arg('brandId', () => ID) _brandId: string, @Root() order: PhaseOrder): PhaseOrder {
    return order;
  }

  @Subscription(() => String, {
    description: 'Public: the brand slug, each time its portal catalogue changes (refetch publicCatalogue)',
    topics: ({ args }: SubscribeResolverData<unknown, { brandSlug: string }>) => Topic.publicCatalogue(args.brandSlug),
  })
  publicCatalogueChanged(@Arg('brandSlug') _brandSlug: string, @Root() event: { brandSlug: string }): string {
    return event.brandSlug;
  }
}

@Resolver(() => PlanVersion)
export class PlanVersionResolver {
  @FieldResolver(() => [PhaseSummary], { description: "Each phase's rules in the trader's words" })
  ruleSummaries(
    @Root() version: PlanVersion,
    @Arg('locale', { defaultValue: 'en' }) locale: string,
    @Arg('sizeId', () => ID, { nullable: true }) sizeId: string | null,
    @Arg('timeZone', () => String, { nullable: true }) timeZone: string | null,
    @Ctx() { plans }: RequestContext,
  ): PhaseSummary[] {
    return plans.summaries(version, locale, sizeId, timeZone);
  }
}
