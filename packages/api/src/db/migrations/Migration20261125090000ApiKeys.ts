import { Migration } from '@mikro-orm/migrations';

/**
 * Partner API keys: one brand each, with scopes and a per-key rate. Only the SHA-256 of the key is
 * stored (the key is high-entropy, so a fast hash is enough); the prefix finds the row, the hash
 * proves the key. A revoked key keeps its row for the audit trail and the admin list.
 */
export class Migration20261125090000ApiKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[0-9a-f]{8}$'),
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        rate_per_minute integer NOT NULL CHECK (rate_per_minute > 0),
        created_by_id text NULL,
        created_by_label text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL
      );`);
    this.addSql('CREATE INDEX api_key_brand_idx ON api_key (brand_id, created_at DESC);');
  }
}
