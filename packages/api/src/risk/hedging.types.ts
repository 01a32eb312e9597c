import { Field, ID, Int, ObjectType } from 'type-graphql';
import { enumOf } from '../plans/phase-rules.types';

export const HedgeStatusEnum = enumOf(['FILLED', 'REJECTED'] as const, 'HedgeStatus');
export const DealEntryEnum = enumOf(['in', 'out'] as const, 'DealEntry', 'in opens or adds, out closes');
export const TradeSideEnum = enumOf(['buy', 'sell'] as const, 'TradeSide');

@ObjectType({ description: "An A-book client deal passed to the liquidity provider, with the provider's fill" })
export class HedgeFillView {
  @Field(() => ID) id!: string;
  @Field(() => ID) platformAccountId!: string;
  @Field() login!: string;
  @Field({ description: "The client's deal ticket" }) dealId!: string;
  @Field() position!: string;
  @Field(() => DealEntryEnum) entry!: 'in' | 'out';
  @Field() symbol!: string;
  @Field(() => TradeSideEnum) clientSide!: 'buy' | 'sell';
  @Field(() => TradeSideEnum) hedgeSide!: 'buy' | 'sell';
  @Field({ description: 'Lots' }) volume!: string;
  @Field() clientPrice!: string;
  @Field(() => String, { nullable: true }) hedgePrice!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Hedge price against the client price per unit; positive is a cost to the firm',
  })
  slippage!: string | null;
  @Field(() => String, { nullable: true, description: 'slippage · lots · contract size, in `currency`' })
  slippageValue!: string | null;
  @Field(() => String, { nullable: true, description: "The instrument's profit currency" }) currency!: string | null;
  @Field() provider!: string;
  @Field(() => HedgeStatusEnum) status!: 'FILLED' | 'REJECTED';
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { nullable: true }) latencyMs!: number | null;
  @Field(() => Date) clientAt!: Date;
  @Field(() => Date) hedgedAt!: Date;
}
