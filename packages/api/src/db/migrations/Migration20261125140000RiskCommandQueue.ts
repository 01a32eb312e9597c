import { Migration } from '@mikro-orm/migrations';

/**
 * The risk command queue takes its rows in bulk: one margin change queues a push for every account
 * of the groups (100,000 rows in one statement). Four foreign keys cost four index probes per row
 * — most of the commit time of a large change — for a queue whose rows are written from rows that
 * exist (in the same transaction) and are never the source of truth. Brands and platform accounts
 * are archived, not deleted, so nothing relied on the cascades.
 */
export class Migration20261125140000RiskCommandQueue extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE risk_command DROP CONSTRAINT IF EXISTS risk_command_brand_id_fkey;');
    this.addSql('ALTER TABLE risk_command DROP CONSTRAINT IF EXISTS risk_command_platform_id_fkey;');
    this.addSql('ALTER TABLE risk_command DROP CONSTRAINT IF EXISTS risk_command_platform_account_id_fkey;');
    this.addSql('ALTER TABLE risk_command DROP CONSTRAINT IF EXISTS risk_command_change_id_fkey;');
  }
}
