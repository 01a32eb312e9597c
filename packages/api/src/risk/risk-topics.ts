/** Risk subscription topics (narrow: one per brand, one per margin change). */
export const RiskTopic = {
  /** A brand's exposure or margin figures moved; the payload is only a tick, subscribers read the latest figures. */
  exposure: (brandId: string) => `risk-exposure:${brandId}` as const,
  /** A margin change's platform pushes progressed. */
  marginChange: (changeId: string) => `risk-margin-change:${changeId}` as const,
};
