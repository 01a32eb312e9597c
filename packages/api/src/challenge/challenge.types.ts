import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One limit as the trader sees it: the floor, its base, and how far equity is from it.' })
export class LimitGauge {
  @Field()
  floor!: string;

  @Field({ description: 'B(d), max(B(d), E(d)), H or the peak P: what the floor is taken from' })
  base!: string;

  @Field({ description: 'Equity minus floor, in the account currency' })
  distance!: string;

  @Field(() => Float, { description: 'Share of the limit used: (base − E) / (base − floor), in percent' })
  usedPct!: number;
}

@ObjectType({ description: 'Live figures of a challenge account.' })
export class AccountMetrics {
  @Field(() => ID)
  accountId!: string;

  @Field()
  status!: string;

  @Field()
  currency!: string;

  @Field()
  initialBalance!: string;

  @Field()
  balance!: string;

  @Field()
  equity!: string;

  @Field(() => LimitGauge, { nullable: true })
  dailyLoss!: LimitGauge | null;

  @Field(() => LimitGauge, { nullable: true })
  maxLoss!: LimitGauge | null;

  @Field(() => String, { nullable: true })
  profitTarget!: string | null;

  @Field(() => Float, { nullable: true, description: 'Percent of the way from the initial balance to the target' })
  progressPct!: number | null;

  @Field(() => Int)
  tradingDays!: number;

  @Field(() => Int)
  minTradingDays!: number;

  @Field(() => Float, { nullable: true, description: 'Best unit / net profit, in percent' })
  consistencyPct!: number | null;

  @Field(() => Date, { nullable: true })
  nextReset!: Date | null;

  @Field(() => Int)
  openPositions!: number;
}

@ObjectType()
export class ChallengeTransition {
  @Field(() => ID)
  accountId!: string;

  @Field({ description: 'BREACH, SOFT_BREACH or PASS' })
  kind!: string;

  @Field(() => String, { nullable: true })
  rule!: string | null;

  @Field()
  at!: Date;

  @Field(() => String, { nullable: true })
  floor!: string | null;

  @Field(() => String, { nullable: true })
  equity!: string | null;

  @Field(() => Int, { description: 'Journal sequence of the event that caused it' })
  seq!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'For a near-breach WARNING: the threshold (% of the limit used) reached',
  })
  threshold?: number | null;

  @Field(() => String, { nullable: true, description: 'Staff actions and manual decisions: who acted' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Staff actions: the reason given' })
  reason?: string | null;

  @Field(() => Int, { nullable: true, description: 'EXTEND: the days added to the time limit' })
  days?: number | null;

  @Field(() => String, { nullable: true, description: 'Staff actions: the action id (idempotency key)' })
  actionId?: string | null;
}

@ObjectType({ description: 'A challenge account: one phase of a plan for one trader, on one platform login.' })
export class ChallengeAccount {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  brandId!: string;

  @Field(() => ID)
  traderId!: string;

  @Field()
  traderName!: string;

  @Field()
  traderEmail!: string;

  @Field(() => ID)
  planId!: string;

  @Field(() => ID)
  planVersionId!: string;

  @Field()
  planName!: string;

  @Field()
  phaseName!: string;

  @Field(() => Int)
  phaseIndex!: number;

  @Field()
  login!: string;

  @Field()
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'PENDING_REVIEW, AWAITING_TRADER, APPROVED or REJECTED after a pass',
  })
  review!: string | null;

  @Field()
  currency!: string;

  @Field()
  initialBalance!: string;

  @Field(() => AccountMetrics, { nullable: true })
  metrics!: AccountMetrics | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true })
  endedRule!: string | null;

  @Field(() => ID, { nullable: true })
  previousAccountId!: string | null;

  @Field()
  createdAt!: Date;
}

@InputType()
export class IssueAccountInput {
  @Field(() => ID)
  brandId!: string;

  @Field()
  traderEmail!: string;

  @Field()
  traderName!: string;

  @Field(() => ID)
  planId!: string;

  @Field(() => ID, { description: 'The account size of the plan' })
  sizeId!: string;
}

@ObjectType()
export class EquityPoint {
  @Field()
  at!: Date;

  @Field()
  equity!: string;
}
