import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  BREACH_ACTIONS,
  BREACH_COMPARISONS,
  type BreachAction,
  type BreachComparison,
  CONSISTENCY_BASES,
  CONSISTENCY_COMPARISONS,
  CONSISTENCY_DENOMINATORS,
  type ConsistencyBasis,
  type ConsistencyComparison,
  type ConsistencyDenominator,
  DAILY_LOSS_OF,
  DAILY_LOSS_REFERENCES,
  type DailyLossOf,
  type DailyLossReference,
  MAX_LOSS_MODES,
  type MaxLossMode,
  PASS_AT,
  type PassAt,
  PROFIT_TARGET_MEASURES,
  type ProfitTargetMeasure,
  TRADING_DAY_KINDS,
  type TradingDayKind,
} from '../rules/rules.schema';

/**
 * GraphQL shapes of a phase's rule set: exactly the `rules` object of rules.md and the golden
 * format, typed field by field so that the apps get generated types. Amounts and percentages are
 * decimal strings (exact); the engine's schema (rules/rules.schema.ts) validates them.
 */
/** A GraphQL enum from a list of values (the rules schema's lists are the source of truth). */
export const enumOf = <T extends string>(values: readonly T[], name: string, description?: string) => {
  const object = Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
  registerEnumType(object, { name, description });
  return object;
};

export const BreachComparisonEnum = enumOf(
  BREACH_COMPARISONS,
  'BreachComparison',
  'BELOW: E < floor; AT_OR_BELOW: E ≤ floor',
);
export const BreachActionEnum = enumOf(BREACH_ACTIONS, 'BreachAction');
export const DailyLossReferenceEnum = enumOf(DAILY_LOSS_REFERENCES, 'DailyLossReference');
export const DailyLossOfEnum = enumOf(DAILY_LOSS_OF, 'DailyLossOf');
export const MaxLossModeEnum = enumOf(MAX_LOSS_MODES, 'MaxLossMode');
export const ProfitTargetMeasureEnum = enumOf(PROFIT_TARGET_MEASURES, 'ProfitTargetMeasure');
export const TradingDayKindEnum = enumOf(TRADING_DAY_KINDS, 'TradingDayKind');
export const ConsistencyDenominatorEnum = enumOf(CONSISTENCY_DENOMINATORS, 'ConsistencyDenominator');
export const ConsistencyComparisonEnum = enumOf(CONSISTENCY_COMPARISONS, 'ConsistencyComparison');
export const ConsistencyBasisEnum = enumOf(CONSISTENCY_BASES, 'ConsistencyBasis');
export const PassAtEnum = enumOf(PASS_AT, 'PassAt');

@ObjectType()
@InputType('DayResetInput')
export class DayReset {
  @Field({ description: 'IANA time zone of the daily reset' })
  timeZone!: string;

  @Field({ description: 'Local time of the reset, HH:mm' })
  localTime!: string;
}

@ObjectType()
@InputType('DailyLossRuleInput')
export class DailyLossRule {
  @Field(() => String, { nullable: true, description: 'Percent (5 = 5 %); exactly one of pct and amount' })
  pct!: string | null;

  @Field(() => String, { nullable: true, description: 'An amount in the account currency' })
  amount!: string | null;

  @Field(() => DailyLossReferenceEnum)
  reference!: DailyLossReference;

  @Field(() => DailyLossOfEnum)
  of!: DailyLossOf;

  @Field(() => BreachActionEnum)
  action!: BreachAction;
}

@ObjectType()
@InputType('MaxLossRuleInput')
export class MaxLossRule {
  @Field(() => String, { nullable: true, description: 'Percent of the initial balance' })
  pct!: string | null;

  @Field(() => String, { nullable: true })
  amount!: string | null;

  @Field(() => MaxLossModeEnum)
  mode!: MaxLossMode;

  @Field(() => String, { nullable: true, description: 'Amount over the initial balance where a trailing floor stops' })
  lockAt!: string | null;
}

@ObjectType()
@InputType('MaxLossPerTradeRuleInput')
export class MaxLossPerTradeRule {
  @Field(() => String, { nullable: true })
  pct!: string | null;

  @Field(() => String, { nullable: true })
  amount!: string | null;

  @Field(() => BreachActionEnum)
  action!: BreachAction;
}

@ObjectType()
@InputType('ProfitTargetRuleInput')
export class ProfitTargetRule {
  @Field()
  pct!: string;

  @Field()
  requireFlat!: boolean;

  @Field(() => ProfitTargetMeasureEnum)
  measure!: ProfitTargetMeasure;
}

@ObjectType()
@InputType('ConsistencyRuleInput')
export class ConsistencyRule {
  @Field()
  maxBestDayPct!: string;

  @Field(() => ConsistencyDenominatorEnum)
  denominator!: ConsistencyDenominator;

  @Field(() => ConsistencyComparisonEnum)
  comparison!: ConsistencyComparison;

  @Field(() => ConsistencyBasisEnum)
  basis!: ConsistencyBasis;
}

@ObjectType()
@InputType('MinProfitableDaysRuleInput')
export class MinProfitableDaysRule {
  @Field(() => Int)
  count!: number;

  @Field()
  minPctOfInitial!: string;
}

@ObjectType({ description: 'The complete rule set of a phase (rules.md).' })
@InputType('PhaseRulesInput')
export class PhaseRules {
  @Field(() => DayReset)
  dayReset!: DayReset;

  @Field(() => BreachComparisonEnum)
  breachComparison!: BreachComparison;

  @Field(() => DailyLossRule, { nullable: true })
  dailyLoss!: DailyLossRule | null;

  @Field(() => MaxLossRule, { nullable: true })
  maxLoss!: MaxLossRule | null;

  @Field(() => MaxLossPerTradeRule, { nullable: true })
  maxLossPerTrade!: MaxLossPerTradeRule | null;

  @Field(() => ProfitTargetRule, { nullable: true, description: 'None: the phase never passes (funded)' })
  profitTarget!: ProfitTargetRule | null;

  @Field(() => Int)
  minTradingDays!: number;

  @Field(() => Int, { nullable: true })
  maxTradingDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'Calendar days' })
  maxDays!: number | null;

  @Field(() => Int, { nullable: true })
  maxInactiveDays!: number | null;

  @Field(() => TradingDayKindEnum)
  tradingDay!: TradingDayKind;

  @Field(() => ConsistencyRule, { nullable: true })
  consistency!: ConsistencyRule | null;

  @Field(() => MinProfitableDaysRule, { nullable: true })
  minProfitableDays!: MinProfitableDaysRule | null;

  @Field(() => PassAtEnum)
  passAt!: PassAt;
}
