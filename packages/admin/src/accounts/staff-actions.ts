import { z } from 'zod';
import type { Translate } from '../i18n/LocaleProvider';

/** Staff actions on a challenge account, in the order their buttons show. */
export const STAFF_ACTIONS = ['EXTEND', 'REINSTATE', 'PASS', 'FAIL', 'CLOSE', 'RESET'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];
export const isStaffAction = (value: string): value is StaffAction =>
  (STAFF_ACTIONS as readonly string[]).includes(value);

const DECIDERS = ['OWNER', 'ADMIN', 'RISK_MANAGER'];

/**
 * Who may call each action: the API's permission table (`auth/permissions.ts`), repeated so that a
 * button a role cannot use is not shown. Only a courtesy: the API refuses whatever the console shows.
 */
export const ACTION_ROLES: Record<StaffAction, readonly string[]> = {
  EXTEND: [...DECIDERS, 'SUPPORT'],
  REINSTATE: DECIDERS,
  PASS: DECIDERS,
  FAIL: DECIDERS,
  CLOSE: DECIDERS,
  RESET: DECIDERS,
};

/** The roles that may read a brand's audit trail, where the timeline finds who did what and why. */
const AUDIT_READERS = ['OWNER', 'ADMIN', 'COMPLIANCE'];

export interface Grant {
  brandId?: string | null;
  role: string;
}

/** The roles a staff member holds on a brand: grants for it, and firm-wide grants (no brand). */
export function rolesOn(grants: readonly Grant[], brandId: string): Set<string> {
  return new Set(grants.filter((g) => g.brandId == null || g.brandId === brandId).map((g) => g.role));
}

/**
 * The buttons to show: the actions that apply to the account now (the API's `availableStaffActions`,
 * whatever the role), kept only when one of the member's roles on the account's brand may call them.
 */
export function visibleStaffActions(
  available: readonly string[],
  grants: readonly Grant[],
  brandId: string,
): StaffAction[] {
  const roles = rolesOn(grants, brandId);
  const applies = new Set(available);
  return STAFF_ACTIONS.filter((action) => applies.has(action) && ACTION_ROLES[action].some((r) => roles.has(r)));
}

export const canReadAudit = (grants: readonly Grant[], brandId: string) =>
  AUDIT_READERS.some((role) => rolesOn(grants, brandId).has(role));

/** The API refuses these without a reason: the trader and the audit trail see it. */
export const NEEDS_REASON: ReadonlySet<StaffAction> = new Set(['REINSTATE', 'FAIL', 'CLOSE', 'RESET']);
export const REASON_MAX = 500;
export const DAYS_MAX = 365;

export interface StaffActionValues {
  reason: string;
  /** Only for EXTEND: as typed (a number input may hold '' while empty). */
  days: number | '';
}

/** Form fields, which are also the API's argument names (its field errors land on them). */
export const STAFF_ACTION_FIELDS = ['reason', 'days'] as const;

export const emptyStaffActionForm = (action: StaffAction): StaffActionValues => ({
  reason: '',
  days: action === 'EXTEND' ? 7 : '',
});

/** Quick checks in the browser, the same as the API's: it validates again and its field errors map back. */
export function staffActionSchema(t: Translate, action: StaffAction) {
  const text = z
    .string()
    .trim()
    .max(REASON_MAX, t('validation.tooLong', { max: REASON_MAX }));
  const reason = NEEDS_REASON.has(action) ? text.min(1, t('staffAction.reasonRequired')) : text;
  const daysMessage = t('staffAction.daysRange', { max: DAYS_MAX });
  const days =
    action === 'EXTEND'
      ? z.custom<number>((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= DAYS_MAX, daysMessage)
      : z.any();
  return z.object({ reason, days });
}

/** The mutation's variables: the reason trimmed (absent when optional and empty), days for EXTEND only. */
export function toStaffActionVariables(
  action: StaffAction,
  accountId: string,
  actionId: string,
  values: StaffActionValues,
): { accountId: string; actionId: string; reason?: string; days?: number } {
  const reason = values.reason.trim();
  return {
    accountId,
    actionId,
    ...(reason || NEEDS_REASON.has(action) ? { reason } : {}),
    ...(action === 'EXTEND' ? { days: Number(values.days) } : {}),
  };
}

/** A fresh idempotency key per dialog opening: a double click, or a retry after a lost answer, acts once. */
export function newActionId(): string {
  return globalThis.crypto.randomUUID();
}
