import {
  canResolveCorrectionReview,
  correctionReviewSchema,
  emptyCorrectionReviewForm,
  toCorrectionReviewInput,
} from './correction-review';

const t = (id: string) => id;
const ATLAS = 'brand-atlas';

describe('resolving a correction review', () => {
  it('is offered to owners, admins and risk managers of the brand only', () => {
    for (const role of ['OWNER', 'ADMIN', 'RISK_MANAGER']) {
      expect(canResolveCorrectionReview([{ brandId: ATLAS, role }], ATLAS)).toBe(true);
    }
    for (const role of ['READ_ONLY', 'SUPPORT', 'COMPLIANCE', 'MARKETING']) {
      expect(canResolveCorrectionReview([{ brandId: ATLAS, role }], ATLAS)).toBe(false);
    }
    expect(canResolveCorrectionReview([{ brandId: 'brand-sahara', role: 'ADMIN' }], ATLAS)).toBe(false);
    expect(canResolveCorrectionReview([{ brandId: null, role: 'OWNER' }], ATLAS)).toBe(true);
  });

  const issues = (values: unknown) => {
    const parsed = correctionReviewSchema(t as never).safeParse(values);
    return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
  };

  it('needs a decision and a reason of 3 to 500 characters, trimmed', () => {
    expect(issues(emptyCorrectionReviewForm())).toEqual({
      decision: 'correctionReview.decisionRequired',
      reason: 'correctionReview.reasonLength',
    });
    expect(issues({ decision: 'KEEP_PASS', reason: '  ab  ' })).toEqual({ reason: 'correctionReview.reasonLength' });
    expect(issues({ decision: 'REVOKE_PASS', reason: 'x'.repeat(501) })).toEqual({
      reason: 'correctionReview.reasonLength',
    });
    expect(issues({ decision: 'REVOKE_PASS', reason: ' Target unmet ' })).toEqual({});
  });

  it('sends the reason trimmed, with the account and the correction', () => {
    expect(toCorrectionReviewInput('a1', 'tr1', { decision: 'KEEP_PASS', reason: '  Platform error  ' })).toEqual({
      accountId: 'a1',
      transitionId: 'tr1',
      decision: 'KEEP_PASS',
      reason: 'Platform error',
    });
  });
});
