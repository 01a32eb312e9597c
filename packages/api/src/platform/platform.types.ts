import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "A brand's connection to a trading platform (the simulator or an MT5 server)." })
export class PlatformConnection {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  brandId!: string;

  @Field({ description: 'SIMULATOR or MT5' })
  kind!: string;

  @Field()
  name!: string;

  @Field({ description: 'The server name traders type into their terminal' })
  server!: string;

  @Field({ description: 'CONNECTED (driven by this process or reporting within a minute), IDLE or UNKNOWN' })
  status!: string;

  @Field(() => Date, { nullable: true, description: "The platform's time of the latest accepted event" })
  lastEventAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the latest batch arrived' })
  lastReceivedAt!: Date | null;

  @Field(() => Float, { nullable: true, description: "Seconds between the platform's clock and its latest event" })
  lagSeconds!: number | null;

  @Field(() => Date, { nullable: true, description: "The platform's own clock, when this process drives it" })
  platformTime!: Date | null;

  @Field(() => Int)
  accounts!: number;
}

@ObjectType()
export class IngestionRejection {
  @Field(() => String, { nullable: true })
  eventId!: string | null;

  @Field()
  code!: string;

  @Field()
  message!: string;

  @Field()
  at!: Date;
}

@ObjectType({ description: 'What ingestion did for one platform since this process started, and recent refusals.' })
export class IngestionMonitor {
  @Field(() => ID)
  platformId!: string;

  @Field(() => Float)
  eventsPerSecond!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  duplicates!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => Int, { description: 'Events in the journal for this platform' })
  journalled!: number;

  @Field(() => [IngestionRejection])
  recentRejections!: IngestionRejection[];
}

@ObjectType()
export class InstrumentQuote {
  @Field()
  symbol!: string;

  @Field()
  assetClass!: string;

  @Field(() => Float)
  contractSize!: number;

  @Field(() => Int)
  digits!: number;

  @Field()
  marginCurrency!: string;

  @Field()
  profitCurrency!: string;

  @Field(() => String, { nullable: true })
  bid!: string | null;

  @Field(() => String, { nullable: true })
  ask!: string | null;

  @Field(() => Date, { nullable: true })
  quotedAt!: Date | null;
}

@ObjectType()
export class LiveQuote {
  @Field()
  symbol!: string;

  @Field()
  bid!: string;

  @Field()
  ask!: string;

  @Field()
  at!: Date;
}

@ObjectType({ description: 'The latest quotes of the symbols that moved.' })
export class QuoteUpdate {
  @Field(() => ID)
  platformId!: string;

  @Field(() => [LiveQuote])
  quotes!: LiveQuote[];
}

@ObjectType({ description: 'The outcome of one ingested batch, item by item.' })
export class IngestResult {
  @Field(() => Int)
  received!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => [IngestDuplicate])
  duplicates!: IngestDuplicate[];

  @Field(() => [IngestItemError])
  rejected!: IngestItemError[];
}

@ObjectType()
export class IngestDuplicate {
  @Field(() => Int)
  index!: number;

  @Field()
  eventId!: string;
}

@ObjectType()
export class IngestItemError {
  @Field(() => Int)
  index!: number;

  @Field(() => String, { nullable: true })
  eventId!: string | null;

  @Field({ description: 'MALFORMED, UNKNOWN_ACCOUNT, FUTURE or OUT_OF_ORDER' })
  code!: string;

  @Field()
  message!: string;
}
