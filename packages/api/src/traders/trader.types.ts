import { IsEmail, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsIanaTimeZone } from '../common/validators';

export const MIN_PASSWORD_LENGTH = 10;
const PASSWORD_MESSAGE = `must be at least ${MIN_PASSWORD_LENGTH} characters`;

@ObjectType({ description: 'The signed-in trader, with the language and time zone the portal uses for them.' })
export class TraderProfile {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field({ description: 'The brand the trader belongs to (a trader has exactly one)' })
  brandSlug!: string;

  @Field({ description: "The trader's language, or the brand's default language when they chose none" })
  locale!: string;

  @Field({ description: "The trader's IANA time zone, or the brand's when they chose none" })
  timeZone!: string;

  @Field({ description: 'Whether the trader confirmed their email; their accounts show only once they have' })
  emailVerified!: boolean;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class TraderAuthResult {
  @Field({
    description:
      'Bearer token for API clients and WebSocket connection parameters; browsers also get the bd_trader cookie.',
  })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => TraderProfile)
  trader!: TraderProfile;
}

@InputType()
export class TraderSignUpInput {
  @Field({ description: 'The brand whose portal the trader signs up on' })
  @IsString()
  @Length(1, 100)
  brandSlug!: string;

  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(320)
  email!: string;

  @Field()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: PASSWORD_MESSAGE })
  @MaxLength(200)
  password!: string;

  @Field()
  @IsString()
  @Length(1, 200, { message: 'enter your name' })
  name!: string;

  @Field(() => String, { nullable: true, description: "One of the brand's languages; the brand default when omitted" })
  @IsOptional()
  @IsString()
  locale?: string | null;

  @Field(() => String, { nullable: true, description: "IANA time zone; the brand's when omitted" })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string | null;
}

@InputType({ description: 'Profile changes; a field left out stays as it is.' })
export class UpdateMyProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'enter your name' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "One of the brand's languages" })
  @IsOptional()
  @IsString()
  locale?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone such as Europe/Prague' })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string | null;
}

/** Validates a new password on its own (reset), with the same rule as sign-up. */
export class NewPassword {
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: PASSWORD_MESSAGE })
  @MaxLength(200)
  newPassword!: string;

  constructor(value: string) {
    this.newPassword = value;
  }
}
