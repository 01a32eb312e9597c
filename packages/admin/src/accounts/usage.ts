/** How close a limit is to its floor, as one scale for badges, bars and gauges. */
export type UsageLevel = 'none' | 'ok' | 'watch' | 'near' | 'breached';

/** Near breach: at most 20 % of the limit's room left, the API's own test. */
export const NEAR_BREACH_PCT = 80;

export function usageLevel(usedPct: number | null | undefined): UsageLevel {
  if (usedPct === null || usedPct === undefined || !Number.isFinite(usedPct)) return 'none';
  if (usedPct >= 100) return 'breached';
  if (usedPct >= NEAR_BREACH_PCT) return 'near';
  if (usedPct >= 50) return 'watch';
  return 'ok';
}

const COLORS: Record<UsageLevel, string> = {
  none: 'gray',
  ok: 'teal',
  watch: 'yellow',
  near: 'orange',
  breached: 'red',
};

/** usedPct → Mantine colour: teal below half, yellow to 80 %, orange to the floor, red through it. */
export const usageColor = (usedPct: number | null | undefined) => COLORS[usageLevel(usedPct)];

/** The bar's fill: 0–100 (a gain shows an empty bar, a breach a full one). */
export function barValue(pct: number | null | undefined): number {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return 0;
  return Math.min(100, Math.max(0, pct));
}

/** Account statuses the API uses; anything else shows as sent. */
export const ACCOUNT_STATUSES = ['ACTIVE', 'FUNDED', 'PASSED', 'BREACHED', 'CLOSED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const isAccountStatus = (value: string): value is AccountStatus =>
  (ACCOUNT_STATUSES as readonly string[]).includes(value);

const STATUS_COLORS: Record<AccountStatus, string> = {
  ACTIVE: 'blue',
  FUNDED: 'grape',
  PASSED: 'green',
  BREACHED: 'red',
  CLOSED: 'gray',
};
export const statusColor = (status: string) => (isAccountStatus(status) ? STATUS_COLORS[status] : 'gray');

/** Review states after a pass; anything else shows as sent. */
export const REVIEW_STATES = ['PENDING_REVIEW', 'AWAITING_TRADER', 'APPROVED', 'REJECTED'] as const;
export const isReviewState = (value: string | null | undefined): value is (typeof REVIEW_STATES)[number] =>
  (REVIEW_STATES as readonly (string | null | undefined)[]).includes(value);

const REJECTED_PREFIX = 'REVIEW_REJECTED:';

/** The reason staff gave when rejecting a pass (the API keeps it as the account's ended rule). */
export function rejectionReason(account: { review?: string | null; endedRule?: string | null }): string | null {
  if (account.review !== 'REJECTED' || !account.endedRule) return null;
  const rule = account.endedRule;
  return rule.startsWith(REJECTED_PREFIX) ? rule.slice(REJECTED_PREFIX.length).trim() : rule;
}

/** A pass waiting for staff: Approve and Reject apply. */
export const awaitsReview = (account: { status: string; review?: string | null }) =>
  account.status === 'PASSED' && account.review === 'PENDING_REVIEW';
