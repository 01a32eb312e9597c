import { Migration } from '@mikro-orm/migrations';

/**
 * Risk, part two (issue 8): behaviour-based assignment rules stored as data (per brand: metric,
 * window, comparison, threshold, minimum trades, target group and/or book), an index for the
 * deals of a brand by time (the rules read the journal's deals), and A-book hedges: one row per
 * client deal of an A-book account passed to the liquidity provider, with the provider's fill and
 * its difference to the client's fill.
 */
export class Migration20261125120000RiskRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE risk_assignment_rule (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        name text NOT NULL,
        metric text NOT NULL CHECK (metric IN ('WIN_RATE', 'TRADE_COUNT', 'AVG_HOLDING_SECONDS', 'PROFIT_FACTOR')),
        window_days integer NOT NULL CHECK (window_days BETWEEN 1 AND 365),
        comparison text NOT NULL CHECK (comparison IN ('GTE', 'GT', 'LTE', 'LT')),
        threshold numeric NOT NULL,
        min_trades integer NOT NULL DEFAULT 0 CHECK (min_trades >= 0),
        target_risk_group_id uuid NULL REFERENCES risk_group (id) ON DELETE CASCADE,
        target_book text NULL CHECK (target_book IN ('A', 'B')),
        priority integer NOT NULL DEFAULT 100,
        enabled boolean NOT NULL DEFAULT true,
        last_run_at timestamptz NULL,
        last_moved integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, name),
        CHECK (target_risk_group_id IS NOT NULL OR target_book IS NOT NULL)
      );`);
    this.addSql("CREATE INDEX platform_event_deal_brand_at_idx ON platform_event (brand_id, at) WHERE type = 'deal';");
    this.addSql(`
      CREATE TABLE risk_hedge (
        id bigserial PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        platform_id uuid NOT NULL,
        platform_account_id uuid NOT NULL REFERENCES platform_account (id) ON DELETE CASCADE,
        login text NOT NULL,
        event_seq bigint NOT NULL,
        deal_id text NOT NULL,
        position text NOT NULL,
        entry text NOT NULL CHECK (entry IN ('in', 'out')),
        symbol text NOT NULL,
        client_side text NOT NULL CHECK (client_side IN ('buy', 'sell')),
        hedge_side text NOT NULL CHECK (hedge_side IN ('buy', 'sell')),
        volume numeric NOT NULL,
        client_price numeric NOT NULL,
        hedge_price numeric NULL,
        slippage numeric NULL,
        slippage_value numeric NULL,
        provider text NOT NULL,
        status text NOT NULL CHECK (status IN ('FILLED', 'REJECTED')),
        error text NULL,
        latency_ms integer NULL,
        client_at timestamptz NOT NULL,
        hedged_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform_account_id, deal_id)
      );`);
    this.addSql('CREATE INDEX risk_hedge_brand_idx ON risk_hedge (brand_id, hedged_at DESC, id DESC);');
    this.addSql('ALTER TABLE risk_account ADD COLUMN hedged_seq bigint NOT NULL DEFAULT 0;');
  }

  override async down(): Promise<void> {
    this.addSql('ALTER TABLE risk_account DROP COLUMN hedged_seq;');
    this.addSql('DROP TABLE risk_hedge;');
    this.addSql('DROP INDEX platform_event_deal_brand_at_idx;');
    this.addSql('DROP TABLE risk_assignment_rule;');
  }
}
