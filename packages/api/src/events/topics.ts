import type { BrandTheme } from '../brands/brand.types';

/**
 * Subscription topics, one small file so that every publisher and subscriber agrees on names.
 * Topics are narrow (one per brand, later one per account) rather than global and filtered.
 */
export const Topic = {
  brandTheme: (slug: string) => `brand-theme:${slug}` as const,
};

export type TopicPayloads = {
  [K in ReturnType<typeof Topic.brandTheme>]: [BrandTheme];
};
