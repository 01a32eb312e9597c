import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { enumOf } from '../plans/phase-rules.types';
import { RULE_COMPARISONS, RULE_METRICS, type RuleComparison, type RuleMetric } from './assignment-rule';
import type { Book } from './risk-group';
import { BookEnum } from './risk.types';

export const RuleMetricEnum = enumOf(
  RULE_METRICS,
  'RuleMetric',
  'What an assignment rule measures over closed trades: win rate (%), trade count, average holding time (s), profit factor',
);
export const RuleComparisonEnum = enumOf(RULE_COMPARISONS, 'RuleComparison', 'GTE ≥, GT >, LTE ≤, LT <');

@ObjectType({ description: 'A behaviour-based assignment rule: when the metric compares, the account moves' })
export class AssignmentRuleView {
  @Field(() => ID) id!: string;
  @Field(() => ID) brandId!: string;
  @Field() name!: string;
  @Field(() => RuleMetricEnum) metric!: RuleMetric;
  @Field(() => Int, { description: 'The window: the last N days' }) windowDays!: number;
  @Field(() => RuleComparisonEnum) comparison!: RuleComparison;
  @Field({ description: '% for WIN_RATE, trades, seconds, or a ratio' }) threshold!: string;
  @Field(() => Int, { description: 'Closed trades in the window an account needs before the rule applies' })
  minTrades!: number;
  @Field(() => ID, { nullable: true }) targetRiskGroupId!: string | null;
  @Field(() => BookEnum, { nullable: true }) targetBook!: Book | null;
  @Field(() => Int, { description: 'Lower runs first; an account moves by the first rule it matches' })
  priority!: number;
  @Field() enabled!: boolean;
  @Field(() => Date, { nullable: true }) lastRunAt!: Date | null;
  @Field(() => Int, { description: 'Accounts the last run moved by this rule' }) lastMoved!: number;
  @Field(() => Date) updatedAt!: Date;
}

@InputType()
export class CreateAssignmentRuleInput {
  @Field(() => ID) brandId!: string;
  @Field() name!: string;
  @Field(() => RuleMetricEnum) metric!: RuleMetric;
  @Field(() => Int) windowDays!: number;
  @Field(() => RuleComparisonEnum) comparison!: RuleComparison;
  @Field() threshold!: string;
  @Field(() => Int, { nullable: true }) minTrades?: number | null;
  @Field(() => ID, { nullable: true }) targetRiskGroupId?: string | null;
  @Field(() => BookEnum, { nullable: true }) targetBook?: Book | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}

@InputType({ description: 'Fields left out keep their value; a target set to null is cleared' })
export class UpdateAssignmentRuleInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => RuleMetricEnum, { nullable: true }) metric?: RuleMetric | null;
  @Field(() => Int, { nullable: true }) windowDays?: number | null;
  @Field(() => RuleComparisonEnum, { nullable: true }) comparison?: RuleComparison | null;
  @Field(() => String, { nullable: true }) threshold?: string | null;
  @Field(() => Int, { nullable: true }) minTrades?: number | null;
  @Field(() => ID, { nullable: true }) targetRiskGroupId?: string | null;
  @Field(() => BookEnum, { nullable: true }) targetBook?: Book | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}

@ObjectType({ description: 'An account an assignment rule moves (or would move), and why' })
export class AssignmentMoveView {
  @Field(() => ID) platformAccountId!: string;
  @Field() login!: string;
  @Field(() => ID) ruleId!: string;
  @Field() ruleName!: string;
  @Field(() => RuleMetricEnum) metric!: RuleMetric;
  @Field({ description: "The metric's value ('∞' for a profit factor without losses)" }) value!: string;
  @Field() threshold!: string;
  @Field(() => RuleComparisonEnum) comparison!: RuleComparison;
  @Field(() => Int) windowDays!: number;
  @Field(() => Int, { description: 'Closed trades in the window' }) trades!: number;
  @Field({ description: 'The reason in English' }) reason!: string;
  @Field(() => ID) fromRiskGroupId!: string;
  @Field() fromRiskGroupName!: string;
  @Field(() => ID) toRiskGroupId!: string;
  @Field() toRiskGroupName!: string;
  @Field(() => BookEnum) fromBook!: Book;
  @Field(() => BookEnum) toBook!: Book;
}
