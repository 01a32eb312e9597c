import type { Pool } from 'pg';
import { z } from 'zod';
import { AppError, badInput } from '../common/errors';
import type { SecretBox } from '../common/secrets';
import type { IngestionService } from '../ingestion/ingestion.service';
import type { Logger } from '../logger';
import { publicInstrument, SIM_INSTRUMENTS } from './instruments';
import { Mt5Platform } from './mt5/adapter';
import { PgCommandJournal } from './mt5/pg-journal';
import { DEFAULT_SETTINGS, type Mt5Settings, resolveSettings } from './mt5/settings';
import { PlatformError, type PlatformEvent } from './platform';
import type { PlatformRegistry } from './registry';

/** What a brand's MT5 connection keeps in `platform_connection.settings` (the password only sealed). */
export interface Mt5ConnectionSettings {
  url: string;
  managerLogin: string;
  passwordSealed: string;
  caCertificate?: string;
  /** The MT5 group new challenge accounts are created in. */
  accountGroup: string;
  /** Overrides of the unconfirmed points of the Web API (mt5/settings.ts). */
  mt5: Partial<Mt5Settings>;
}

export interface Mt5ConnectionRow {
  id: string;
  brand_id: string;
  server: string;
  settings: Mt5ConnectionSettings;
  last_event_at: Date | null;
}

const settingKeys = new Set(Object.keys(DEFAULT_SETTINGS));

