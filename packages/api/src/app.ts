import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Pool } from 'pg';
import { PgEventLog } from './ingestion/event-log';
import { quoteFeed } from './ingestion/quote-feed';
import { IngestionService, IngestionStats } from './ingestion/ingestion.service';
import { type RunningDemo, startDemoSimulators } from './platform/demo';
import { PlatformRegistry } from './platform/registry';
import { Mt5Connections } from './platform/mt5-connections';
import { SecretBox } from './common/secrets';
import { type LiveChallenges, startLiveChallenges } from './challenge/live';
import { attachDemoAccounts } from './challenge/demo-accounts';
import { createRisk, type RunningRisk } from './risk/risk-app';
import type { Config } from './config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded-postgres';
import { migrate, openDatabase } from './db/orm';
import { seedDemo } from './db/seed';
import { systemScope } from './db/tenancy';
import { createEventPubSub } from './events/pubsub';
import type { Logger } from './logger';
import { type RunningServer, startServer } from './server';

export interface RunningApi {
  server: RunningServer;
  orm: MikroORM;
  live: LiveChallenges;
  risk: RunningRisk;
  platformRegistry: PlatformRegistry;
  mt5Connections: Mt5Connections;
  stop(): Promise<void>;
}

/** config → database → migrations → seed → server. Shared by `main.ts` and the integration tests. */
export async function startApi(config: Config, log: Logger): Promise<RunningApi> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.join(config.DATA_DIR, 'postgres'), log);
    databaseUrl = embedded.url;
  }
  let orm: MikroORM | undefined;
  try {
    orm = await openDatabase(databaseUrl);
    const applied = await migrate(orm);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const pubsub = createEventPubSub();
    if (config.SEED_DEMO) {
      const em = systemScope(orm.em, 'seed the demo on an empty database');
      const seed = await seedDemo(em, pubsub, config.uploadsDir, {
        email: config.ADMIN_EMAIL,
        password: config.ADMIN_PASSWORD,
        secretsKey: config.SECRETS_KEY,
      });
      if (seed.seeded) log.info({ email: seed.ownerEmail }, 'demo seeded');
    }
    // Ingestion's hot path talks to PostgreSQL through its own pool (set-based SQL, no ORM).
    const pool = new Pool({ connectionString: databaseUrl, max: 8 });
    // An idle connection the server drops (restart, failover) is replaced on next use, not fatal.
    pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
    const platformRegistry = new PlatformRegistry();
    const ingestionStats = new IngestionStats();
    const journal = new PgEventLog(pool);
    const live = startLiveChallenges({ pool, orm: orm!, pubsub, registry: platformRegistry, journal, log });
    const risk = createRisk({ pool, pubsub, registry: platformRegistry, log, orm: orm! });
    const publishQuotes = quoteFeed(pubsub);
    const ingestion = new IngestionService(
      pool,
      journal,
      platformRegistry.clockOf,
      ingestionStats,
      log,
      (advanced) => {
        live.wake(advanced.map((a) => a.accountId));
        risk.runtime.wake(advanced);
      },
      (platformId, quotes) => {
        publishQuotes(platformId, quotes);
        risk.runtime.quotes(platformId, quotes);
      },
    );
    const secrets = new SecretBox(config.SECRETS_KEY);
    const mt5Connections = new Mt5Connections(pool, ingestion, platformRegistry, secrets, log);
    await mt5Connections.startAll();
    await risk.start();
    const server = await startServer(
      { orm, config, pubsub, log, ingestion, ingestionStats, platformRegistry, mt5Connections, secrets, risk },
      config.PORT,
      config.HOST,
    );
    const openOrm = orm;
    const demoOn = config.DEMO_SIMULATOR ? config.DEMO_SIMULATOR === 'true' : config.NODE_ENV !== 'test';
    const demo: RunningDemo | undefined = demoOn
      ? await startDemoSimulators(
          pool,
          ingestion,
          platformRegistry,
          { speed: config.DEMO_SPEED, tradersPerBrand: config.DEMO_TRADERS },
          log,
          (platformId, brandId, logins) => {
            risk.runtime.resetPlatform(platformId);
            return attachDemoAccounts(openOrm, platformRegistry, platformId, brandId, logins, log);
          },
        )
      : undefined;
    return {
      server,
      orm: openOrm,
      live,
      risk,
      platformRegistry,
      mt5Connections,
      stop: async () => {
        await demo?.stop();
        await mt5Connections.stopAll();
        await live.stop();
        await risk.stop();
        await server.stop();
        await ingestion.flush();
        await pool.end();
        await openOrm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await orm?.close(true);
    await embedded?.stop();
    throw error;
  }
}
