import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AreSupportedLocales, IsIanaTimeZone, IsIsoCurrency, IsSupportedLocale } from '../common/validators';

export enum BrandStatus {
  ACTIVE = 'ACTIVE',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(BrandStatus, { name: 'BrandStatus' });

const HEX = /^#[0-9a-fA-F]{6}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const HOST =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

@ObjectType({ description: 'A brand colour palette; CSS hex colours.' })
export class BrandColors {
  @Field()
  primary!: string;

  @Field()
  accent!: string;
}

@ObjectType({ description: 'A brand as staff manage it.' })
export class Brand {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Unique, URL-safe; selects the brand in development (`?brand=slug`).' })
  slug!: string;

  @Field(() => String, { nullable: true })
  logoUrl!: string | null;

  @Field(() => BrandColors)
  colors!: BrandColors;

  @Field(() => [String], { description: 'Languages the portal offers, e.g. en, es, ar.' })
  locales!: string[];

  @Field()
  defaultLocale!: string;

  @Field({ description: 'ISO 4217 base currency.' })
  currency!: string;

  @Field({ description: 'IANA time zone, the default for day resets and times shown.' })
  timeZone!: string;

  @Field(() => [String], { description: 'Host names that select this brand in the client portal.' })
  hosts!: string[];

  @Field(() => BrandStatus)
  status!: BrandStatus;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'What the client portal needs to look and speak like a brand; public.' })
export class BrandTheme {
  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  logoUrl!: string | null;

  @Field(() => BrandColors)
  colors!: BrandColors;

  @Field(() => [String])
  locales!: string[];

  @Field()
  defaultLocale!: string;

  @Field()
  currency!: string;

  @Field()
  timeZone!: string;
}

@InputType()
export class BrandColorsInput {
  @Field()
  @Matches(HEX, { message: 'must be a colour like #1c7ed6' })
  primary!: string;

  @Field()
  @Matches(HEX, { message: 'must be a colour like #f59f00' })
  accent!: string;
}

@InputType()
export class CreateBrandInput {
  @Field()
  @IsString()
  @Length(1, 80, { message: 'must be 1 to 80 characters' })
  name!: string;

  @Field()
  @Matches(SLUG, { message: 'must be lower-case letters, digits and dashes (at most 40)' })
  slug!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^(https:\/\/|\/uploads\/)[^\s]{1,500}$/, { message: 'must be an https URL or an uploaded logo' })
  logoUrl?: string | null;

  @Field(() => BrandColorsInput)
  @ValidateNested()
  colors!: BrandColorsInput;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'needs at least one language' })
  @ArrayMaxSize(20)
  @AreSupportedLocales()
  locales!: string[];

  @Field()
  @IsSupportedLocale()
  defaultLocale!: string;

  @Field()
  @IsIsoCurrency()
  currency!: string;

  @Field()
  @IsIanaTimeZone()
  timeZone!: string;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(20)
  @Matches(HOST, { each: true, message: 'each host must be a host name like portal.example.com' })
  hosts!: string[];
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateBrandInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 80, { message: 'must be 1 to 80 characters' })
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(SLUG, { message: 'must be lower-case letters, digits and dashes (at most 40)' })
  slug?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^(https:\/\/|\/uploads\/)[^\s]{1,500}$/, { message: 'must be an https URL or an uploaded logo' })
  logoUrl?: string | null;

  @Field(() => BrandColorsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  colors?: BrandColorsInput;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1, { message: 'needs at least one language' })
  @ArrayMaxSize(20)
  @AreSupportedLocales()
  locales?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsSupportedLocale()
  defaultLocale?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsIsoCurrency()
  currency?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(HOST, { each: true, message: 'each host must be a host name like portal.example.com' })
  hosts?: string[];
}

@InputType({ description: 'A logo image sent inline (base64), at most 512 KiB.' })
export class LogoUploadInput {
  @Field({ description: 'image/png, image/jpeg, image/webp or image/svg+xml' })
  @Matches(/^image\/(png|jpeg|webp|svg\+xml)$/, { message: 'must be a PNG, JPEG, WebP or SVG image' })
  contentType!: string;

  @Field()
  @IsString()
  base64!: string;
}
