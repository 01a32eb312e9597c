import {
  Arg,
  Ctx,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { authorize } from '../auth/authorize';
import type { RequestContext } from '../context';
import { Coalescer, feed } from './coalesce';
import { RiskTopic } from './risk-topics';
import {
  AccountRisk,
  AssignRiskGroupInput,
  CreateRiskGroupInput,
  Exposure,
  ExposureFilter,
  MarginChangeInput,
  MarginChangePreview,
  MarginChangeView,
  RiskGroupView,
  UpdateRiskGroupInput,
} from './risk.types';

/** Exposure messages: at most one per subscriber per window, the last one always on the latest figures. */
export const EXPOSURE_WINDOW_MS = 50;

type Sub<A> = SubscribeResolverData<unknown, A, RequestContext>;

@Resolver()
export class RiskResolver {
  @Query(() => [RiskGroupView], { description: "A brand's risk groups" })
  riskGroups(@Arg('brandId', () => ID) brandId: string, @Ctx() { risk }: RequestContext) {
    return risk.groups(brandId);
  }

  @Mutation(() => RiskGroupView)
  createRiskGroup(@Arg('input') input: CreateRiskGroupInput, @Ctx() { risk }: RequestContext) {
    return risk.createGroup(input);
  }

  @Mutation(() => RiskGroupView, { description: 'Changes a group; its accounts are re-margined at once' })
  updateRiskGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRiskGroupInput,
    @Ctx() { risk }: RequestContext,
  ) {
    return risk.updateGroup(id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes an empty, non-default group' })
  deleteRiskGroup(@Arg('id', () => ID) id: string, @Ctx() { risk }: RequestContext) {
    return risk.deleteGroup(id);
  }

  @Mutation(() => Int, {
    description: 'Moves accounts to a risk group (audited, pushed to the platform); returns how many',
  })
  assignRiskGroup(@Arg('input') input: AssignRiskGroupInput, @Ctx() { risk }: RequestContext) {
    return risk.assign(input);
  }

  @Query(() => [AccountRisk], { description: "A brand's accounts with their live margin figures" })
  riskAccounts(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('riskGroupId', () => ID, { nullable: true }) riskGroupId: string | null,
    @Ctx() { risk }: RequestContext,
  ) {
    return risk.accounts(brandId, riskGroupId);
  }

  @Query(() => Exposure, { description: 'Live exposure of a brand, or firm-wide without brandId' })
  async exposure(
    @Arg('filter', () => ExposureFilter, { nullable: true }) filter: ExposureFilter | null,
    @Ctx() { risk }: RequestContext,
  ) {
    return (await risk.exposureSource(filter)).compute();
  }

  @Subscription(() => Exposure, {
    description: `Live exposure, at most one message per ${EXPOSURE_WINDOW_MS} ms per subscriber, always ending on the latest figures`,
    subscribe: async ({ args, context }: Sub<{ filter?: ExposureFilter | null }>) => {
      await authorize(context.viewer, 'Subscription.exposureChanged', args, context.em);
      const source = await context.risk.exposureSource(args.filter);
      return feed(
        new Coalescer(source.compute, EXPOSURE_WINDOW_MS),
        source.brandIds.map((id) => context.pubsub.subscribe(RiskTopic.exposure(id))),
      );
    },
  })
  exposureChanged(
    @Arg('filter', () => ExposureFilter, { nullable: true }) _filter: ExposureFilter | null,
    @Root() view: Exposure,
  ): Exposure {
    return view;
  }

  @Query(() => MarginChangePreview, { description: 'What a margin change would do, at current prices' })
  async previewMarginChange(
    @Arg('input') input: MarginChangeInput,
    @Ctx() { risk }: RequestContext,
  ): Promise<MarginChangePreview> {
    // The pure module names groups `riskGroup(s)`; the API says which are ids.
    const { riskGroups, accounts, ...rest } = await risk.preview(input);
    return {
      ...rest,
      riskGroupIds: riskGroups,
      accounts: accounts.map(({ riskGroup, ...account }) => ({ ...account, riskGroupId: riskGroup })),
    } as MarginChangePreview;
  }

  @Mutation(() => MarginChangeView, {
    description: 'Applies a margin change: one audited change of the groups, live at once, pushed to every account',
  })
  applyMarginChange(@Arg('input') input: MarginChangeInput, @Ctx() { risk }: RequestContext) {
    return risk.apply(input);
  }

  @Mutation(() => MarginChangeView, { description: 'A new audited change restoring the values before a change' })
  rollbackMarginChange(@Arg('changeId', () => ID) changeId: string, @Ctx() { risk }: RequestContext) {
    return risk.rollback(changeId);
  }

  @Query(() => MarginChangeView)
  marginChange(@Arg('id', () => ID) id: string, @Ctx() { risk }: RequestContext) {
    return risk.change(id);
  }

  @Query(() => [MarginChangeView], { description: "A brand's latest margin changes" })
  marginChanges(@Arg('brandId', () => ID) brandId: string, @Ctx() { risk }: RequestContext) {
    return risk.changes(brandId);
  }

  @Subscription(() => MarginChangeView, {
    description: "A margin change's push progress (coalesced; the last message is the final state)",
    subscribe: async ({ args, context }: Sub<{ changeId: string }>) => {
      await authorize(context.viewer, 'Subscription.marginChangeProgress', args, context.em);
      await context.risk.change(args.changeId);
      return feed(new Coalescer(() => context.risk.change(args.changeId), EXPOSURE_WINDOW_MS), [
        context.pubsub.subscribe(RiskTopic.marginChange(args.changeId)),
      ]);
    },
  })
  marginChangeProgress(@Arg('changeId', () => ID) _changeId: string, @Root() view: MarginChangeView): MarginChangeView {
    return view;
  }
}
