import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import {
  AssignmentMoveView,
  AssignmentRuleView,
  CreateAssignmentRuleInput,
  UpdateAssignmentRuleInput,
} from './assignment-rules.types';

@Resolver()
export class AssignmentRuleResolver {
  @Query(() => [AssignmentRuleView], { description: "A brand's behaviour-based assignment rules, by priority" })
  assignmentRules(@Arg('brandId', () => ID) brandId: string, @Ctx() { riskRules }: RequestContext) {
    return riskRules.list(brandId);
  }

  @Mutation(() => AssignmentRuleView)
  createAssignmentRule(@Arg('input') input: CreateAssignmentRuleInput, @Ctx() { riskRules }: RequestContext) {
    const { brandId, ...fields } = input;
    return riskRules.create(brandId, fields);
  }

  @Mutation(() => AssignmentRuleView)
  updateAssignmentRule(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateAssignmentRuleInput,
    @Ctx() { riskRules }: RequestContext,
  ) {
    return riskRules.update(id, { ...input });
  }

  @Mutation(() => Boolean)
  deleteAssignmentRule(@Arg('id', () => ID) id: string, @Ctx() { riskRules }: RequestContext) {
    return riskRules.remove(id);
  }

  @Query(() => [AssignmentMoveView], {
    description: 'Who the enabled rules would move now, by which rule and why (nothing is changed)',
  })
  previewAssignmentRules(@Arg('brandId', () => ID) brandId: string, @Ctx() { riskRules }: RequestContext) {
    return riskRules.preview(brandId);
  }

  @Mutation(() => [AssignmentMoveView], {
    description: 'Runs the rules now (the scheduler also does): moves are audited and pushed to the platform',
  })
  runAssignmentRules(@Arg('brandId', () => ID) brandId: string, @Ctx() { riskRules }: RequestContext) {
    return riskRules.run(brandId);
  }
}
