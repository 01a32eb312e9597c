import { IsEmail, IsString, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';

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
}
