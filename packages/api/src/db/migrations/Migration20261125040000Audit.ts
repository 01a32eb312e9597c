import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: every admin change with who, when, what, before and after. Append-only in the
 * database itself: triggers refuse UPDATE, DELETE and TRUNCATE, because privileges alone do not
 * bind the superuser that the embedded database and CI connect as.
 */
export class Migration20261125040000Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        brand_id uuid NULL,
        actor_kind text NOT NULL,
        actor_id text NULL,
        actor_label text NULL,
        operation text NOT NULL,
        target_type text NOT NULL,
        target_id text NULL,
        changes jsonb NOT NULL DEFAULT '{}',
        request_id text NULL,
        ip text NULL
      );`);
    this.addSql('CREATE INDEX audit_entry_brand_at_idx ON audit_entry (brand_id, at DESC);');
    this.addSql('CREATE INDEX audit_entry_target_idx ON audit_entry (target_type, target_id);');
    this.addSql(`
      CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP;
      END $$;`);
    this.addSql(`CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
                   FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();`);
    this.addSql(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
                   FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();`);
    this.addSql(`CREATE TRIGGER platform_event_no_truncate BEFORE TRUNCATE ON platform_event
                   FOR EACH STATEMENT EXECUTE FUNCTION platform_event_append_only();`);
  }
}
