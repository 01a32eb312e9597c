import type { BrandThemeQueryVariables } from '../gql/graphql';

/**
 * Which brand this page belongs to: the host name it is served on, or `?brand=slug` (development and
 * previews, where every brand shares localhost).
 */
export function brandLookup(url: URL): BrandThemeQueryVariables {
  const slug = url.searchParams.get('brand')?.trim().toLowerCase();
  return slug ? { slug } : { host: url.hostname };
}
