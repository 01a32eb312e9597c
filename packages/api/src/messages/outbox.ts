import type { EntityManager } from '@mikro-orm/postgresql';

export type MessageChannel = 'EMAIL' | 'SMS' | 'IN_APP';

export interface OutboundMessage {
  /** Null for messages outside any brand (staff invites). */
  brandId: string | null;
  channel: MessageChannel;
  recipient: string;
  /** What the message is, e.g. "trader.verify-email"; branded templates key on it later. */
  template: string;
  locale: string;
  subject: string;
  body: string;
}

/**
 * Queues a message with the EntityManager of the change that causes it, so that both commit or
 * neither does. Call it inside that change's transaction.
 */
export async function enqueueMessage(em: EntityManager, message: OutboundMessage): Promise<void> {
  await em.getConnection().execute(
    'INSERT INTO outbound_message (brand_id, channel, recipient, template, locale, subject, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [
      message.brandId,
      message.channel,
      message.recipient,
      message.template,
      message.locale,
      message.subject,
      message.body,
    ],
    'run',
    // Without the transaction context the insert would run on its own connection and commit alone.
    em.getTransactionContext(),
  );
}
