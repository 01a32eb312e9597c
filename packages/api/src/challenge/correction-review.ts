import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, audit } from '../audit/audit';
import { Brand } from '../brands/brand.entity';
import { badInput, conflict, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import type { PlatformRegistry } from '../platform/registry';
import { ChallengeService } from './challenge.service';
import {
  CORRECTION_REVIEW_DECISIONS,
  type ChallengeTransition,
  type CorrectionReviewDecision,
  type ResolveCorrectionReviewInput,
} from './challenge.types';
import type { StaffActionOutcome, StaffActionService } from './staff-actions';

export const REVIEW_REASON_MIN = 3;
export const REVIEW_REASON_MAX = 500;

/**
 * Staff resolve a deal correction that took away the pass of an account that had already advanced
 * (the engine runner left the pass standing and flagged the correction `reviewRequired`). Once per
 * correction, in one transaction with its audit entry:
 * - KEEP_PASS records the decision; nothing else changes.
 * - REVOKE_PASS records it and fails the account the pass led to (the current next-phase or funded
 *   account, while it is ACTIVE or FUNDED) by the staff FAIL action, with the reason: journalled as
 *   a staff event, audited, trading stopped through the outbox like any manual fail.
 */
export class CorrectionReviewService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: PlatformRegistry,
    private readonly staffActions: StaffActionService,
    private readonly actor: AuditActor,
  ) {}

  async resolve(input: ResolveCorrectionReviewInput): Promise<ChallengeTransition> {
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < REVIEW_REASON_MIN || reason.length > REVIEW_REASON_MAX) {
      throw badInput([
        {
          path: ['input', 'reason'],
          message: `give a reason of ${REVIEW_REASON_MIN} to ${REVIEW_REASON_MAX} characters: the audit trail keeps it`,
        },
      ]);
    }
    const decision: CorrectionReviewDecision = input.decision;
    if (!CORRECTION_REVIEW_DECISIONS.includes(decision)) {
      throw badInput([{ path: ['input', 'decision'], message: 'KEEP_PASS or REVOKE_PASS' }]);
    }
    const { accountId, transitionId } = input;
    if (!isUuid(accountId)) throw notFound('Account');
    const brandIds = (await this.em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
    if (brandIds.length === 0) throw notFound('Account');

    const failed = await this.em.transactional(async (em) => {
      const [account] = await brandScopedSql<{ brand_id: string }>(
        em,
        brandIds,
        'SELECT brand_id FROM challenge_account WHERE id = ? AND brand_id = ANY(?::uuid[])',
        [accountId, `{${brandIds.join(',')}}`],
      );
      if (!account) throw notFound('Account');
      const brandId = account.brand_id;
      // The account the pass led to, if it still trades; both rows are locked in id order (as the
      // engine locks accounts), so concurrent resolutions of one correction run one after the other.
      const next = decision === 'REVOKE_PASS' ? await this.liveSuccessor(em, brandId, accountId) : null;
      await brandScopedSql(
        em,
        [brandId],
        'SELECT id FROM challenge_account WHERE id = ANY(?::uuid[]) AND brand_id = ? ORDER BY id FOR UPDATE',
        [`{${[accountId, ...(next ? [next] : [])].join(',')}}`, brandId],
      );

      const [correction] = isUuid(transitionId)
        ? await brandScopedSql<{ kind: string; detail: Record<string, unknown>; resolved: boolean }>(
            em,
            [brandId],
            `SELECT t.kind, t.detail, EXISTS (SELECT 1 FROM correction_review r WHERE r.transition_id = t.id) AS resolved
               FROM challenge_transition t WHERE t.id = ? AND t.account_id = ? AND t.brand_id = ?`,
            [transitionId, accountId, brandId],
          )
        : [];
      if (!correction) throw notFound('Timeline entry');
      if (correction.kind !== 'CORRECTION' || correction.detail.reviewRequired !== true) {
        throw conflict('Only a deal correction that needs review can be resolved');
      }
      if (correction.resolved) throw conflict('This correction has already been reviewed');

      // Re-read under the locks: the successor may have ended meanwhile.
      const target = next && (await this.liveSuccessor(em, brandId, accountId)) === next ? next : null;
      let staff: StaffActionOutcome | null = null;
      if (target) {
        staff = await this.staffActions.actWithin(em, {
          accountId: target,
          operation: 'FAIL',
          reason,
          // One fail per correction, whatever happens to this request.
          actionId: `correction-review:${transitionId}`,
        });
      }
      const viewer = this.actor.viewer;
      await brandScopedSql(
        em,
        [brandId],
        `INSERT INTO correction_review (transition_id, account_id, brand_id, decision, reason, actor_id, actor_label, failed_account_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          transitionId,
          accountId,
          brandId,
          decision,
          reason,
          viewer.kind === 'staff' ? viewer.staffId : null,
          viewer.kind === 'staff' ? viewer.email : null,
          target,
        ],
      );
      await audit(em, this.actor, {
        brandId,
        operation: 'resolveCorrectionReview',
        targetType: 'ChallengeAccount',
        targetId: accountId,
        before: { review: 'REQUIRED' },
        after: { review: 'RESOLVED', transitionId, decision, reason, failedAccountId: target },
      });
      return staff;
    });

    // The fail is applied by the engine once committed; wait for it, as a staff action does.
    if (failed) await this.staffActions.afterCommit(failed);
    const timeline = await new ChallengeService(this.em, this.registry, this.actor).transitions(accountId);
    return timeline.find((entry) => entry.id === transitionId)!;
  }

  /**
   * The newest account opened from this one's pass (its next phase, that phase's resets and the
   * phases after it) that is still ACTIVE or FUNDED; null when the trail has ended.
   */
  private async liveSuccessor(em: EntityManager, brandId: string, accountId: string): Promise<string | null> {
    const [row] = await brandScopedSql<{ id: string }>(
      em,
      [brandId],
      `WITH RECURSIVE trail AS (
         SELECT n.id, n.status, n.created_at FROM challenge_account n JOIN challenge_account c ON c.id = n.previous_account_id
          WHERE c.id = ? AND n.brand_id = ? AND n.phase_index > c.phase_index
         UNION ALL
         SELECT n.id, n.status, n.created_at FROM challenge_account n JOIN trail ON n.previous_account_id = trail.id
          WHERE n.brand_id = ?)
       SELECT id FROM trail WHERE status IN ('ACTIVE', 'FUNDED') ORDER BY created_at DESC LIMIT 1`,
      [accountId, brandId, brandId],
    );
    return row?.id ?? null;
  }
}
