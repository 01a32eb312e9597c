import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { forbidden } from '../common/errors';
import { assertValid } from '../common/validation';
import type { RequestContext } from '../context';
import { Me, SignInInput, SignInResult, StaffSessionView, TotpEnrollment, TwoFactorStatus } from './auth.types';
import type { StaffViewer } from './viewer';

export const SESSION_COOKIE = 'bd_session';

/** The operations' permission rules admit staff only; this narrows the type. */
export function staffOf({ viewer }: RequestContext): StaffViewer {
  if (viewer.kind !== 'staff') throw forbidden();
  return viewer;
}

const meOf = (viewer: StaffViewer): Me => ({
  id: viewer.staffId,
  email: viewer.email,
  name: viewer.name,
  grants: viewer.grants,
  totpEnrollmentRequired: viewer.totpEnrollmentRequired ?? false,
});

@Resolver()
export class AuthResolver {
  @Query(() => Me, { nullable: true, description: 'The signed-in staff member, or null.' })
  me(@Ctx() { viewer }: RequestContext): Me | null {
    return viewer.kind === 'staff' ? meOf(viewer) : null;
  }

  @Mutation(() => SignInResult, {
    description:
      'Staff sign-in. Typed refusals: UNAUTHENTICATED, TOTP_REQUIRED (send totpCode or recoveryCode), ACCOUNT_LOCKED and RATE_LIMITED (both with extensions.retryAfterSeconds).',
  })
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: RequestContext): Promise<SignInResult> {
    await assertValid(input, ['input']);
    const { token, session, staff, viewer } = await ctx.auth.signIn(input, ctx.meta);
    const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    ctx.setCookie?.(SESSION_COOKIE, token, { maxAgeSeconds });
    ctx.log.info({ staffId: staff.id }, 'staff signed in');
    return { token, expiresAt: session.expiresAt, me: meOf(viewer) };
  }

  @Mutation(() => Boolean)
  async signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    if (ctx.viewer.kind === 'staff') await ctx.auth.signOut(ctx.viewer);
    ctx.clearCookie?.(SESSION_COOKIE);
    return true;
  }

  @Query(() => [StaffSessionView], { description: "The signed-in member's open sessions; the current one is marked." })
  mySessions(@Ctx() ctx: RequestContext): Promise<StaffSessionView[]> {
    const viewer = staffOf(ctx);
    return ctx.auth.sessions(viewer.staffId, viewer.sessionId);
  }

  @Query(() => [StaffSessionView], { description: "A staff member's open sessions (owners)." })
  staffSessions(@Arg('staffId', () => ID) staffId: string, @Ctx() ctx: RequestContext): Promise<StaffSessionView[]> {
    return ctx.auth.sessions(staffId, staffOf(ctx).sessionId);
  }

  @Mutation(() => Boolean, {
    description:
      'Ends a session at once (HTTP and open WebSockets alike): one of your own, or anyone’s for an owner. False when it had already ended.',
  })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.auth.revokeSession(staffOf(ctx), id);
  }

  @Query(() => TwoFactorStatus)
  myTwoFactor(@Ctx() ctx: RequestContext): Promise<TwoFactorStatus> {
    return ctx.auth.totpStatus(staffOf(ctx).staffId);
  }

  @Mutation(() => TotpEnrollment, {
    description: 'A new TOTP secret to add to an authenticator app; nothing changes until confirmTotpEnrollment.',
  })
  beginTotpEnrollment(@Ctx() ctx: RequestContext): Promise<TotpEnrollment> {
    return ctx.auth.beginTotpEnrollment(staffOf(ctx));
  }

  @Mutation(() => [String], {
    description:
      'Turns two-factor on with a code from the new secret. Returns ten one-time recovery codes, shown once.',
  })
  confirmTotpEnrollment(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<string[]> {
    return ctx.auth.confirmTotpEnrollment(staffOf(ctx), code);
  }

  @Mutation(() => Boolean, { description: 'Turns two-factor off; needs a current code.' })
  disableTotp(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.auth.disableTotp(staffOf(ctx), code);
  }

  @Mutation(() => [String], { description: 'Ten new recovery codes in place of the old ones; needs a current code.' })
  regenerateRecoveryCodes(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<string[]> {
    return ctx.auth.regenerateRecoveryCodes(staffOf(ctx), code);
  }
}
