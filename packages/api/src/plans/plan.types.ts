import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import {
  OVERRIDABLE_AMOUNTS,
  type OverridableAmount,
  PASS_ADVANCES,
  type PassAdvance,
  PHASE_KINDS,
  type PhaseKind,
  PLAN_KINDS,
  PLATFORM_KINDS,
  type PlanKind,
  type PlatformKind,
} from './plan.model';
import { enumOf, PhaseRules } from './phase-rules.types';

export const PlanKindEnum = enumOf(PLAN_KINDS, 'PlanKind');
export const PhaseKindEnum = enumOf(PHASE_KINDS, 'PhaseKind');
export const PassAdvanceEnum = enumOf(PASS_ADVANCES, 'PassAdvance');
export const PlatformKindEnum = enumOf(PLATFORM_KINDS, 'PlatformKind');
export const OverridableAmountEnum = enumOf(OVERRIDABLE_AMOUNTS, 'OverridableAmount');
export const PlanStatusEnum = enumOf(['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const, 'PlanStatus');
export const PlanVersionStatusEnum = enumOf(['DRAFT', 'PUBLISHED', 'RETIRED'] as const, 'PlanVersionStatus');

@ObjectType()
@InputType('LocalizedTextInput')
export class LocalizedText {
  @Field()
  locale!: string;

  @Field()
  text!: string;
}

@ObjectType({ description: 'An absolute amount of a phase rule that differs for this account size.' })
@InputType('AmountOverrideInput')
export class AmountOverride {
  @Field(() => ID)
  phaseId!: string;

  @Field(() => OverridableAmountEnum)
  field!: OverridableAmount;

  @Field()
  amount!: string;
}

@ObjectType()
export class AccountSize {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Initial balance of an account of this size' })
  balance!: string;

  @Field()
  price!: string;

  @Field()
  currency!: string;

  @Field(() => [AmountOverride])
  overrides!: AmountOverride[];
}

@InputType()
export class AccountSizeInput {
  @Field(() => ID, { nullable: true, description: 'Keep the id of an existing size; new sizes get one' })
  id?: string | null;

  @Field()
  balance!: string;

  @Field()
  price!: string;

  @Field()
  currency!: string;

  @Field(() => [AmountOverride], { defaultValue: [] })
  overrides!: AmountOverride[];
}

@ObjectType()
@InputType('ProfitSplitTierInput')
export class ProfitSplitTier {
  @Field(() => String, {
    nullable: true,
    description: 'Cumulative paid profit up to which this share applies; null: the rest',
  })
  upTo!: string | null;

  @Field()
  pct!: string;
}

@ObjectType()
@InputType('PayoutScheduleInput')
export class PayoutSchedule {
  @Field(() => Int)
  firstAfterDays!: number;

  @Field(() => Int)
  everyDays!: number;

  @Field()
  minAmount!: string;
}

@ObjectType()
@InputType('FundedTermsInput')
export class FundedTerms {
  @Field(() => [ProfitSplitTier])
  profitSplit!: ProfitSplitTier[];

  @Field(() => PayoutSchedule)
  payout!: PayoutSchedule;
}

@ObjectType()
export class Phase {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => PhaseKindEnum)
  kind!: PhaseKind;

  @Field(() => PhaseRules)
  rules!: PhaseRules;

  @Field(() => PassAdvanceEnum)
  advance!: PassAdvance;

  @Field(() => [Int])
  warningThresholds!: number[];

  @Field(() => FundedTerms, { nullable: true })
  funded!: FundedTerms | null;
}

@InputType()
export class PhaseInput {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field()
  name!: string;

  @Field(() => PhaseKindEnum)
  kind!: PhaseKind;

  @Field(() => PhaseRules)
  rules!: PhaseRules;

  @Field(() => PassAdvanceEnum, { defaultValue: 'AUTOMATIC' })
  advance!: PassAdvance;

  @Field(() => [Int], { defaultValue: [50, 80, 95] })
  warningThresholds!: number[];

  @Field(() => FundedTerms, { nullable: true })
  funded?: FundedTerms | null;
}

@InputType({ description: 'The whole content of a plan; saving it makes or updates the draft version.' })
export class PlanInput {
  @Field(() => [LocalizedText])
  names!: LocalizedText[];

  @Field(() => [LocalizedText], { defaultValue: [] })
  descriptions!: LocalizedText[];

  @Field(() => PlanKindEnum)
  kind!: PlanKind;

  @Field(() => PlatformKindEnum, { defaultValue: 'SIMULATOR' })
  platform!: PlatformKind;

  @Field(() => ID, { nullable: true, description: 'Risk group of the accounts the plan creates (optional)' })
  riskGroupId?: string | null;

  @Field(() => [AccountSizeInput])
  sizes!: AccountSizeInput[];

  @Field(() => [PhaseInput])
  phases!: PhaseInput[];
}

@ObjectType()
export class PlanVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  number!: number;

  @Field(() => PlanVersionStatusEnum)
  status!: 'DRAFT' | 'PUBLISHED' | 'RETIRED';

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => [LocalizedText])
  names!: LocalizedText[];

  @Field(() => [LocalizedText])
  descriptions!: LocalizedText[];

  @Field(() => PlanKindEnum)
  kind!: PlanKind;

  @Field(() => PlatformKindEnum)
  platform!: PlatformKind;

  @Field(() => ID, { nullable: true })
  riskGroupId!: string | null;

  @Field(() => [AccountSize])
  sizes!: AccountSize[];

  @Field(() => [Phase])
  phases!: Phase[];
}

