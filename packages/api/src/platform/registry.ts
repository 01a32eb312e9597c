import type { TradingPlatform } from './platform';

/**
 * The live platform instances this process drives, by platform connection id: the demo
 * simulators and each brand's MT5 adapters. Ingestion asks it for each platform's own clock.
 */
export class PlatformRegistry {
  private readonly live = new Map<string, TradingPlatform>();

  register(platformId: string, platform: TradingPlatform) {
    this.live.set(platformId, platform);
  }

  unregister(platformId: string) {
    this.live.delete(platformId);
  }

  get(platformId: string): TradingPlatform | undefined {
    return this.live.get(platformId);
  }

  ids(): string[] {
    return [...this.live.keys()];
  }

  clockOf = (platformId: string) => this.live.get(platformId)?.clock;
}
