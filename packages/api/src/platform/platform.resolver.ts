import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Topic } from '../events/topics';
import { badInput } from '../common/errors';
import type { RequestContext } from '../context';
import { IngestionMonitor, IngestResult, InstrumentQuote, PlatformConnection, QuoteUpdate } from './platform.types';

const MAX_BATCH = 5_000;

@Resolver()
export class PlatformResolver {
  @Query(() => [PlatformConnection], { description: "A brand's trading platforms with their connection state and lag" })
  platforms(
    @Arg('brandId', () => ID) brandId: string,
    @Ctx() { platforms }: RequestContext,
  ): Promise<PlatformConnection[]> {
    return platforms.list(brandId);
  }

  @Query(() => IngestionMonitor)
  ingestionMonitor(
    @Arg('platformId', () => ID) platformId: string,
    @Ctx() { platforms }: RequestContext,
  ): Promise<IngestionMonitor> {
    return platforms.monitor(platformId);
  }

  @Query(() => [InstrumentQuote], { description: "A platform's instruments with their latest quotes" })
  instruments(
    @Arg('platformId', () => ID) platformId: string,
    @Ctx() { platforms }: RequestContext,
  ): Promise<InstrumentQuote[]> {
    return platforms.instruments(platformId);
  }

  @Subscription(() => QuoteUpdate, {
    description: "A platform's quotes as they move (at most two messages a second)",
    topics: ({ args }: SubscribeResolverData<unknown, { platformId: string }>) => Topic.platformQuotes(args.platformId),
  })
  platformQuotes(@Arg('platformId', () => ID) _platformId: string, @Root() update: QuoteUpdate): QuoteUpdate {
    return update;
  }

  @Mutation(() => IngestResult, {
    description:
      'Accepts a batch of platform events (the golden event shape plus eventId and login). Idempotent by eventId; per-item errors.',
  })
  async ingestPlatformEvents(
    @Arg('platformId', () => ID) platformId: string,
    @Arg('events', () => [GraphQLJSONObject]) events: Record<string, unknown>[],
    @Ctx() { ingestion }: RequestContext,
  ): Promise<IngestResult> {
    if (events.length > MAX_BATCH)
      throw badInput([{ path: ['events'], message: `at most ${MAX_BATCH} events per batch` }]);
    return ingestion.ingest(platformId, events);
  }
}
