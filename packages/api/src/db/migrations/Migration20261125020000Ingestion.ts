import { Migration } from '@mikro-orm/migrations';

/**
 * The trading-platform bridge: each brand's platform connections, the trading accounts they hold,
 * and the append-only journal of every accepted platform event with a per-account sequence.
 */
export class Migration20261125020000Ingestion extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE platform_connection (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('SIMULATOR', 'MT5')),
        name text NOT NULL,
        server text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}',
        last_event_at timestamptz NULL,
        last_received_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`
      CREATE TABLE platform_account (
        id uuid PRIMARY KEY,
        platform_id uuid NOT NULL REFERENCES platform_connection (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        login text NOT NULL,
        currency char(3) NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0,
        last_event_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform_id, login)
      );`);
    // The journal: append-only; (platform_id, event_id) is the idempotency key of ingestion.
    this.addSql(`
      CREATE TABLE platform_event (
        account_id uuid NOT NULL REFERENCES platform_account (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        platform_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, seq),
        UNIQUE (platform_id, event_id)
      );`);
    this.addSql(`
      CREATE OR REPLACE FUNCTION platform_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'platform_event is append-only (% refused)', TG_OP;
      END $$;`);
    this.addSql(`
      CREATE TRIGGER platform_event_no_update BEFORE UPDATE OR DELETE ON platform_event
        FOR EACH ROW EXECUTE FUNCTION platform_event_append_only();`);
    this.addSql(`
      CREATE TABLE platform_quote (
        platform_id uuid NOT NULL REFERENCES platform_connection (id) ON DELETE CASCADE,
        symbol text NOT NULL,
        bid numeric NOT NULL,
        ask numeric NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (platform_id, symbol)
      );`);
    this.addSql(`
      CREATE TABLE ingestion_rejection (
        id bigserial PRIMARY KEY,
        platform_id uuid NOT NULL REFERENCES platform_connection (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        event_id text NULL,
        code text NOT NULL,
        message text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX ingestion_rejection_platform_idx ON ingestion_rejection (platform_id, id DESC);');
  }
}
