import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ChallengeAccount } from '../challenge/challenge.types';
import { forbidden } from '../common/errors';
import type { RequestContext } from '../context';
import { TraderAuthResult, TraderProfile, TraderSignUpInput, UpdateMyProfileInput } from './trader.types';

/** The trader's session cookie: distinct from staff's, since the admin (/admin) and portal (/) share an origin. */
export const TRADER_COOKIE = 'bd_trader';

type Opened = Awaited<ReturnType<RequestContext['traders']['signIn']>>;

function signedIn(ctx: RequestContext, { token, session, trader }: Opened): TraderAuthResult {
  const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  ctx.setCookie?.(TRADER_COOKIE, token, { maxAgeSeconds });
  return { token, expiresAt: session.expiresAt, trader };
}

@Resolver()
export class TraderResolver {
  @Query(() => TraderProfile, { nullable: true, description: 'The signed-in trader, or null for anyone else.' })
  traderMe(@Ctx() { traders }: RequestContext): Promise<TraderProfile | null> {
    return traders.me();
  }

  @Mutation(() => TraderAuthResult, {
    description: "Opens a trader account on a brand's portal and signs in; a verification email follows.",
  })
  async traderSignUp(@Arg('input') input: TraderSignUpInput, @Ctx() ctx: RequestContext): Promise<TraderAuthResult> {
    return signedIn(ctx, await ctx.traders.signUp(input));
  }

  @Mutation(() => TraderAuthResult, { description: "Signs a trader in on their brand's portal." })
  async traderSignIn(
    @Arg('brandSlug') brandSlug: string,
    @Arg('email') email: string,
    @Arg('password') password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<TraderAuthResult> {
    return signedIn(ctx, await ctx.traders.signIn(brandSlug, email, password));
  }

  @Mutation(() => Boolean)
  async traderSignOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    await ctx.traders.signOut();
    ctx.clearCookie?.(TRADER_COOKIE);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Confirms a trader email with the token from the verification link.' })
  verifyTraderEmail(@Arg('token') token: string, @Ctx() { traders }: RequestContext): Promise<boolean> {
    return traders.verifyEmail(token);
  }

  @Mutation(() => Boolean, { description: 'Sends the signed-in trader a new verification link.' })
  resendTraderVerification(@Ctx() { traders }: RequestContext): Promise<boolean> {
    return traders.resendVerification();
  }

  @Mutation(() => Boolean, {
    description:
      'Emails a password reset link if the address is a trader of the brand; the answer is the same either way.',
  })
  requestTraderPasswordReset(
    @Arg('brandSlug') brandSlug: string,
    @Arg('email') email: string,
    @Ctx() { traders }: RequestContext,
  ): Promise<boolean> {
    return traders.requestPasswordReset(brandSlug, email);
  }

  @Mutation(() => Boolean, { description: "Sets a new password from a reset link; the trader's other sessions end." })
  resetTraderPassword(
    @Arg('token') token: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() { traders }: RequestContext,
  ): Promise<boolean> {
    return traders.resetPassword(token, newPassword);
  }

  @Mutation(() => TraderProfile, { description: "The signed-in trader's name, language and time zone." })
  updateMyProfile(
    @Arg('input') input: UpdateMyProfileInput,
    @Ctx() { traders }: RequestContext,
  ): Promise<TraderProfile> {
    return traders.updateProfile(input);
  }

  @Query(() => [ChallengeAccount], { description: "The signed-in trader's own challenge accounts, newest first" })
  myChallengeAccounts(@Ctx() { viewer, challenges }: RequestContext): Promise<ChallengeAccount[]> {
    if (viewer.kind !== 'trader') throw forbidden();
    return challenges.listForTrader(viewer.traderId);
  }
}
