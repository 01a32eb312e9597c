import { Migration } from '@mikro-orm/migrations';

/**
 * Challenge accounts and what the engine decides about them: traders (the access work adds their
 * sign-in), one account per phase with its rule set and engine snapshot, transitions recorded once
 * per journal position, and the outbox that carries their consequences after commit.
 */
export class Migration20261125030000Challenges extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE trader (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        time_zone text NULL,
        locale text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, email)
      );`);
    this.addSql(`
      CREATE TABLE challenge_account (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        trader_id uuid NOT NULL REFERENCES trader (id) ON DELETE CASCADE,
        plan_id uuid NOT NULL REFERENCES plan (id),
        plan_version_id uuid NOT NULL REFERENCES plan_version (id),
        phase_id text NOT NULL,
        phase_index integer NOT NULL,
        phase_name text NOT NULL,
        size_id text NOT NULL,
        currency char(3) NOT NULL,
        initial_balance numeric NOT NULL,
        platform_account_id uuid NOT NULL UNIQUE REFERENCES platform_account (id),
        login text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'BREACHED', 'PASSED', 'FUNDED', 'CLOSED')),
        review text NULL CHECK (review IN ('PENDING_REVIEW', 'AWAITING_TRADER', 'APPROVED', 'REJECTED')),
        rules jsonb NOT NULL,
        engine_state jsonb NULL,
        applied_seq bigint NOT NULL DEFAULT 0,
        metrics jsonb NULL,
        next_reset_at timestamptz NULL,
        -- After a soft breach the platform is close-only until this reset.
        soft_locked_until timestamptz NULL,
        -- Near-breach alerts: the phase's thresholds (% of a limit used) and those already raised today.
        warning_thresholds integer[] NOT NULL DEFAULT '{50,80,95}',
        warnings_raised jsonb NOT NULL DEFAULT '{}',
        ended_at timestamptz NULL,
        ended_rule text NULL,
        previous_account_id uuid NULL REFERENCES challenge_account (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX challenge_account_brand_status_idx ON challenge_account (brand_id, status);');
    this.addSql(`
      CREATE TABLE challenge_transition (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES challenge_account (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        kind text NOT NULL,
        rule text NULL,
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        detail jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, kind, seq)
      );`);
    this.addSql('CREATE INDEX challenge_transition_brand_idx ON challenge_transition (brand_id, created_at DESC);');
    this.addSql(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        brand_id uuid NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz NULL
      );`);
    this.addSql('CREATE INDEX outbox_pending_idx ON outbox (id) WHERE delivered_at IS NULL;');
  }
}