@ObjectType()
export class Plan {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  brandId!: string;

  @Field(() => Int, { description: 'Place in the brand catalogue, from 0' })
  position!: number;

  @Field(() => PlanStatusEnum)
  status!: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

  @Field({ description: 'The display name in the first language of the current version' })
  name!: string;

  @Field(() => Int, { description: 'Phase order revision; send it back with reorderPhases' })
  phaseOrderRevision!: number;

  @Field(() => PlanVersion, { nullable: true, description: 'What customers see' })
  published!: PlanVersion | null;

  @Field(() => PlanVersion, { nullable: true, description: 'Unpublished changes' })
  draft!: PlanVersion | null;

  @Field(() => PlanVersion, { description: 'The draft if there is one, else the published version' })
  current!: PlanVersion;

  @Field(() => [PlanVersion], { description: 'Every version, newest first' })
  versions!: PlanVersion[];
}

@ObjectType({ description: "A brand's plans in catalogue order." })
export class PlanCatalogue {
  @Field(() => ID)
  brandId!: string;

  @Field(() => Int, { description: 'Order revision; send it back with reorderPlans' })
  revision!: number;

  @Field(() => [Plan])
  plans!: Plan[];
}

@ObjectType({ description: 'A new catalogue order, pushed to every open console and portal.' })
export class PlanOrder {
  @Field(() => ID)
  brandId!: string;

  @Field(() => Int)
  revision!: number;

  @Field(() => [ID])
  planIds!: string[];
}

@ObjectType({ description: 'A new phase order of a plan.' })
export class PhaseOrder {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int)
  revision!: number;

  @Field(() => [ID])
  phaseIds!: string[];

  @Field(() => ID, { description: 'The version that now holds this order (a draft when the plan was published)' })
  versionId!: string;
}

@ObjectType()
export class PlanPreset {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field(() => PlanKindEnum)
  kind!: PlanKind;

  @Field(() => Int)
  phaseCount!: number;
}

@ObjectType({ description: 'One field that differs between two versions.' })
export class FieldChange {
  @Field()
  path!: string;

  @Field(() => String, { nullable: true })
  before!: string | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ObjectType({ description: "A phase's rules in the trader's words." })
export class PhaseSummary {
  @Field(() => ID)
  phaseId!: string;

  @Field()
  name!: string;

  @Field(() => [String])
  lines!: string[];
}

@ObjectType({ description: 'A published plan as the client portal shows it, in one language.' })
export class CatalogueEntry {
  @Field(() => ID)
  planId!: string;

  @Field(() => ID)
  versionId!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => PlanKindEnum)
  kind!: PlanKind;

  @Field(() => [AccountSize])
  sizes!: AccountSize[];

  @Field(() => [PhaseSummary], { description: 'Rule summaries for the first account size' })
  phases!: PhaseSummary[];
}

@ObjectType()
export class PublicCatalogue {
  @Field()
  brandSlug!: string;

  @Field(() => Int)
  revision!: number;

  @Field(() => [CatalogueEntry])
  plans!: CatalogueEntry[];
}
