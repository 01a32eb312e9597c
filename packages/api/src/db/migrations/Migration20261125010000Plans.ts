import { Migration } from '@mikro-orm/migrations';

/** Plans, their immutable published versions and drafts, and each brand's catalogue order revision. */
export class Migration20261125010000Plans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE plan_catalogue (
        brand_id uuid PRIMARY KEY REFERENCES brand (id) ON DELETE CASCADE,
        revision integer NOT NULL DEFAULT 0
      );`);
    this.addSql(`
      CREATE TABLE plan (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        position integer NOT NULL,
        archived boolean NOT NULL DEFAULT false,
        phase_order_revision integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );`);
    this.addSql('CREATE INDEX plan_brand_position_idx ON plan (brand_id, position);');
    this.addSql(`
      CREATE TABLE plan_version (
        id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand (id) ON DELETE CASCADE,
        number integer NOT NULL,
        status text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
        content jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        published_at timestamptz NULL,
        UNIQUE (plan_id, number)
      );`);
    this.addSql("CREATE UNIQUE INDEX plan_version_one_draft ON plan_version (plan_id) WHERE status = 'DRAFT';");
    this.addSql("CREATE UNIQUE INDEX plan_version_one_published ON plan_version (plan_id) WHERE status = 'PUBLISHED';");
  }
}
