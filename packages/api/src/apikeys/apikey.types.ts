import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { API_SCOPES } from '../auth/viewer';

export const DEFAULT_RATE_PER_MINUTE = 600;
export const MAX_RATE_PER_MINUTE = 100_000;

@ObjectType({ description: "A partner's API key as staff see it; the key itself is shown only once, when created." })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  brandId!: string;

  @Field()
  name!: string;

  @Field({ description: 'The public part of the key (`bdk_<prefix>_…`), to tell keys apart' })
  prefix!: string;

  @Field(() => [String], { description: `What the key may do: ${API_SCOPES.join(', ')}` })
  scopes!: string[];

  @Field(() => Int, { description: 'Requests a minute (token bucket: bursts up to this many, refilled continuously)' })
  ratePerMinute!: number;

  @Field(() => String, { nullable: true, description: 'Who created the key' })
  createdBy!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A new API key: `key` is shown this once and cannot be recovered' })
export class CreatedApiKey {
  @Field()
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  @IsUUID()
  brandId!: string;

  @Field()
  @IsString()
  @Length(1, 80)
  name!: string;

  @Field(() => [String], { description: `Any of ${API_SCOPES.join(', ')}` })
  @ArrayMinSize(1, { message: 'choose at least one scope' })
  @ArrayMaxSize(API_SCOPES.length)
  @IsIn(API_SCOPES, { each: true, message: `each scope must be one of ${API_SCOPES.join(', ')}` })
  scopes!: string[];

  @Field(() => Int, { nullable: true, description: `Default ${DEFAULT_RATE_PER_MINUTE}` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_PER_MINUTE)
  ratePerMinute?: number | null;
}
