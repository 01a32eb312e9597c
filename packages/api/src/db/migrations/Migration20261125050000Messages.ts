import { Migration } from '@mikro-orm/migrations';

/**
 * The message outbox: every email/SMS/in-app message the product sends is first a row here,
 * written in the transaction of the change that caused it (a sign-up, an invite, a breach), so
 * an acknowledged action never loses its message. Delivery marks `sent_at`.
 */
export class Migration20261125050000Messages extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE outbound_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NULL REFERENCES brand(id),
        channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'IN_APP')),
        recipient text NOT NULL,
        template text NOT NULL,
        locale text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      );`);
    this.addSql('CREATE INDEX outbound_message_brand_idx ON outbound_message (brand_id, created_at DESC);');
    this.addSql('CREATE INDEX outbound_message_unsent_idx ON outbound_message (created_at) WHERE sent_at IS NULL;');
  }
}
