import type { StaffRole } from './auth.entity';
import type { ApiScope } from './viewer';

/**
 * The one permission table: every root operation (Query, Mutation, Subscription field) has an
 * explicit rule. An operation missing here is refused for everyone (fail closed) and fails the
 * schema test, so a new resolver cannot ship unguarded.
 *
 * - `public`: anyone, signed in or not (the short list the portal needs before sign-in).
 * - `signedIn`: any signed-in viewer.
 * - `staff`: staff holding one of these roles; with `brand`, on the brand that argument names or
 *   owns (an id outside the viewer's brands is NOT_FOUND, decided by the data layer).
 * - `trader`: a signed-in trader may call it too; the service answers only with the trader's own
 *   data (and the brand check below applies to the trader's one brand).
 * - `scopes`: a partner API key holding any of these scopes may call it (on its one brand).
 */
export type OperationRule =
  | { public: true }
  | { signedIn: true }
  | { staff: readonly StaffRole[]; brand?: BrandOf; trader?: true; scopes?: readonly ApiScope[] };

/** Where the brand an operation acts on is found: an argument naming the brand or an object of it. */
export interface BrandOf {
  arg: string;
  /** What the argument's id names; the brand is looked up through the viewer's tenant scope. */
  via: 'brand' | 'plan' | 'planVersion' | 'platform' | 'challengeAccount';
  /** The argument may be left out: then only staff holding one of these roles on every brand may call it. */
  absent?: readonly StaffRole[];
}

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
const PLAN_DESIGNERS: readonly StaffRole[] = ['OWNER', 'ADMIN'];
const brandArg = (arg: string): BrandOf => ({ arg, via: 'brand' });
const planArg = (arg: string): BrandOf => ({ arg, via: 'plan' });
const platformArg = (arg: string): BrandOf => ({ arg, via: 'platform' });
const accountArg = (arg: string): BrandOf => ({ arg, via: 'challengeAccount' });
// What partners' API keys may call (on their own brand): see README "Partner API keys".
const ACCOUNTS_READ: readonly ApiScope[] = ['accounts:read'];
const PLANS_READ: readonly ApiScope[] = ['plans:read'];
const EVENTS_INGEST: readonly ApiScope[] = ['events:ingest'];
const KEY_MANAGERS: readonly StaffRole[] = ['OWNER', 'ADMIN'];
/** Who decides a challenge account's fate by hand (reinstate, pass, fail, close, reset). */
export const STAFF_DECIDERS: readonly StaffRole[] = ['OWNER', 'ADMIN', 'RISK_MANAGER'];
// Risk (issue 8): risk managers change it; read-only, compliance and support watch it; marketing sees nothing.
const RISK_WRITERS: readonly StaffRole[] = ['OWNER', 'ADMIN', 'RISK_MANAGER'];
const RISK_READERS: readonly StaffRole[] = [...RISK_WRITERS, 'READ_ONLY', 'COMPLIANCE', 'SUPPORT'];
const EXPOSURE_READ: readonly ApiScope[] = ['exposure:read'];

