import type { ApolloCache } from '@apollo/client';
import { PlanCatalogueDocument } from '../gql/graphql';
import { sortByIds } from './reorder';

/** Puts a brand's cached catalogues (with and without archived plans) in a new order. */
export function writeCatalogueOrder(cache: ApolloCache, brandId: string, planIds: string[], revision: number) {
  for (const includeArchived of [false, true]) {
    cache.updateQuery({ query: PlanCatalogueDocument, variables: { brandId, includeArchived } }, (data) =>
      data && data.planCatalogue.revision <= revision
        ? {
            planCatalogue: {
              ...data.planCatalogue,
              revision,
              plans: sortByIds(data.planCatalogue.plans, planIds).map((plan, position) => ({ ...plan, position })),
            },
          }
        : data,
    );
  }
}

/** After a plan is created, archived or restored, the brand's cached catalogues are refetched when shown. */
export function forgetCatalogues(cache: ApolloCache) {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'planCatalogue' });
  cache.gc();
}

const LAST_BRAND = 'brokerdeck.admin.plans.brand';

export function lastPlansBrand(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_BRAND) ?? null;
  } catch {
    return null;
  }
}

export function rememberPlansBrand(brandId: string) {
  try {
    globalThis.localStorage?.setItem(LAST_BRAND, brandId);
  } catch {
    // Storage disabled: the Plans entry opens the first brand.
  }
}
