import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { ChallengeAccount, ChallengeTransition, ResolveCorrectionReviewInput } from './challenge.types';

const actionId = { nullable: true, description: 'Idempotency key: the same id twice does the action once' } as const;

/** Staff actions on a challenge account (see staff-actions.ts); rules in auth/permissions.ts. */
@Resolver(() => ChallengeAccount)
export class StaffActionResolver {
  @Mutation(() => ChallengeAccount, {
    description: "Extends the phase's time limits (calendar and trading days) by N days",
  })
  extendChallengeTimeLimit(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('days', () => Int) days: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'EXTEND', days, reason, actionId: id });
  }

  @Mutation(() => ChallengeAccount, { description: 'Withdraws a breach, with a reason: trading opens again' })
  reinstateChallengeAccount(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason') reason: string,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'REINSTATE', reason, actionId: id });
  }

  @Mutation(() => ChallengeAccount, { description: 'Passes the phase by hand; it then advances as the phase says' })
  passChallengeAccount(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'PASS', reason, actionId: id });
  }

  @Mutation(() => ChallengeAccount, {
    description: 'Fails the phase by hand, with a reason: trading stops, positions close',
  })
  failChallengeAccount(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason') reason: string,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'FAIL', reason, actionId: id });
  }

  @Mutation(() => ChallengeAccount, { description: 'Closes the account, with a reason: trading stops' })
  closeChallengeAccount(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason') reason: string,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'CLOSE', reason, actionId: id });
  }

  @Mutation(() => ChallengeAccount, {
    description:
      'A fresh attempt of the same phase with a fresh initial balance; the old account closes. Returns the new account',
  })
  resetChallengeAccount(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('reason') reason: string,
    @Arg('actionId', () => String, actionId) id: string | null,
    @Ctx() { staffActions }: RequestContext,
  ): Promise<ChallengeAccount> {
    return staffActions.act({ accountId, operation: 'RESET', reason, actionId: id });
  }

  @Mutation(() => ChallengeTransition, {
    description:
      'Resolves a deal correction that took away the pass of an account that had advanced (a CORRECTION with reviewRequired): KEEP_PASS records the decision; REVOKE_PASS also fails the next-phase or funded account, with the reason. Once per correction (CONFLICT after). Returns the correction',
  })
  resolveCorrectionReview(
    @Arg('input') input: ResolveCorrectionReviewInput,
    @Ctx() { correctionReviews }: RequestContext,
  ): Promise<ChallengeTransition> {
    return correctionReviews.resolve(input);
  }

  @FieldResolver(() => [String], {
    description:
      'Staff: the actions that apply now (EXTEND, REINSTATE, PASS, FAIL, CLOSE, RESET), whatever the role; empty for others',
  })
  availableStaffActions(@Root() account: ChallengeAccount, @Ctx() { viewer, staffActions }: RequestContext) {
    if (viewer.kind !== 'staff') return [];
    return staffActions.available(account.id);
  }
}