export const PERMISSIONS: Record<string, OperationRule> = {
  // Public: the portal's theme before first paint, and signing in.
  'Query.brandTheme': { public: true },
  'Subscription.brandThemeChanged': { public: true },
  'Query.me': { public: true },
  'Mutation.signIn': { public: true },
  'Query.supportedLocales': { public: true },

  // Traders on their brand's portal: signing up and in, links from their emails, their profile.
  'Query.traderMe': { public: true },
  'Mutation.traderSignUp': { public: true },
  'Mutation.traderSignIn': { public: true },
  'Mutation.traderSignOut': { public: true },
  'Mutation.verifyTraderEmail': { public: true },
  'Mutation.requestTraderPasswordReset': { public: true },
  'Mutation.resetTraderPassword': { public: true },
  'Mutation.resendTraderVerification': { staff: [], trader: true },
  'Mutation.updateMyProfile': { staff: [], trader: true },
  'Query.myChallengeAccounts': { staff: [], trader: true },

  'Mutation.signOut': { signedIn: true },

  // Staff security: one's own sessions and two-factor; owners manage staff. Invites and resets
  // arrive by emailed link, before any sign-in.
  'Query.mySessions': { staff: ALL_STAFF },
  'Mutation.revokeSession': { staff: ALL_STAFF },
  'Query.myTwoFactor': { staff: ALL_STAFF },
  'Mutation.beginTotpEnrollment': { staff: ALL_STAFF },
  'Mutation.confirmTotpEnrollment': { staff: ALL_STAFF },
  'Mutation.disableTotp': { staff: ALL_STAFF },
  'Mutation.regenerateRecoveryCodes': { staff: ALL_STAFF },
  'Query.staffSessions': { staff: ['OWNER'] },
  'Query.staffMembers': { staff: ['OWNER'] },
  'Mutation.inviteStaff': { staff: ['OWNER'] },
  'Mutation.setStaffGrants': { staff: ['OWNER'] },
  'Mutation.deactivateStaff': { staff: ['OWNER'] },
  'Mutation.acceptStaffInvite': { public: true },
  'Mutation.requestStaffPasswordReset': { public: true },
  'Mutation.resetStaffPassword': { public: true },

  'Query.brands': { staff: ALL_STAFF },
  'Query.brand': { staff: ALL_STAFF, brand: brandArg('id') },
  'Mutation.createBrand': { staff: ['OWNER'] },
  'Mutation.updateBrand': { staff: BRAND_EDITORS, brand: brandArg('id') },
  'Mutation.uploadBrandLogo': { staff: BRAND_EDITORS, brand: brandArg('id') },
  'Mutation.archiveBrand': { staff: ['OWNER', 'ADMIN'], brand: brandArg('id') },
  'Mutation.restoreBrand': { staff: ['OWNER', 'ADMIN'], brand: brandArg('id') },

  // Challenge designer.
  'Query.planPresets': { staff: ALL_STAFF, scopes: PLANS_READ },
  'Query.planCatalogue': { staff: ALL_STAFF, brand: brandArg('brandId'), scopes: PLANS_READ },
  'Query.plan': { staff: ALL_STAFF, brand: planArg('id'), scopes: PLANS_READ },
  'Query.planVersionDiff': { staff: ALL_STAFF, brand: { arg: 'fromVersionId', via: 'planVersion' } },
  'Query.publicCatalogue': { public: true },
  'Subscription.publicCatalogueChanged': { public: true },
  'Mutation.createPlan': { staff: PLAN_DESIGNERS, brand: brandArg('brandId') },
  'Mutation.createPlanFromPreset': { staff: PLAN_DESIGNERS, brand: brandArg('brandId') },
  'Mutation.updatePlan': { staff: PLAN_DESIGNERS, brand: planArg('id') },
  'Mutation.publishPlan': { staff: PLAN_DESIGNERS, brand: planArg('id') },
  'Mutation.archivePlan': { staff: PLAN_DESIGNERS, brand: planArg('id') },
  'Mutation.restorePlan': { staff: PLAN_DESIGNERS, brand: planArg('id') },
  'Mutation.reorderPlans': { staff: PLAN_DESIGNERS, brand: brandArg('brandId') },
  'Mutation.reorderPhases': { staff: PLAN_DESIGNERS, brand: planArg('planId') },
  'Subscription.planOrderChanged': { staff: ALL_STAFF, brand: brandArg('brandId') },
  'Subscription.phaseOrderChanged': { staff: ALL_STAFF, brand: brandArg('brandId') },

  // Trading-platform bridge.
  'Query.platforms': { staff: ALL_STAFF, brand: brandArg('brandId') },
  'Query.ingestionMonitor': { staff: ['OWNER', 'ADMIN', 'RISK_MANAGER', 'SUPPORT'], brand: platformArg('platformId') },
  'Query.instruments': { staff: ALL_STAFF, brand: platformArg('platformId') },
  'Subscription.platformQuotes': { staff: ALL_STAFF, brand: platformArg('platformId') },
  'Mutation.connectMt5Platform': { staff: ['OWNER', 'ADMIN'], brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.updateMt5Platform': { staff: ['OWNER', 'ADMIN'], brand: platformArg('id') },
  'Mutation.ingestPlatformEvents': {
    staff: ['OWNER', 'ADMIN'],
    brand: platformArg('platformId'),
    scopes: EVENTS_INGEST,
  },

  // Challenge accounts and their live views; a trader sees only their own (the service checks the owner).
  'Query.challengeAccounts': { staff: ALL_STAFF, brand: brandArg('brandId'), scopes: ACCOUNTS_READ },
  'Query.challengeAccount': { staff: ALL_STAFF, brand: accountArg('id'), trader: true, scopes: ACCOUNTS_READ },
  'Query.challengeTimeline': {
    staff: ALL_STAFF,
    brand: accountArg('accountId'),
    trader: true,
    scopes: ACCOUNTS_READ,
  },
  'Query.equitySeries': { staff: ALL_STAFF, brand: accountArg('accountId'), trader: true, scopes: ACCOUNTS_READ },
  'Mutation.issueChallengeAccount': {
    staff: ['OWNER', 'ADMIN', 'SUPPORT'],
    brand: { arg: 'input.brandId', via: 'brand' },
  },
  'Mutation.approvePass': { staff: ['OWNER', 'ADMIN', 'RISK_MANAGER'], brand: accountArg('accountId') },
  'Mutation.rejectPass': { staff: ['OWNER', 'ADMIN', 'RISK_MANAGER'], brand: accountArg('accountId') },
  // Staff actions (challenge/staff-actions.ts). Support may extend a time limit (compensating an outage
  // is routine and ends or revives nothing); deciding an account's fate is for owners, admins and risk.
  'Mutation.extendChallengeTimeLimit': { staff: [...STAFF_DECIDERS, 'SUPPORT'], brand: accountArg('accountId') },
  'Mutation.reinstateChallengeAccount': { staff: STAFF_DECIDERS, brand: accountArg('accountId') },
  'Mutation.passChallengeAccount': { staff: STAFF_DECIDERS, brand: accountArg('accountId') },
  'Mutation.failChallengeAccount': { staff: STAFF_DECIDERS, brand: accountArg('accountId') },
  'Mutation.closeChallengeAccount': { staff: STAFF_DECIDERS, brand: accountArg('accountId') },
  'Mutation.resetChallengeAccount': { staff: STAFF_DECIDERS, brand: accountArg('accountId') },
  // A deal correction that took away the pass of an account that had advanced: keep the pass, or
  // revoke it (the next phase is failed by the staff FAIL action). challenge/correction-review.ts.
  'Mutation.resolveCorrectionReview': { staff: STAFF_DECIDERS, brand: accountArg('input.accountId') },
  'Subscription.challengeStatus': {
    staff: ALL_STAFF,
    brand: accountArg('accountId'),
    trader: true,
    scopes: ACCOUNTS_READ,
  },
  'Subscription.accountMetrics': {
    staff: ALL_STAFF,
    brand: accountArg('accountId'),
    trader: true,
    scopes: ACCOUNTS_READ,
  },
  'Subscription.challengeEvents': { staff: ALL_STAFF, brand: brandArg('brandId'), scopes: ACCOUNTS_READ },

  // Risk: groups, assignment, exposure, margin changes. Operations addressed by a group or change id
  // check the writer role on that object's brand in RiskService. Firm-wide exposure (no brandId):
  // staff holding a risk reader role on every brand.
  'Query.riskGroups': { staff: RISK_READERS, brand: brandArg('brandId') },
  'Mutation.createRiskGroup': { staff: RISK_WRITERS, brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.updateRiskGroup': { staff: RISK_WRITERS },
  'Mutation.deleteRiskGroup': { staff: RISK_WRITERS },
  'Mutation.assignRiskGroup': { staff: RISK_WRITERS },
  'Query.riskAccounts': { staff: RISK_READERS, brand: brandArg('brandId') },
  'Query.exposure': {
    staff: RISK_READERS,
    brand: { arg: 'filter.brandId', via: 'brand', absent: RISK_READERS },
    scopes: EXPOSURE_READ,
  },
  'Subscription.exposureChanged': {
    staff: RISK_READERS,
    brand: { arg: 'filter.brandId', via: 'brand', absent: RISK_READERS },
    scopes: EXPOSURE_READ,
  },
  'Query.previewMarginChange': { staff: RISK_WRITERS, brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.applyMarginChange': { staff: RISK_WRITERS, brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.rollbackMarginChange': { staff: RISK_WRITERS },
  'Query.marginChange': { staff: RISK_READERS },
  'Query.marginChanges': { staff: RISK_READERS, brand: brandArg('brandId') },
  'Subscription.marginChangeProgress': { staff: RISK_READERS },
  // Behaviour-based assignment rules; update/delete are addressed by rule id (writer role checked in the service).
  'Query.assignmentRules': { staff: RISK_READERS, brand: brandArg('brandId') },
  'Mutation.createAssignmentRule': { staff: RISK_WRITERS, brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.updateAssignmentRule': { staff: RISK_WRITERS },
  'Mutation.deleteAssignmentRule': { staff: RISK_WRITERS },
  'Query.previewAssignmentRules': { staff: RISK_READERS, brand: brandArg('brandId') },
  'Mutation.runAssignmentRules': { staff: RISK_WRITERS, brand: brandArg('brandId') },
  'Query.hedges': { staff: RISK_READERS, brand: brandArg('brandId') },

  // Partner API keys: OWNER/ADMIN of the brand (revokeApiKey checks the key's brand in its service).
  'Query.apiKeys': { staff: KEY_MANAGERS, brand: brandArg('brandId') },
  'Mutation.createApiKey': { staff: KEY_MANAGERS, brand: { arg: 'input.brandId', via: 'brand' } },
  'Mutation.revokeApiKey': { staff: KEY_MANAGERS },

  // Message outbox (development view).
  // Without a brand: the messages of no brand (staff invites, resets), for owners only.
  'Query.outbox': { staff: ['OWNER', 'ADMIN', 'SUPPORT'], brand: { arg: 'brandId', via: 'brand', absent: ['OWNER'] } },

  // Audit trail.
  'Query.auditTrail': { staff: ['OWNER', 'ADMIN', 'COMPLIANCE'], brand: { arg: 'filter.brandId', via: 'brand' } },
  'Query.auditTrailCsv': { staff: ['OWNER', 'ADMIN', 'COMPLIANCE'], brand: { arg: 'filter.brandId', via: 'brand' } },
  'Query.staffAuditTrail': { staff: ['OWNER'] },
  'Query.staffAuditTrailCsv': { staff: ['OWNER'] },
};