/** The unconfirmed points a brand may override: known keys of the same JSON type as the default. */
export const mt5SettingsOverrides = z
  .record(z.unknown())
  .superRefine((value, ctx) => {
    for (const [key, given] of Object.entries(value)) {
      if (!settingKeys.has(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not an MT5 setting` });
        continue;
      }
      const expected = (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[key];
      const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
      if (kind(given) !== kind(expected))
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be ${kind(expected)}` });
    }
    try {
      resolveSettings(value as Partial<Mt5Settings>);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .transform((value) => value as Partial<Mt5Settings>);

/**
 * Each brand's MT5 servers, driven by this process: an adapter per connection row, built at
 * start-up and whenever staff connect or change one, watching every login the brand has on it and
 * handing what the poller reads to ingestion, in order, exactly as an external bridge would.
 */
export class Mt5Connections {
  private readonly running = new Map<string, { platform: Mt5Platform; unsubscribe: () => void }>();

  constructor(
    private readonly pool: Pool,
    private readonly ingestion: IngestionService,
    private readonly registry: PlatformRegistry,
    private readonly box: SecretBox,
    private readonly log: Logger,
    private readonly poll: { intervalMs?: number; snapshotIntervalMs?: number } = {},
  ) {}

  /** Connects every MT5 connection of an active brand; one that fails is logged and retried by its poller. */
  async startAll(): Promise<void> {
    const { rows } = await this.pool.query<Mt5ConnectionRow>(
      `SELECT p.id, p.brand_id, p.server, p.settings, p.last_event_at
         FROM platform_connection p JOIN brand b ON b.id = p.brand_id
        WHERE p.kind = 'MT5' AND b.status = 'ACTIVE'`,
    );
    for (const row of rows) await this.connect(row);
  }

  /** (Re)starts the adapter of one connection row. */
  async connect(row: Mt5ConnectionRow): Promise<Mt5Platform> {
    await this.disconnect(row.id);
    const platform = this.build(row, new PgCommandJournal(this.pool, row.id, this.box), row.last_event_at);
    const { rows: accounts } = await this.pool.query<{ login: string }>(
      'SELECT login FROM platform_account WHERE platform_id = $1',
      [row.id],
    );
    platform.watch(accounts.map((a) => a.login).filter((login) => /^\d+$/.test(login)));
    // Batches go to ingestion one after another, in the order the poller read them.
    let chain = Promise.resolve();
    const unsubscribe = platform.subscribe((events) => {
      const batch = [...events];
      chain = chain.then(() => this.deliver(row.id, batch));
    });
    this.registry.register(row.id, platform);
    this.ingestion.forget(row.id);
    platform.startPolling();
    this.running.set(row.id, { platform, unsubscribe });
    this.log.info({ platformId: row.id, server: row.server, logins: accounts.length }, 'mt5 connection started');
    return platform;
  }

  async disconnect(platformId: string): Promise<void> {
    const current = this.running.get(platformId);
    if (!current) return;
    this.running.delete(platformId);
    this.registry.unregister(platformId);
    current.unsubscribe();
    await current.platform.close();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.disconnect(id)));
  }

  /** Polling health of a running connection, for the platforms page. */
  health(platformId: string) {
    return this.running.get(platformId)?.platform.poller.health() ?? null;
  }

  /**
   * Proves that the URL, certificate and manager credentials work before anything is saved: a
   * connection that cannot authenticate is a typed error, not a row that silently never polls.
   */
  async verify(settings: Omit<Mt5ConnectionSettings, 'passwordSealed'> & { password: string }, server: string) {
    const platform = new Mt5Platform({
      url: settings.url,
      managerLogin: settings.managerLogin,
      password: settings.password,
      server,
      ca: settings.caCertificate,
      settings: { ...settings.mt5, pingIntervalMs: 0 },
      retry: { attempts: 1 },
    });
    try {
      await platform.checkConnection();
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      if (/certificate/i.test(error.message))
        throw badInput([{ path: ['input', 'caCertificate'], message: error.message }]);
      if (error.code === 'PLATFORM_REJECTED' || (/authentication/.test(error.message) && !error.retryable))
        throw new AppError(
          'PLATFORM_REJECTED',
          'The MT5 server refused the manager login: check the login, password, API rights and allowed IP addresses',
        );
      throw new AppError('PLATFORM_UNAVAILABLE', error.message);
    } finally {
      await platform.close();
    }
  }

  private build(row: Mt5ConnectionRow, journal: PgCommandJournal, from: Date | null): Mt5Platform {
    const s = row.settings;
    return new Mt5Platform({
      url: s.url,
      managerLogin: s.managerLogin,
      password: this.box.open(s.passwordSealed),
      server: row.server,
      ca: s.caCertificate,
      settings: s.mt5,
      journal,
      // The Web API has no symbol list; the demo's instrument table describes what brands trade.
      instruments: SIM_INSTRUMENTS.map(publicInstrument),
      logger: {
        debug: (fields, message) => this.log.debug({ platformId: row.id, ...fields }, message),
        info: (fields, message) => this.log.info({ platformId: row.id, ...fields }, message),
        warn: (fields, message) => this.log.warn({ platformId: row.id, ...fields }, message),
      },
      poll: { ...this.poll, ...(from ? { from } : {}) },
    });
  }

  /**
   * Hands a batch to ingestion. A deal can be read for a login a moment before its account row is
   * committed (createAccount watches at once); those items are offered again a few times.
   */
  private async deliver(platformId: string, events: PlatformEvent[], attempt = 0): Promise<void> {
    const result = await this.ingestUntilStored(platformId, events);
    if (!result) return;
    const unknown = result.rejected.filter((r) => r.code === 'UNKNOWN_ACCOUNT').map((r) => events[r.index]!);
    if (unknown.length > 0 && attempt < 5) {
      await sleep(500 * 2 ** attempt);
      await this.deliver(platformId, unknown, attempt + 1);
    }
  }

  /**
   * The poller has moved past these events, so they are retried (in order, holding back later
   * batches) until the journal takes them, or until the connection is stopped.
   */
  private async ingestUntilStored(platformId: string, events: PlatformEvent[]) {
    for (let failures = 0; this.running.has(platformId); failures++) {
      try {
        return await this.ingestion.ingest(platformId, events);
      } catch (error) {
        this.log.error({ err: error, platformId, failures }, 'mt5 ingestion failed; retrying');
        await sleep(Math.min(30_000, 250 * 2 ** failures));
      }
    }
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
