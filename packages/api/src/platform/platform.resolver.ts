import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Topic } from '../events/topics';
import { badInput } from '../common/errors';
import type { RequestContext } from '../context';
import {
  ConnectMt5PlatformInput,
  IngestionMonitor,
  IngestResult,
  InstrumentQuote,
  PlatformConnection,
  QuoteUpdate,
  UpdateMt5PlatformInput,
} from './platform.types';

/** GraphQL null means "not given" here; an empty CA certificate means "remove it". */
function given<T extends object>(input: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined) out[key] = value;
  if ('caCertificate' in out && out.caCertificate === '') out.caCertificate = null;
  return out;
}

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

  @Mutation(() => PlatformConnection, {
    description:
      'Connects a brand to its MT5 server; the credentials are checked against the server before anything is saved',
  })
  async connectMt5Platform(
    @Arg('input') input: ConnectMt5PlatformInput,
    @Ctx() { platforms, mt5Platforms }: RequestContext,
  ): Promise<PlatformConnection> {
    const { brandId, ...rest } = given(input) as { brandId: string };
    const id = await mt5Platforms.connect(brandId, rest as never);
    return platforms.one(id);
  }

  @Mutation(() => PlatformConnection, { description: 'Changes an MT5 connection; it reconnects with the new settings' })
  async updateMt5Platform(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateMt5PlatformInput,
    @Ctx() { platforms, mt5Platforms }: RequestContext,
  ): Promise<PlatformConnection> {
    await mt5Platforms.update(id, given(input) as never);
    return platforms.one(id);
  }

  @Mutation(() => IngestResult, {
    description:
      'Accepts a batch of platform events (the golden event shape plus eventId and login). Idempotent by eventId; per-item errors.',
  })
  async ingestPlatformEvents(
    @Arg('platformId', () => ID) platformId: string,
    @Arg('events', () => [GraphQLJSONObject]) events: Record<string, unknown>[],
    @Ctx() { ingestion, viewer, requestId, meta }: RequestContext,
  ): Promise<IngestResult> {
    if (events.length > MAX_BATCH)
      throw badInput([{ path: ['events'], message: `at most ${MAX_BATCH} events per batch` }]);
    return ingestion.ingest(platformId, events, { viewer, requestId, ip: meta.ip });
  }
}
