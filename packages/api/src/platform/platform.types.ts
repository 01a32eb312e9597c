import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

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

  @Field({
    description:
      'CONNECTED (driven by this process or reporting within a minute), FAILING (its polls fail), IDLE or UNKNOWN',
  })
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

  @Field(() => Mt5ConnectionInfo, {
    nullable: true,
    description: 'How an MT5 connection is set up (never its password)',
  })
  mt5!: Mt5ConnectionInfo | null;

  @Field(() => Int, { nullable: true, description: 'Consecutive failed polls of an MT5 server (0: healthy)' })
  pollFailures!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the latest poll failed' })
  lastError!: string | null;
}

@ObjectType()
export class Mt5ConnectionInfo {
  @Field()
  url!: string;

  @Field()
  managerLogin!: string;

  @Field({ description: 'The MT5 group new challenge accounts are created in' })
  accountGroup!: string;

  @Field()
  hasCaCertificate!: boolean;

  @Field(() => GraphQLJSONObject, { description: 'Overrides of the unconfirmed Web API points (mt5/settings.ts)' })
  settings!: Record<string, unknown>;
}

@InputType({ description: "A brand's MT5 server, reached through the MT5 Manager Web API" })
export class ConnectMt5PlatformInput {
  @Field(() => ID)
  brandId!: string;

  @Field()
  name!: string;

  @Field({ description: 'https://host:port of the MT5 access server' })
  url!: string;

  @Field()
  managerLogin!: string;

  @Field({ description: 'Stored encrypted; never shown again' })
  password!: string;

  @Field(() => String, { nullable: true, description: 'Server name traders type in their terminal [the URL host]' })
  server?: string | null;

  @Field(() => String, { nullable: true, description: 'PEM of a private CA that signed the server certificate' })
  caCertificate?: string | null;

  @Field(() => String, { nullable: true, description: 'MT5 group for new challenge accounts [demo\\prop]' })
  accountGroup?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  settings?: Record<string, unknown> | null;
}

@InputType()
export class UpdateMt5PlatformInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  managerLogin?: string | null;

  @Field(() => String, { nullable: true, description: 'A new manager password; absent keeps the current one' })
  password?: string | null;

  @Field(() => String, { nullable: true })
  server?: string | null;

  @Field(() => String, { nullable: true, description: 'Empty string removes it' })
  caCertificate?: string | null;

  @Field(() => String, { nullable: true })
  accountGroup?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  settings?: Record<string, unknown> | null;
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
