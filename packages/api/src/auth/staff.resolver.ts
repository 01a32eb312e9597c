import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { InviteStaffInput, RoleGrantInput, StaffMember, type StaffStatus } from './auth.types';
import type { StaffMemberInfo } from './staff.service';

const view = (info: StaffMemberInfo): StaffMember => ({ ...info, status: info.status as StaffStatus });

/** The staff lifecycle (owners), and the two public steps that arrive by emailed link. */
@Resolver()
export class StaffResolver {
  @Query(() => [StaffMember])
  async staffMembers(@Ctx() ctx: RequestContext): Promise<StaffMember[]> {
    return (await ctx.staff.list()).map(view);
  }

  @Mutation(() => StaffMember, {
    description:
      'Invites a member by email: a one-time link (72 hours) through the outbox. They choose their password.',
  })
  async inviteStaff(@Arg('input') input: InviteStaffInput, @Ctx() ctx: RequestContext): Promise<StaffMember> {
    return view(await ctx.staff.invite(input));
  }

  @Mutation(() => Boolean, { description: 'Accepts an invite with a password of at least 10 characters.' })
  acceptStaffInvite(
    @Arg('token') token: string,
    @Arg('password') password: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.staff.acceptInvite(token, password, name);
  }

  @Mutation(() => StaffMember, { description: "Replaces a member's roles (per brand)." })
  async setStaffGrants(
    @Arg('staffId', () => ID) staffId: string,
    @Arg('grants', () => [RoleGrantInput]) grants: RoleGrantInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<StaffMember> {
    return view(await ctx.staff.setGrants(staffId, grants));
  }

  @Mutation(() => StaffMember, { description: 'Deactivates a member; their open sessions end at once.' })
  async deactivateStaff(@Arg('staffId', () => ID) staffId: string, @Ctx() ctx: RequestContext): Promise<StaffMember> {
    return view(await ctx.staff.deactivate(staffId));
  }

  @Mutation(() => Boolean, {
    description: 'Sends a reset link if the email belongs to an active member; the answer is true either way.',
  })
  requestStaffPasswordReset(@Arg('email') email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.staff.requestPasswordReset(email);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password from a reset link; every session of the member ends.' })
  resetStaffPassword(
    @Arg('token') token: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.staff.resetPassword(token, newPassword);
  }
}
