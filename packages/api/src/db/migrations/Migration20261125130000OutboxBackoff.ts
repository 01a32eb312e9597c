import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox retries back off: a row whose handler failed (a platform that is down) waits before its
 * next attempt instead of being retried at once on every pass, where a backlog of failing commands
 * held back every notification behind it.
 */
export class Migration20261125130000OutboxBackoff extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz NULL;');
  }
}
