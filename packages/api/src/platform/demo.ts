import type { Pool } from 'pg';
import type { IngestionService } from '../ingestion/ingestion.service';
import type { Logger } from '../logger';
import type { PlatformEvent } from './platform';
import type { PlatformRegistry } from './registry';
import { SimulationDriver } from './simulator/driver';
import { DEFAULT_START, SimulatedPlatform } from './simulator/simulator';

export interface DemoOptions {
  /** Simulated milliseconds per wall millisecond: 1440 is a trading day a minute. */
  speed: number;
  tradersPerBrand: number;
}

export interface RunningDemo {
  stop(): Promise<void>;
}

const seedOf = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/**
 * The live demo: every SIMULATOR platform connection gets a simulator in this process, with
 * simulated traders on fresh accounts, whose events go through ingestion exactly as a bridge's
 * would. Each start is a new run (new logins and event ids) that continues from the platform's
 * last known time, because a simulator keeps its market and positions only in memory.
 */
export async function startDemoSimulators(
  pool: Pool,
  ingestion: IngestionService,
  registry: PlatformRegistry,
  options: DemoOptions,
  log: Logger,
  onTraders: (platformId: string, brandId: string, logins: string[]) => Promise<void> = async () => {},
): Promise<RunningDemo> {
  const { rows: platforms } = await pool.query<{
    id: string;
    brand_id: string;
    slug: string;
    run: number;
    last_event_at: Date | null;
  }>(
    `UPDATE platform_connection AS p
        SET settings = jsonb_set(p.settings, '{runs}', to_jsonb(coalesce((p.settings->>'runs')::int, 0) + 1))
       FROM brand b
      WHERE p.kind = 'SIMULATOR' AND b.id = p.brand_id AND b.status = 'ACTIVE'
      RETURNING p.id, p.brand_id, b.slug, (p.settings->>'runs')::int AS run, p.last_event_at`,
  );
  const drivers: SimulationDriver[] = [];
  for (const platform of platforms) {
    const start = Math.max(Date.parse(DEFAULT_START), (platform.last_event_at?.getTime() ?? 0) + 60_000);
    const simulator = new SimulatedPlatform({
      seed: seedOf(`${platform.slug}:${platform.run}`),
      start: Math.ceil(start / 60_000) * 60_000,
      eventIdPrefix: `sim-r${platform.run}-`,
      firstLogin: 7_000_001 + platform.run * 10_000,
    });
    registry.register(platform.id, simulator);
    const logins = simulator.addTraders(options.tradersPerBrand);
    await pool.query(
      `INSERT INTO platform_account (id, platform_id, brand_id, login, currency)
       SELECT gen_random_uuid(), $1, $2, l, 'USD' FROM unnest($3::text[]) AS l ON CONFLICT (platform_id, login) DO NOTHING`,
      [platform.id, platform.brand_id, logins],
    );
    ingestion.forget(platform.id);
    await onTraders(platform.id, platform.brand_id, logins);
    // Batches go to ingestion one after another, in platform order, like a bridge's stream.
    let chain = Promise.resolve();
    simulator.subscribe((events: readonly PlatformEvent[]) => {
      const batch = [...events];
      chain = chain
        .then(async () => {
          for (let i = 0; i < batch.length; i += 2_000) await ingestion.ingest(platform.id, batch.slice(i, i + 2_000));
        })
        .catch((error) => log.error({ err: error, platformId: platform.id }, 'demo ingestion failed'));
    });
    const driver = new SimulationDriver(simulator, { speed: options.speed });
    driver.start();
    drivers.push(driver);
    log.info({ brand: platform.slug, traders: logins.length, run: platform.run }, 'demo simulator started');
  }
  return {
    stop: async () => {
      for (const driver of drivers) driver.stop();
      await Promise.all(drivers.map((d) => d.done));
    },
  };
}
