import { Migration } from '@mikro-orm/migrations';

/**
 * Staff sign-in security and lifecycle:
 * - sign-in attempts and lockouts live in PostgreSQL, keyed by the email as typed (known or not,
 *   so a lockout reveals nothing) and by IP, so that several API processes share them;
 * - TOTP two-factor: the secret sealed with SecretBox, the last accepted time step (no replay),
 *   and one-time recovery codes stored as hashes;
 * - invites and password resets: one-time tokens stored as hashes; an invited member has no
 *   password until they accept.
 */
export class Migration20261125070000StaffSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE staff_user
        ALTER COLUMN password_hash DROP NOT NULL,
        ADD COLUMN totp_secret text NULL,
        ADD COLUMN totp_pending_secret text NULL,
        ADD COLUMN totp_enabled_at timestamptz NULL,
        ADD COLUMN totp_last_step bigint NULL,
        ADD COLUMN deactivated_at timestamptz NULL;`);
    this.addSql(`
      CREATE TABLE staff_login_attempt (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        ip text NULL,
        succeeded boolean NOT NULL,
        at timestamptz NOT NULL
      );`);
    this.addSql('CREATE INDEX staff_login_attempt_email_idx ON staff_login_attempt (email, at DESC);');
    this.addSql('CREATE INDEX staff_login_attempt_ip_idx ON staff_login_attempt (ip, at DESC) WHERE NOT succeeded;');
    this.addSql(`
      CREATE TABLE staff_login_lock (
        email text PRIMARY KEY,
        locked_at timestamptz NOT NULL,
        locked_until timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE staff_recovery_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz NULL,
        UNIQUE (staff_id, code_hash)
      );`);
    this.addSql(`
      CREATE TABLE staff_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('INVITE', 'RESET')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      );`);
    this.addSql('CREATE INDEX staff_token_staff_idx ON staff_token (staff_id, purpose);');
  }
}
