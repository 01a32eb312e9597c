import { Migration } from '@mikro-orm/migrations';

/** Brands with their host names, staff users with per-brand grants, and staff sessions. */
export class Migration20261125000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE brand (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        logo_url text NULL,
        colors jsonb NOT NULL,
        locales text[] NOT NULL,
        default_locale text NOT NULL,
        currency char(3) NOT NULL,
        time_zone text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ARCHIVED')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (default_locale = ANY (locales))
      );`);
    this.addSql(`
      CREATE TABLE brand_host (
        host text PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE
      );`);
    this.addSql('CREATE INDEX brand_host_brand_id_idx ON brand_host (brand_id);');
    this.addSql(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE staff_grant (
        id uuid PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
        brand_id uuid NULL REFERENCES brand (id) ON DELETE CASCADE,
        role text NOT NULL
      );`);
    this.addSql('CREATE INDEX staff_grant_staff_id_idx ON staff_grant (staff_id);');
    this.addSql(`
      CREATE TABLE staff_session (
        id uuid PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        staff_id uuid NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        user_agent text NULL,
        ip text NULL
      );`);
    this.addSql('CREATE INDEX staff_session_staff_id_idx ON staff_session (staff_id);');
  }
}
