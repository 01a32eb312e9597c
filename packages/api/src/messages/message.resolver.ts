import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { forbidden } from '../common/errors';
import type { RequestContext } from '../context';
import { brandScopedSql } from '../db/scoped-sql';
import { OutboundMessageView } from './message.types';

@Resolver()
export class MessageResolver {
  @Query(() => [OutboundMessageView], {
    description:
      "A brand's outbox, newest first; without brandId, the messages of no brand (staff invites and password resets, owners only). Development only: there is no mail server here, so verification, reset and invite links are read from it.",
  })
  async outbox(
    @Arg('brandId', () => ID, { nullable: true }) brandId: string | null | undefined,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() { em, devTools }: RequestContext,
  ): Promise<OutboundMessageView[]> {
    if (!devTools) throw forbidden('The outbox is shown only in development');
    const columns = 'id, brand_id, channel, recipient, template, locale, subject, body, created_at, sent_at';
    const take = Math.min(Math.max(limit, 1), 200);
    // Messages of no brand are not brand-owned rows: the permission rule limits them to owners.
    const rows = brandId
      ? await brandScopedSql<Record<string, never>>(
          em,
          [brandId],
          `SELECT ${columns} FROM outbound_message WHERE brand_id = ? ORDER BY created_at DESC LIMIT ?`,
          [brandId, take],
        )
      : await em
          .getConnection()
          .execute<Record<string, never>[]>(
            `SELECT ${columns} FROM outbound_message WHERE brand_id IS NULL ORDER BY created_at DESC LIMIT ?`,
            [take],
          );
    return rows.map((r) => ({
      id: r.id,
      brandId: r.brand_id,
      channel: r.channel,
      recipient: r.recipient,
      template: r.template,
      locale: r.locale,
      subject: r.subject,
      body: r.body,
      createdAt: new Date(r.created_at),
      sentAt: r.sent_at ? new Date(r.sent_at) : null,
    }));
  }
}
