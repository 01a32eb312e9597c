import type { TradingPlatform } from './platform';

/**
 * The live platform instances this process drives, by platform connection id: the demo
 * simulators now, MT5 adapters per brand later. Ingestion asks it for each platform's own clock.
 */
export class PlatformRegistry {
  private readonly live = new Map<string, TradingPlatform>();

  register(platformId: string, platform: TradingPlatform) {
    this.live.set(platformId, platform);
  }

  get(platformId: string): TradingPlatform | undefined {
    return this.live.get(platformId);
  }

  ids(): string[] {
    return [...this.live.keys()];
  }

  clockOf = (platformId: string) => this.live.get(platformId)?.clock;
}
