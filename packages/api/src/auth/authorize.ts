import type { MiddlewareFn } from 'type-graphql';
import { AppError, forbidden, notFound, unauthenticated } from '../common/errors';
import type { RequestContext } from '../context';
import { PERMISSIONS } from './permissions';
import type { Viewer } from './viewer';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Decides whether `viewer` may call root operation `operation` (e.g. "Mutation.updateBrand") with
 * these arguments. Throws the typed error a client sees; returns when allowed.
 */
export function authorize(viewer: Viewer, operation: string, args: Record<string, unknown>): void {
  const rule = PERMISSIONS[operation];
  if (!rule) throw new AppError('FORBIDDEN', `${operation} has no permission rule`);
  if ('public' in rule) return;
  if (viewer.kind === 'system') return;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if ('signedIn' in rule) return;

  const roles = new Set(rule.staff);
  if (viewer.kind !== 'staff') throw forbidden();
  const brandId = rule.brandArg ? args[rule.brandArg] : undefined;
  if (typeof brandId === 'string') {
    const onBrand = viewer.grants.filter((g) => g.brandId === null || g.brandId === brandId);
    // A brand the viewer has no grant on does not exist for them.
    if (onBrand.length === 0) throw notFound('Brand');
    if (!onBrand.some((g) => roles.has(g.role))) throw forbidden();
    return;
  }
  if (!viewer.grants.some((g) => roles.has(g.role))) throw forbidden();
}

/** Checks every root field as it resolves, so authorisation is per field, not per request. */
export const authorizeRootFields: MiddlewareFn<RequestContext> = async ({ info, args, context }, next) => {
  if (ROOT_TYPES.has(info.parentType.name)) {
    authorize(context.viewer, `${info.parentType.name}.${info.fieldName}`, args);
  }
  return next();
};
