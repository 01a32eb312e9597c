import type { BrandTheme } from '../brands/brand.types';

/**
 * Subscription topics, one small file so that every publisher and subscriber agrees on names.
 * Topics are narrow (one per brand, later one per account) rather than global and filtered.
 */
export const Topic = {
  brandTheme: (slug: string) => `brand-theme:${slug}` as const,
  /** Staff: a brand's plan catalogue order changed. */
  planOrder: (brandId: string) => `plan-order:${brandId}` as const,
  /** Staff: the phase order of one of a brand's plans changed. */
  phaseOrder: (brandId: string) => `phase-order:${brandId}` as const,
  /** Public: a brand's portal catalogue changed (order, publish, archive); the portal refetches. */
  publicCatalogue: (brandSlug: string) => `public-catalogue:${brandSlug}` as const,
  /** One account's status changes (breach, pass, review). */
  challengeStatus: (accountId: string) => `challenge-status:${accountId}` as const,
  /** One account's live figures. */
  accountMetrics: (accountId: string) => `account-metrics:${accountId}` as const,
  /** Staff: every transition of a brand's accounts. */
  challengeEvents: (brandId: string) => `challenge-events:${brandId}` as const,
  /** Staff: a platform's latest quotes, coalesced to at most two messages a second. */
  platformQuotes: (platformId: string) => `platform-quotes:${platformId}` as const,
};

export type TopicPayloads = {
  [K in ReturnType<typeof Topic.brandTheme>]: [BrandTheme];
};
