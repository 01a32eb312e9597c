import type { EntityManager } from '@mikro-orm/postgresql';
import { TENANT_FILTER, type TenantScope } from './tenancy';

/**
 * The one way to run set-based raw SQL on brand-owned rows: the caller names the brands the
 * statement touches, and they must lie inside the EntityManager's tenant scope. The statement
 * itself must also restrict to those brands (it receives them as its first parameter's values).
 */
export async function brandScopedSql<T = Record<string, unknown>>(
  em: EntityManager,
  brandIds: string[],
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const scope = em.getFilterParams<TenantScope>(TENANT_FILTER);
  if (!scope || scope.brandIds === undefined) throw new Error('raw SQL without a tenant scope');
  const allowed = scope.brandIds;
  if (allowed !== null && brandIds.some((id) => !allowed.includes(id))) {
    throw new Error(`raw SQL outside the scope "${scope.reason}"`);
  }
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}
