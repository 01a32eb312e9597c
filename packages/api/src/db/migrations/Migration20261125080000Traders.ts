import { Migration } from '@mikro-orm/migrations';

/**
 * Traders sign in on their brand's portal: a password (argon2id), a verified email, a lockout after
 * repeated failures kept in the row itself (so every API process sees it), their sessions, and
 * one-time tokens (email verification, password reset) stored only as SHA-256 hashes.
 */
export class Migration20261125080000Traders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE trader
        ADD COLUMN password_hash text NULL,
        ADD COLUMN email_verified_at timestamptz NULL,
        ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
        ADD COLUMN failed_since timestamptz NULL,
        ADD COLUMN locked_until timestamptz NULL,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();`);
    this.addSql(`
      CREATE TABLE trader_session (
        id uuid PRIMARY KEY,
        trader_id uuid NOT NULL REFERENCES trader (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        user_agent text NULL,
        ip text NULL
      );`);
    this.addSql('CREATE INDEX trader_session_trader_idx ON trader_session (trader_id) WHERE revoked_at IS NULL;');
    this.addSql(`
      CREATE TABLE trader_token (
        id uuid PRIMARY KEY,
        trader_id uuid NOT NULL REFERENCES trader (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      );`);
    this.addSql('CREATE INDEX trader_token_trader_idx ON trader_token (trader_id, purpose, created_at DESC);');
  }
}
