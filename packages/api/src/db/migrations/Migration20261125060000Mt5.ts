import { Migration } from '@mikro-orm/migrations';

/**
 * The MT5 adapter's command journal (platform/mt5/journal.ts): MT5 has no idempotency key, so each
 * command is remembered by its client-supplied id before it is sent. `progress` and `result` can
 * hold a new trader's passwords, so they are stored sealed (common/secrets.ts), never as JSON.
 */
export class Migration20261125060000Mt5 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE platform_command (
        platform_id uuid NOT NULL REFERENCES platform_connection (id) ON DELETE CASCADE,
        command_id text NOT NULL,
        kind text NOT NULL,
        fingerprint text NOT NULL,
        tag text NOT NULL,
        state text NOT NULL CHECK (state IN ('PENDING', 'DONE', 'REJECTED')),
        started_at timestamptz NOT NULL,
        attempted_at timestamptz NOT NULL,
        progress_sealed text NOT NULL,
        result_sealed text NULL,
        rejection jsonb NULL,
        PRIMARY KEY (platform_id, command_id)
      );`);
    this.addSql(`CREATE INDEX platform_command_pending_idx ON platform_command (platform_id) WHERE state = 'PENDING';`);
  }
}
