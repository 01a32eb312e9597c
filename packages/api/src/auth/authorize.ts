import type { EntityManager } from '@mikro-orm/postgresql';
import type { MiddlewareFn } from 'type-graphql';
import { Brand } from '../brands/brand.entity';
import { isUuid } from '../common/ids';
import { brandScopedSql } from '../db/scoped-sql';
import { AppError, forbidden, notFound, unauthenticated } from '../common/errors';
import type { RequestContext } from '../context';
import { Plan, PlanVersion } from '../plans/plan.entity';
import { PlatformConnectionRow } from '../platform/platform.entity';
import { type BrandOf, PERMISSIONS } from './permissions';
import type { Viewer } from './viewer';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
/** What an OWNER without two-factor may call: enough to enroll, nothing else. */
export const ENROLLMENT_OPERATIONS = new Set([
  'Query.me',
  'Mutation.signOut',
  'Mutation.beginTotpEnrollment',
  'Mutation.confirmTotpEnrollment',
]);
const NOT_FOUND_NAMES: Record<BrandOf['via'], string> = {
  brand: 'Brand',
  plan: 'Plan',
  planVersion: 'Plan version',
  platform: 'Platform',
  challengeAccount: 'Account',
};

/**
 * Finds the brand an operation acts on, through the viewer's tenant-scoped EntityManager: an id
 * the viewer may not see resolves to nothing, which the caller answers as NOT_FOUND.
 */
export async function brandOf(em: EntityManager, target: BrandOf, id: string): Promise<string | null | undefined> {
  switch (target.via) {
    case 'brand':
      return (await em.findOne(Brand, { id }, { fields: ['id'] }))?.id ?? null;
    case 'plan':
      return (await em.findOne(Plan, { id }, { fields: ['brandId'] }))?.brandId ?? null;
    case 'planVersion':
      return (await em.findOne(PlanVersion, { id }, { fields: ['brandId'] }))?.brandId ?? null;
    case 'platform':
      return (await em.findOne(PlatformConnectionRow, { id }, { fields: ['brandId'] }))?.brandId ?? null;
    case 'challengeAccount': {
      // Found only among the viewer's brands: the tenant scope decides which brand ids may be read.
      const visible = (await em.find(Brand, {}, { fields: ['id'] })).map((b) => b.id);
      if (visible.length === 0) return null;
      const [row] = await brandScopedSql<{ brand_id: string }>(
        em,
        visible,
        'SELECT brand_id FROM challenge_account WHERE id = ? AND brand_id = ANY(?::uuid[])',
        [id, `{${visible.join(',')}}`],
      );
      return row?.brand_id ?? null;
    }
  }
}

/**
 * Decides whether `viewer` may call root operation `operation` (e.g. "Mutation.updateBrand") with
 * these arguments. Throws the typed error a client sees; returns when allowed.
 */
export async function authorize(
  viewer: Viewer,
  operation: string,
  args: Record<string, unknown>,
  em: EntityManager,
): Promise<void> {
  const rule = PERMISSIONS[operation];
  if (!rule) throw new AppError('FORBIDDEN', `${operation} has no permission rule`);
  if ('public' in rule) return;
  if (viewer.kind === 'system') return;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (viewer.kind === 'staff' && viewer.totpEnrollmentRequired && !ENROLLMENT_OPERATIONS.has(operation)) {
    throw new AppError('TOTP_ENROLLMENT_REQUIRED', 'Owners must turn on two-factor sign-in before anything else');
  }
  if ('signedIn' in rule) return;
  if (viewer.kind === 'trader' && !rule.trader) throw forbidden();
  if (viewer.kind === 'apiKey' && !rule.scopes?.some((scope) => viewer.scopes.includes(scope))) throw forbidden();

  const roles = new Set(rule.staff);
  if (!rule.brand) {
    if (viewer.kind === 'staff' && !viewer.grants.some((g) => roles.has(g.role))) throw forbidden();
    return;
  }
  const id = rule.brand.arg
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], args);
  if (id == null && rule.brand.absent) {
    // Without the brand argument the operation is about no brand: every-brand roles only.
    const absentRoles = new Set(rule.brand.absent);
    if (viewer.kind === 'staff' && viewer.grants.some((g) => g.brandId === null && absentRoles.has(g.role))) return;
    throw forbidden();
  }
  const brandId = isUuid(id) ? await brandOf(em, rule.brand, id) : null;
  // Existence is not revealed: an object of a brand the viewer cannot see is simply not found.
  if (!brandId) throw notFound(NOT_FOUND_NAMES[rule.brand.via]);
  // Traders and API keys hold one brand; their tenant scope already limits brandOf to it.
  if (viewer.kind !== 'staff') return;
  const onBrand = viewer.grants.filter((g) => g.brandId === null || g.brandId === brandId);
  if (onBrand.length === 0) throw notFound('Brand');
  if (!onBrand.some((g) => roles.has(g.role))) throw forbidden();
}

/** Checks every root field as it resolves, so authorisation is per field, not per request. */
export const authorizeRootFields: MiddlewareFn<RequestContext> = async ({ info, args, context }, next) => {
  if (ROOT_TYPES.has(info.parentType.name)) {
    await authorize(context.viewer, `${info.parentType.name}.${info.fieldName}`, args, context.em);
  }
  return next();
};
