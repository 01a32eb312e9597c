import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType({ description: 'A role held on one brand, or on every brand when brandId is null.' })
export class RoleGrant {
  @Field(() => ID, { nullable: true })
  brandId!: string | null;

  @Field()
  role!: string;
}

@ObjectType({ description: 'The signed-in staff member.' })
export class Me {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => [RoleGrant])
  grants!: RoleGrant[];

  @Field({
    description:
      'An OWNER without two-factor sign-in: until they enroll, only me, signOut and the TOTP enrollment work (TOTP_ENROLLMENT_REQUIRED).',
  })
  totpEnrollmentRequired!: boolean;
}

@ObjectType()
export class SignInResult {
  @Field({
    description:
      'Bearer token for API clients and WebSocket connection parameters; browsers also get an httpOnly cookie.',
  })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => Me)
  me!: Me;
}

@InputType()
export class SignInInput {
  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @Field()
  @IsString()
  @Length(1, 200)
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The six-digit code of an authenticator app, for staff with two-factor on (else TOTP_REQUIRED).',
  })
  @IsOptional()
  @IsString()
  @Length(6, 12)
  totpCode?: string | null;

  @Field(() => String, { nullable: true, description: 'A one-time recovery code instead of totpCode.' })
  @IsOptional()
  @IsString()
  @Length(8, 40)
  recoveryCode?: string | null;
}

@ObjectType({ description: 'An open staff session (not revoked, not expired).' })
export class StaffSessionView {
  @Field(() => ID)
  id!: string;

  @Field()
  createdAt!: Date;

  @Field()
  expiresAt!: Date;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field({ description: 'The session this request is made with.' })
  current!: boolean;
}

@ObjectType({ description: "The signed-in member's two-factor sign-in." })
export class TwoFactorStatus {
  @Field()
  enabled!: boolean;

  @Field(() => Date, { nullable: true })
  enabledAt!: Date | null;

  @Field(() => Int, { description: 'Recovery codes not used yet.' })
  recoveryCodesLeft!: number;
}

@ObjectType({ description: 'A TOTP secret to add to an authenticator app; confirmed with a code from it.' })
export class TotpEnrollment {
  @Field({ description: 'Base32, for typing into an app by hand.' })
  secret!: string;

  @Field({ description: 'otpauth:// URI, shown as a QR code.' })
  otpauthUri!: string;
}

export enum StaffStatus {
  INVITED = 'INVITED',
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(StaffStatus, {
  name: 'StaffStatus',
  description: 'INVITED: has not accepted the invite yet (no password).',
});

@ObjectType({ description: 'A back-office staff member.' })
export class StaffMember {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => StaffStatus)
  status!: StaffStatus;

  @Field()
  totpEnabled!: boolean;

  @Field(() => [RoleGrant])
  grants!: RoleGrant[];

  @Field()
  createdAt!: Date;
}

@InputType({ description: 'A role on one brand; brandId null grants it on every brand.' })
export class RoleGrantInput {
  @Field(() => ID, { nullable: true })
  brandId!: string | null;

  @Field()
  role!: string;
}

@InputType()
export class InviteStaffInput {
  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => [RoleGrantInput])
  grants!: RoleGrantInput[];
}
