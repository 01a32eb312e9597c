import { Migration } from '@mikro-orm/migrations';

/**
 * Risk (issue 8): risk groups per brand, each platform account's group and book, "change margin
 * requirement" records, and the queue of risk commands to the platform (margin call, stop-out,
 * negative-balance correction, group/leverage pushes) written in the causing transaction and
 * delivered with retries, exactly once by command id.
 */
export class Migration20261125100000Risk extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE risk_group (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        name text NOT NULL,
        leverage jsonb NOT NULL,
        symbol_leverage jsonb NOT NULL DEFAULT '{}',
        margin_call_level numeric NOT NULL,
        stop_out_level numeric NOT NULL,
        hedging text NOT NULL CHECK (hedging IN ('HEDGING', 'NETTING')),
        book text NOT NULL CHECK (book IN ('A', 'B', 'BY_RULE')),
        negative_balance_protection boolean NOT NULL,
        platform_group text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, name)
      );`);
    this.addSql('CREATE UNIQUE INDEX risk_group_one_default ON risk_group (brand_id) WHERE is_default;');
    this.addSql(`
      CREATE TABLE risk_account (
        platform_account_id uuid PRIMARY KEY REFERENCES platform_account (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        risk_group_id uuid NOT NULL REFERENCES risk_group (id),
        book text NOT NULL DEFAULT 'B' CHECK (book IN ('A', 'B')),
        in_margin_call boolean NOT NULL DEFAULT false,
        margin_calls integer NOT NULL DEFAULT 0,
        assigned_by text NOT NULL DEFAULT 'DEFAULT',
        assigned_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX risk_account_group_idx ON risk_account (risk_group_id);');
    this.addSql(`
      CREATE TABLE risk_margin_change (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        input jsonb NOT NULL,
        groups_before jsonb NOT NULL,
        groups_after jsonb NOT NULL,
        rollback_of uuid NULL REFERENCES risk_margin_change (id),
        accounts integer NOT NULL,
        actor_label text NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX risk_margin_change_brand_idx ON risk_margin_change (brand_id, created_at DESC);');
    // Commands to the platform: PENDING → DONE, or RETRYING (unavailable; retried with back-off) or
    // FAILED (refused by the platform; reported, never dropped).
    this.addSql(`
      CREATE TABLE risk_command (
        id bigserial PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        platform_id uuid NOT NULL REFERENCES platform_connection (id) ON DELETE CASCADE,
        platform_account_id uuid NOT NULL REFERENCES platform_account (id) ON DELETE CASCADE,
        login text NOT NULL,
        command_id text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('SET_MODE', 'CLOSE_POSITION', 'CORRECTION', 'PUSH_ACCOUNT')),
        payload jsonb NOT NULL,
        change_id uuid NULL REFERENCES risk_margin_change (id),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RETRYING', 'DONE', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz NULL
      );`);
    this.addSql(
      "CREATE INDEX risk_command_due_idx ON risk_command (next_attempt_at, id) WHERE status IN ('PENDING', 'RETRYING');",
    );
    this.addSql(
      'CREATE INDEX risk_command_change_idx ON risk_command (change_id, status) WHERE change_id IS NOT NULL;',
    );
    // What the risk engine raised, for the margin-call history and the tests.
    this.addSql(`
      CREATE TABLE risk_event (
        id bigserial PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        platform_account_id uuid NOT NULL REFERENCES platform_account (id) ON DELETE CASCADE,
        kind text NOT NULL,
        detail jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX risk_event_account_idx ON risk_event (platform_account_id, id);');
  }
}
