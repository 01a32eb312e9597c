import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { HedgeFillView } from './hedging.types';

@Resolver()
export class HedgingResolver {
  @Query(() => [HedgeFillView], { description: "A brand's A-book hedges, newest first" })
  hedges(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('login', () => String, { nullable: true }) login: string | null,
    @Arg('symbol', () => String, { nullable: true }) symbol: string | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() { hedging }: RequestContext,
  ) {
    return hedging.list(brandId, { login, symbol, limit });
  }
}
