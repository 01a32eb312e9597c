import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { enumOf } from '../plans/phase-rules.types';

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

/** Staff's decision on a deal correction that took away the pass of an account that had advanced. */
export const CORRECTION_REVIEW_DECISIONS = ['KEEP_PASS', 'REVOKE_PASS'] as const;
export type CorrectionReviewDecision = (typeof CORRECTION_REVIEW_DECISIONS)[number];
export const CorrectionReviewDecisionEnum = enumOf(
  CORRECTION_REVIEW_DECISIONS,
  'CorrectionReviewDecision',
  'KEEP_PASS: the pass stands; REVOKE_PASS: the account the pass led to is failed and trading stops',
);

@ObjectType({ description: "Staff's decision on a correction that needed review: who, when, why." })
export class CorrectionReviewResolution {
  @Field(() => CorrectionReviewDecisionEnum)
  decision!: CorrectionReviewDecision;

  @Field()
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Who decided (the staff member’s email)' })
  actor!: string | null;

  @Field()
  at!: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'REVOKE_PASS: the next-phase or funded account that was failed (none if it had already ended)',
  })
  failedAccountId!: string | null;
}

@ObjectType()
export class ChallengeTransition {
  @Field(() => ID, {
    nullable: true,
    description: 'The recorded transition (challengeTimeline); null on live events and near-breach warnings',
  })
  id?: string | null;

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

  @Field({
    description:
      'CORRECTION: the rebuilt figures took away a pass after the account had advanced, so the pass stands until staff review it (resolveCorrectionReview)',
  })
  reviewRequired!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'A correction needing review: the status the rebuilt account would have (e.g. ACTIVE, BREACHED)',
  })
  reviewOutcome?: string | null;

  @Field(() => CorrectionReviewResolution, {
    nullable: true,
    description: 'A correction needing review, once staff resolved it; null while it waits',
  })
  reviewResolution?: CorrectionReviewResolution | null;
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

@InputType()
export class ResolveCorrectionReviewInput {
  @Field(() => ID, { description: 'The account whose pass the correction took away' })
  accountId!: string;

  @Field(() => ID, { description: "The CORRECTION entry of the account's timeline (its id)" })
  transitionId!: string;

  @Field(() => CorrectionReviewDecisionEnum)
  decision!: CorrectionReviewDecision;

  @Field({ description: '3 to 500 characters; the audit trail (and, when revoking, the trader) sees it' })
  reason!: string;
}
