import { Arg, Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { AccountInsights } from './account-insights';
import { ChallengeAccount } from './challenge.types';

@ObjectType({ description: 'How a split tier applies to the profit. Amounts in the account currency.' })
export class PayoutTierPart {
  @Field(() => String, {
    nullable: true,
    description: 'Cumulative paid profit up to which the tier applies; null: above',
  })
  upTo!: string | null;

  @Field({ description: "The trader's percentage in this tier" })
  pct!: string;

  @Field({ description: 'The part of the profit in this tier' })
  profit!: string;

  @Field({ description: "The trader's share of it" })
  trader!: string;
}

@ObjectType({ description: "A funded account's profit split between trader and firm per the plan's tiers." })
export class PayoutShare {
  @Field()
  currency!: string;

  @Field({ description: 'Balance minus initial balance (0 when not above it)' })
  profit!: string;

  @Field({ description: 'Profit paid out before: where in the tiers this profit starts' })
  paidBefore!: string;

  @Field({ description: 'To the trader' })
  trader!: string;

  @Field({ description: 'To the firm' })
  firm!: string;

  @Field(() => [PayoutTierPart], { description: 'The tiers applied, in order; the last is the tier at the margin' })
  tiers!: PayoutTierPart[];
}

@ObjectType({ description: 'Why a phase ended, rendered in the reader’s language.' })
export class AccountExplanation {
  @Field({ description: 'BREACH, PASS or CLOSED' })
  kind!: string;

  @Field(() => String, { nullable: true })
  rule!: string | null;

  @Field()
  at!: string;

  @Field()
  title!: string;

  @Field()
  text!: string;
}

@Resolver(() => ChallengeAccount)
export class AccountInsightsResolver {
  @FieldResolver(() => AccountExplanation, {
    nullable: true,
    description:
      'How the phase ended (breach, pass or close), localized (en, es, ar): amounts in the account currency, times in the phase zone and in `timeZone`',
  })
  explanation(
    @Root() account: ChallengeAccount,
    @Arg('locale', () => String, { defaultValue: 'en' }) locale: string,
    @Arg('timeZone', () => String, { nullable: true, description: "The reader's IANA zone" }) timeZone: string | null,
    @Ctx() { em }: RequestContext,
  ) {
    return new AccountInsights(em).explanation(account.id, locale, timeZone);
  }

  @FieldResolver(() => PayoutShare, {
    nullable: true,
    description: "A funded account: the trader's share of its profit per the plan's split tiers; null otherwise",
  })
  payoutShare(@Root() account: ChallengeAccount, @Ctx() { em }: RequestContext) {
    return new AccountInsights(em).payoutShare(account.id);
  }
}
