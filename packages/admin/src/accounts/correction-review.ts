import { z } from 'zod';
import type { Translate } from '../i18n/LocaleProvider';
import { type Grant, rolesOn } from './staff-actions';

/** Staff's two answers to a correction that took away the pass of an account that had advanced. */
export const REVIEW_DECISIONS = ['KEEP_PASS', 'REVOKE_PASS'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The API's bounds on the reason (challenge/correction-review.ts): it checks them again. */
export const REVIEW_REASON_MIN = 3;
export const REVIEW_REASON_MAX = 500;

/** Who may resolve a review: the API's permission table (`resolveCorrectionReview`), repeated to hide the button. */
const RESOLVERS = ['OWNER', 'ADMIN', 'RISK_MANAGER'];
export const canResolveCorrectionReview = (grants: readonly Grant[], brandId: string) =>
  RESOLVERS.some((role) => rolesOn(grants, brandId).has(role));

export interface CorrectionReviewValues {
  decision: ReviewDecision | null;
  reason: string;
}

/** Form fields, which are also the input's field names (the API's field errors land on them). */
export const CORRECTION_REVIEW_FIELDS = ['decision', 'reason'] as const;

export const emptyCorrectionReviewForm = (): CorrectionReviewValues => ({ decision: null, reason: '' });

/** The browser's checks, the same as the API's: a decision, and a reason of 3 to 500 characters once trimmed. */
export function correctionReviewSchema(t: Translate) {
  const length = t('correctionReview.reasonLength', { min: REVIEW_REASON_MIN, max: REVIEW_REASON_MAX });
  return z.object({
    decision: z.enum(REVIEW_DECISIONS, { errorMap: () => ({ message: t('correctionReview.decisionRequired') }) }),
    reason: z.string().trim().min(REVIEW_REASON_MIN, length).max(REVIEW_REASON_MAX, length),
  });
}

/** The mutation's input: the reason trimmed. */
export function toCorrectionReviewInput(
  accountId: string,
  transitionId: string,
  values: CorrectionReviewValues & { decision: ReviewDecision },
) {
  return { accountId, transitionId, decision: values.decision, reason: values.reason.trim() };
}
