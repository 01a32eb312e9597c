import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { assertValid } from '../common/validation';
import type { RequestContext } from '../context';
import { Me, SignInInput, SignInResult } from './auth.types';

export const SESSION_COOKIE = 'bd_session';

@Resolver()
export class AuthResolver {
  @Query(() => Me, { nullable: true, description: 'The signed-in staff member, or null.' })
  me(@Ctx() { viewer }: RequestContext): Me | null {
    if (viewer.kind !== 'staff') return null;
    return { id: viewer.staffId, email: viewer.email, name: viewer.name, grants: viewer.grants };
  }

  @Mutation(() => SignInResult)
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: RequestContext): Promise<SignInResult> {
    await assertValid(input, ['input']);
    const { token, session, staff } = await ctx.auth.signIn(input.email, input.password, ctx.meta);
    const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    ctx.setCookie?.(SESSION_COOKIE, token, { maxAgeSeconds });
    ctx.log.info({ staffId: staff.id }, 'staff signed in');
    const grants = staff.grants.getItems().map((g) => ({ brandId: g.brandId, role: g.role }));
    return { token, expiresAt: session.expiresAt, me: { id: staff.id, email: staff.email, name: staff.name, grants } };
  }

  @Mutation(() => Boolean)
  async signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    if (ctx.viewer.kind === 'staff') await ctx.auth.signOut(ctx.viewer.sessionId);
    ctx.clearCookie?.(SESSION_COOKIE);
    return true;
  }
}
