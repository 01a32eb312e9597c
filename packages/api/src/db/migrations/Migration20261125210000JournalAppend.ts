import { Migration } from '@mikro-orm/migrations';

/**
 * The journal takes every ingested event, so its per-row work bounds ingestion. Its foreign key to
 * the account ran a referential check per event (a fifth of a 500-event batch's insert time) for
 * what the append already guarantees: it locks each account row first and refuses an event for an
 * account it did not lock. What the key also gave, that an account with journalled events cannot
 * disappear, a trigger on the account keeps (accounts are archived, not deleted).
 */
export class Migration20261125210000JournalAppend extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE platform_event DROP CONSTRAINT IF EXISTS platform_event_account_id_fkey;');
    this.addSql(`
      CREATE OR REPLACE FUNCTION platform_account_keeps_journal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM platform_event WHERE account_id = OLD.id) THEN
          RAISE EXCEPTION 'platform account % has journalled events and cannot be deleted', OLD.id;
        END IF;
        RETURN OLD;
      END $$;`);
    this.addSql(`
      CREATE TRIGGER platform_account_no_delete_with_journal BEFORE DELETE ON platform_account
        FOR EACH ROW EXECUTE FUNCTION platform_account_keeps_journal();`);
  }
}
