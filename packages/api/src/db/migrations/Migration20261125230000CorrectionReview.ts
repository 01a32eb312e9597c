import { Migration } from '@mikro-orm/migrations';

/**
 * Staff's decision on a deal correction that took away the pass of an account that had already
 * advanced (a CORRECTION transition with `reviewRequired`): keep the pass, or revoke it (the
 * account the pass led to is failed by a staff action). One decision per correction: the primary
 * key is the transition, so a second submission finds the first.
 */
export class Migration20261125230000CorrectionReview extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE correction_review (
        transition_id uuid PRIMARY KEY REFERENCES challenge_transition (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES challenge_account (id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        decision text NOT NULL CHECK (decision IN ('KEEP_PASS', 'REVOKE_PASS')),
        reason text NOT NULL,
        actor_id uuid NULL,
        actor_label text NULL,
        -- REVOKE_PASS: the next-phase or funded account that was failed (none when it had already ended).
        failed_account_id uuid NULL REFERENCES challenge_account (id),
        resolved_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql('CREATE INDEX correction_review_account_idx ON correction_review (account_id);');
  }
}
