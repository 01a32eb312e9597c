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
import type { RequestContext } from '../context';
import { Topic } from '../events/topics';
import {
  AccountMetrics,
  ChallengeAccount,
  ChallengeTransition,
  EquityPoint,
  IssueAccountInput,
} from './challenge.types';

@Resolver()
export class ChallengeResolver {
  @Query(() => [ChallengeAccount], { description: "A brand's challenge accounts, newest first" })
  challengeAccounts(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('status', () => String, { nullable: true }) status: string | null,
    @Arg('planId', () => ID, { nullable: true }) planId: string | null,
    @Arg('nearBreach', () => Boolean, { nullable: true, description: 'Only accounts with ≤ 20 % of a limit left' })
    nearBreach: boolean | null,
    @Ctx() { challenges }: RequestContext,
  ): Promise<ChallengeAccount[]> {
    return challenges.list(brandId, { status, planId, nearBreach });
  }

  @Query(() => ChallengeAccount)
  challengeAccount(@Arg('id', () => ID) id: string, @Ctx() { challenges }: RequestContext): Promise<ChallengeAccount> {
    return challenges.get(id);
  }

  @Query(() => [ChallengeTransition], { description: 'Breaches and passes of an account, in order' })
  challengeTimeline(
    @Arg('accountId', () => ID) accountId: string,
    @Ctx() { challenges }: RequestContext,
  ): Promise<ChallengeTransition[]> {
    return challenges.transitions(accountId);
  }

  @Query(() => [EquityPoint], { description: "The account's reported equity, oldest first" })
  equitySeries(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('limit', () => Int, { defaultValue: 500 }) limit: number,
    @Ctx() { challenges }: RequestContext,
  ): Promise<EquityPoint[]> {
    return challenges.equitySeries(accountId, limit);
  }

  @Mutation(() => ChallengeAccount, { description: 'Opens phase 1 of a published plan for a trader, on the platform' })
  issueChallengeAccount(
    @Arg('input') input: IssueAccountInput,
    @Ctx() { challenges }: RequestContext,
  ): Promise<ChallengeAccount> {
    return challenges.issue(input);
  }

  @Mutation(() => ChallengeAccount, { description: 'Approves a pass waiting for review: the next phase opens' })
  approvePass(
    @Arg('accountId', () => ID) accountId: string,
    @Ctx() { challenges }: RequestContext,
  ): Promise<ChallengeAccount> {
    return challenges.approve(accountId);
  }

  @Mutation(() => ChallengeAccount, {
    description: 'Rejects a pass waiting for review, with a reason; the account closes',
  })
  rejectPass(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason') reason: string,
    @Ctx() { challenges }: RequestContext,
  ): Promise<ChallengeAccount> {
    return challenges.reject(accountId, reason);
  }

  @Subscription(() => ChallengeTransition, {
    description: "An account's breaches and passes as they happen",
    // The account is read first, as the viewer: a trader subscribing to another trader's account gets NOT_FOUND.
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, RequestContext>) => {
      await context.challenges.get(args.accountId);
      return context.pubsub.subscribe(Topic.challengeStatus(args.accountId));
    },
  })
  challengeStatus(
    @Arg('accountId', () => ID) _accountId: string,
    @Root() transition: ChallengeTransition,
  ): ChallengeTransition {
    return transition;
  }

  @Subscription(() => AccountMetrics, {
    description: "An account's live figures (at most a few per second, always ending on the latest)",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, RequestContext>) => {
      await context.challenges.get(args.accountId);
      return context.pubsub.subscribe(Topic.accountMetrics(args.accountId));
    },
  })
  accountMetrics(@Arg('accountId', () => ID) _accountId: string, @Root() metrics: AccountMetrics): AccountMetrics {
    return metrics;
  }

  @Subscription(() => ChallengeTransition, {
    description: "Staff: every breach and pass of a brand's accounts",
    topics: ({ args }: SubscribeResolverData<unknown, { brandId: string }>) => Topic.challengeEvents(args.brandId),
  })
  challengeEvents(
    @Arg('brandId', () => ID) _brandId: string,
    @Root() transition: ChallengeTransition,
  ): ChallengeTransition {
    return transition;
  }
}
