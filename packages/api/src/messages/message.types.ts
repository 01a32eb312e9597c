import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A message the product queued for sending (email, SMS or in-app).' })
export class OutboundMessageView {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  brandId!: string | null;

  @Field()
  channel!: string;

  @Field()
  recipient!: string;

  @Field()
  template!: string;

  @Field()
  locale!: string;

  @Field()
  subject!: string;

  @Field({ description: 'The rendered body; in development this is where verification and invite links are read' })
  body!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;
}
