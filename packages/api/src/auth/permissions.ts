import type { StaffRole } from './auth.entity';

/**
 * The one permission table: every root operation (Query, Mutation, Subscription field) has an
 * explicit rule. An operation missing here is refused for everyone (fail closed) and fails the
 * schema test, so a new resolver cannot ship unguarded.
 *
 * - `public`: anyone, signed in or not (the short list the portal needs before sign-in).
 * - `signedIn`: any signed-in viewer.
 * - `staff`: staff holding one of these roles; with `brandArg`, on the brand named by that
 *   argument (an id of a brand they cannot see is NOT_FOUND, decided by the data layer).
 */
export type OperationRule = { public: true } | { signedIn: true } | { staff: readonly StaffRole[]; brandArg?: string };

const ALL_STAFF: readonly StaffRole[] = [
  'OWNER',
  'ADMIN',
  'RISK_MANAGER',
  'COMPLIANCE',
  'MARKETING',
  'SUPPORT',
  'READ_ONLY',
];
const BRAND_EDITORS: readonly StaffRole[] = ['OWNER', 'ADMIN', 'MARKETING'];

export const PERMISSIONS: Record<string, OperationRule> = {
  // Public: the portal's theme before first paint, and signing in.
  'Query.brandTheme': { public: true },
  'Subscription.brandThemeChanged': { public: true },
  'Query.me': { public: true },
  'Mutation.signIn': { public: true },
  'Query.supportedLocales': { public: true },

  'Mutation.signOut': { signedIn: true },

  'Query.brands': { staff: ALL_STAFF },
  'Query.brand': { staff: ALL_STAFF, brandArg: 'id' },
  'Mutation.createBrand': { staff: ['OWNER'] },
  'Mutation.updateBrand': { staff: BRAND_EDITORS, brandArg: 'id' },
  'Mutation.uploadBrandLogo': { staff: BRAND_EDITORS, brandArg: 'id' },
  'Mutation.archiveBrand': { staff: ['OWNER', 'ADMIN'], brandArg: 'id' },
  'Mutation.restoreBrand': { staff: ['OWNER', 'ADMIN'], brandArg: 'id' },
};
