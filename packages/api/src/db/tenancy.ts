import type { Dictionary, EntityManager } from '@mikro-orm/core';

/**
 * Brand isolation at the data layer. Every brand-owned entity declares the `tenant` filter
 * (see `tenantFilter`), which is on by default and needs parameters: an EntityManager that was
 * not scoped with `scopeToViewer` or `systemScope` throws on its first query instead of
 * silently returning every brand's rows.
 */
export const TENANT_FILTER = 'tenant';

export interface TenantScope {
  /** `null` means every brand: an owner, or system work that names its reason. */
  brandIds: string[] | null;
  reason: string;
}

/** Builds the filter for an entity whose brand is stored in `brandField` ('id' for Brand itself). */
export function tenantFilter(brandField: string) {
  return {
    name: TENANT_FILTER,
    default: true,
    cond: (args: Dictionary) => {
      const scope = args as Partial<TenantScope>;
      if (scope.brandIds === undefined) {
        throw new Error('Query without a tenant scope: fork the EntityManager through scopeToViewer or systemScope');
      }
      return scope.brandIds === null ? {} : { [brandField]: { $in: scope.brandIds } };
    },
  };
}

export function applyTenantScope<T extends EntityManager>(em: T, scope: TenantScope): T {
  em.setFilterParams(TENANT_FILTER, scope);
  return em;
}

/** A forked EntityManager for work without a viewer (engine, scheduler, seed, public lookups). */
export function systemScope<T extends EntityManager>(root: T, reason: string, brandIds: string[] | null = null): T {
  return applyTenantScope(root.fork({ clear: true }) as T, { brandIds, reason });
}
