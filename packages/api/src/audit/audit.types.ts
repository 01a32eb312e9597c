import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One field changed by an audited operation.' })
export class AuditFieldChange {
  @Field()
  field!: string;

  @Field(() => String, { nullable: true, description: 'JSON of the value before' })
  before!: string | null;

  @Field(() => String, { nullable: true, description: 'JSON of the value after' })
  after!: string | null;
}

@ObjectType({ description: 'Who did what, when, to which object, with the fields before and after.' })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field(() => ID, { nullable: true })
  brandId!: string | null;

  @Field({ description: 'STAFF, TRADER, API_KEY or SYSTEM' })
  actorKind!: string;

  @Field(() => String, { nullable: true })
  actorId!: string | null;

  @Field(() => String, { nullable: true })
  actor!: string | null;

  @Field()
  operation!: string;

  @Field()
  targetType!: string;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => [AuditFieldChange])
  changes!: AuditFieldChange[];

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;
}

@InputType({ description: 'Filters of the staff and security trail (entries outside any brand)' })
export class StaffAuditFilter {
  @Field(() => String, { nullable: true, description: 'Actor email or id' })
  actor?: string | null;

  @Field(() => String, { nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  targetId?: string | null;

  @Field(() => String, { nullable: true })
  operation?: string | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;

  @Field(() => Int, { defaultValue: 200 })
  limit!: number;
}

@InputType()
export class AuditFilter extends StaffAuditFilter {
  @Field(() => ID)
  brandId!: string;
}
