/**
 * Incremental polling of an MT5 server for a set of logins (mt5-webapi.md §4: the Web API pushes
 * nothing about deals or positions).
 *
 * Each poll:
 *  1. reads the server's clock (`/api/time/server`), which is on the same scale as deal times
 *     whatever the server's time zone (§3);
 *  2. reads the snapshots first — trade state (`user/account/get_batch`, falling back to
 *     `user/get` for accounts without trade state, §2.2) and open positions
 *     (`position/get_batch`) — so that every deal made before the snapshot instant is in step 3;
 *  3. reads the deals of the window [previous server now − overlap, server now + overlap] with
 *     `deal/get_batch` by login list (§2.4), newly watched logins' history with `deal/get_page`
 *     (100 a page), drops tickets already delivered, orders them by TimeMsc then ticket;
 *  4. emits deal and balance events (mapping.ts), then position, quote and equity events for
 *     what changed, stamped `snapshotLagMs` before the poll began.
 *
 * Ingestion refuses an event older than one it already has for the account, so the poller never
 * emits a login's events out of order: a deal that shows up later than a snapshot already
 * stamped after it (clock skew beyond `snapshotLagMs`) is stamped at that snapshot's instant,
 * with a warning. Event ids are deterministic, so delivering a deal twice (after a restart, or
 * in overlapping windows) is harmless.
 */
import type { PlatformEvent, PlatformListener, Unsubscribe } from '../platform';
import { type Mt5Logger, type Mt5Transport, silentLogger } from './client';
import { accountFigures, dealEvents, type MappingContext, positionEvent, quotesFromPositions } from './mapping';
import type { Mt5Settings } from './settings';
import { formatScaled, has, idField, intOr, isoInstant, isRecord, type Mt5Record, scaled, text } from './units';

export interface Mt5PollerOptions {
  transport: Mt5Transport;
  /** The server name in event ids. */
  server: string;
  settings: Mt5Settings;
  logger?: Mt5Logger;
  /** Deals are polled every … [1 000 ms]. */
  intervalMs?: number;
  /** Trade state and positions are polled every … [5 000 ms]. */
  snapshotIntervalMs?: number;
  /** Each deal window starts this many seconds before the previous one ended [10]. */
  overlapSeconds?: number;
  /** Snapshots are stamped this long before the poll began [5 000 ms]. */
  snapshotLagMs?: number;
  /** The first deal instant to read (UTC) [the server's now at the first poll]. */
  from?: Date;
  /** Money digits for records without CurrencyDigits/DigitsCurrency [2]. */
  moneyDigits?: number;
  /** Longest wait after failing polls (doubling from intervalMs) [60 000 ms]. */
  maxBackoffMs?: number;
  /** UTC epoch ms; injectable for tests. */
  now?: () => number;
}

interface Watched {
  /** Server-time second from which this login's history is still to be read (a backfill), or null. */
  backfillFrom: number | null;
  /** The latest `at` (ms) emitted for the login. */
  lastAt: number;
  /** Balance|equity|margin last emitted. */
  lastEquity: string | null;
  /** A deal arrived since the last trade-state reading. */
  dirty: boolean;
}

const PAGE = 100;

export class Mt5Poller {
  private readonly transport: Mt5Transport;
  private readonly settings: Mt5Settings;
  private readonly logger: Mt5Logger;
  private readonly context: MappingContext;
  private readonly intervalMs: number;
  private readonly snapshotIntervalMs: number;
  private readonly overlap: number;
  private readonly lagMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly watched = new Map<string, Watched>();
  private readonly listeners = new Set<PlatformListener>();
  /** Delivered deal tickets → their server-time second, pruned as the window moves on. */
  private readonly seen = new Map<string, number>();
  private readonly lastPosition = new Map<string, string>();
  private readonly lastQuote = new Map<string, string>();
  /** Server-time second the next deal window starts from (before the overlap); null before the first poll. */
  private windowFrom: number | null;
  private lastSnapshotAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<unknown> = Promise.resolve();
  private failures = 0;
  private lastSuccessAt: number | null = null;
  private lastError: string | null = null;

  constructor(options: Mt5PollerOptions) {
    this.transport = options.transport;
    this.settings = options.settings;
    this.logger = options.logger ?? silentLogger;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.snapshotIntervalMs = options.snapshotIntervalMs ?? 5_000;
    this.overlap = options.overlapSeconds ?? 10;
    this.lagMs = options.snapshotLagMs ?? 5_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.windowFrom =
      options.from === undefined
        ? null
        : Math.floor(options.from.getTime() / 1000) + this.settings.serverTimeOffsetSeconds + this.overlap;
    this.context = {
      server: options.server,
      settings: options.settings,
      moneyDigits: options.moneyDigits,
      warn: (fields, message) => this.logger.warn(fields, message),
    };
  }

  /** Starts watching logins; `backfillFrom` reads their deals from that instant on (once). */
  watch(logins: readonly string[], options: { backfillFrom?: Date } = {}): void {
    for (const login of logins) {
      if (!/^\d+$/.test(login)) throw new Error(`not an MT5 login: ${login}`);
      const backfillFrom =
        options.backfillFrom === undefined
          ? null
          : Math.floor(options.backfillFrom.getTime() / 1000) + this.settings.serverTimeOffsetSeconds;
      const existing = this.watched.get(login);
      if (existing !== undefined) {
        if (backfillFrom !== null) existing.backfillFrom = backfillFrom;
        continue;
      }
      this.watched.set(login, { backfillFrom, lastAt: Number.NEGATIVE_INFINITY, lastEquity: null, dirty: true });
    }
  }

  unwatch(login: string): void {
    this.watched.delete(login);
  }

  logins(): string[] {
    return [...this.watched.keys()];
  }

  subscribe(listener: PlatformListener): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** How polling goes, for the platforms page: consecutive failures, the last success and error. */
  health(): { failures: number; lastSuccessAt: Date | null; lastError: string | null } {
    return {
      failures: this.failures,
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt),
      lastError: this.lastError,
    };
  }

  /** Polls continuously (deals every intervalMs, snapshots every snapshotIntervalMs), backing off on failures. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.current.catch(() => undefined);
  }

  /**
   * One poll; returns the events it delivered to the listeners. Throws the PlatformError of a
   * failed read, having delivered nothing (the next poll covers the same window).
   */
  pollOnce(options: { snapshots?: boolean } = {}): Promise<PlatformEvent[]> {
    const run = this.current.catch(() => undefined).then(() => this.poll(options.snapshots ?? true));
    this.current = run;
    return run;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const snapshots = this.now() - this.lastSnapshotAt >= this.snapshotIntervalMs;
      this.pollOnce({ snapshots })
        .then(() => {
          this.failures = 0;
          this.lastSuccessAt = this.now();
          this.lastError = null;
        })
        .catch((error: unknown) => {
          this.failures += 1;
          this.lastError = error instanceof Error ? error.message : String(error);
          this.logger.warn(
            { failures: this.failures, error: error instanceof Error ? error.message : String(error) },
            'mt5 poll failed',
          );
        })
        .finally(() => {
          if (!this.running) return;
          const backoff = Math.min(this.maxBackoffMs, this.intervalMs * 2 ** Math.min(this.failures, 16));
          this.schedule(this.failures === 0 ? this.intervalMs : backoff);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(snapshots: boolean): Promise<PlatformEvent[]> {
    const startedMs = this.now();
    const logins = [...this.watched.keys()];
    const serverNow = await this.serverSeconds();
    const snapshotAt = startedMs - this.lagMs;

    let accounts: Map<string, Mt5Record> | null = null;
    let positions: Mt5Record[] | null = null;
    if (snapshots && logins.length > 0) {
      accounts = await this.readAccounts(logins);
      positions = await this.readBatch('position/get_batch', logins);
    }

    const windowFrom = (this.windowFrom ?? serverNow) - this.overlap;
    const fresh: Mt5Record[] = [];
    const take = (deal: Mt5Record) => {
      const ticket = idField(deal, 'Deal');
      if (this.seen.has(ticket) || !this.watched.has(idField(deal, 'Login'))) return;
      this.seen.set(ticket, intOr(deal, 'Time', Math.floor(intOr(deal, 'TimeMsc', 0) / 1000)));
      fresh.push(deal);
    };
    const backfills: [string, number][] = [];
    for (const [login, state] of this.watched) {
      if (state.backfillFrom !== null && state.backfillFrom < windowFrom) backfills.push([login, state.backfillFrom]);
    }
    for (const [login, from] of backfills)
      for (const deal of await this.readHistory(login, from, windowFrom)) take(deal);
    if (logins.length > 0) {
      const window = { from: windowFrom, to: serverNow + this.overlap };
      for (const deal of await this.readBatch('deal/get_batch', logins, window)) take(deal);
    }

    // Everything was read: from here on nothing fails half-way.
    this.windowFrom = Math.max(this.windowFrom ?? serverNow, serverNow);
    for (const [login] of backfills) {
      const state = this.watched.get(login);
      if (state !== undefined) state.backfillFrom = null;
    }
    for (const [ticket, second] of this.seen) if (second < windowFrom - this.overlap) this.seen.delete(ticket);

    fresh.sort((a, b) => {
      const byTime = timeMsc(a) - timeMsc(b);
      if (byTime !== 0) return byTime;
      const [x, y] = [BigInt(idField(a, 'Deal')), BigInt(idField(b, 'Deal'))];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const events: PlatformEvent[] = [];
    for (const deal of fresh) {
      let mapped: PlatformEvent[];
      try {
        mapped = dealEvents(deal, this.context);
      } catch (error) {
        this.logger.warn(
          { ticket: text(deal, 'Deal'), error: error instanceof Error ? error.message : String(error) },
          'mt5 deal could not be read; skipped',
        );
        continue;
      }
      for (const event of mapped) events.push(this.inOrder(event));
    }

    if (accounts !== null && positions !== null) {
      this.lastSnapshotAt = startedMs;
      events.push(...this.positionEvents(positions, snapshotAt));
      events.push(...(await this.equityEvents(logins, accounts, snapshotAt)));
    }
    if (events.length > 0) this.deliver(events);
    return events;
  }

  /** Keeps a login's events in time order: an event older than the last one emitted takes its instant. */
  private inOrder<E extends PlatformEvent>(event: E): E {
    if (event.type === 'quote') return event;
    const state = this.watched.get(event.login);
    if (state === undefined) return event;
    const at = Date.parse(event.at);
    state.dirty = true;
    if (at >= state.lastAt) {
      state.lastAt = at;
      return event;
    }
    this.logger.warn(
      { eventId: event.eventId, at: event.at, lastAt: isoInstant(state.lastAt) },
      'mt5 deal arrived after a later snapshot; stamped at that snapshot',
    );
    return { ...event, at: isoInstant(state.lastAt) };
  }

  private positionEvents(positions: readonly Mt5Record[], snapshotAt: number): PlatformEvent[] {
    const events: PlatformEvent[] = [];
    const open = new Set<string>();
    for (const raw of positions) {
      try {
        const login = idField(raw, 'Login');
        const state = this.watched.get(login);
        if (state === undefined) continue;
        const at = Math.max(snapshotAt, state.lastAt);
        const event = positionEvent(raw, this.context, at);
        open.add(event.position);
        const key = `${event.volume}|${event.currentPrice}|${event.profit}`;
        if (this.lastPosition.get(event.position) === key) continue;
        this.lastPosition.set(event.position, key);
        state.lastAt = at;
        events.push(event);
      } catch (error) {
        this.logger.warn(
          { position: text(raw, 'Position'), error: error instanceof Error ? error.message : String(error) },
          'mt5 position could not be read; skipped',
        );
      }
    }
    for (const ticket of [...this.lastPosition.keys()]) if (!open.has(ticket)) this.lastPosition.delete(ticket);
    let quotes: PlatformEvent[] = [];
    try {
      quotes = quotesFromPositions(positions, this.context, snapshotAt).filter((quote) => {
        const key = `${quote.bid}|${quote.ask}`;
        if (this.lastQuote.get(quote.symbol) === key) return false;
        this.lastQuote.set(quote.symbol, key);
        return true;
      });
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'mt5 quotes could not be derived',
      );
    }
    return [...events, ...quotes];
  }

  private async equityEvents(logins: readonly string[], accounts: Map<string, Mt5Record>, snapshotAt: number) {
    const events: PlatformEvent[] = [];
    for (const login of logins) {
      const state = this.watched.get(login);
      if (state === undefined) continue;
      let figures: { balance: string; equity: string; margin: string } | null = null;
      const account = accounts.get(login);
      if (account !== undefined) {
        figures = accountFigures(account, this.context.moneyDigits ?? 2);
      } else if (state.dirty || state.lastEquity === null) {
        // §2.2: no trade state for an account without positions or trades since the server
        // started; its equity is its balance plus credit.
        figures = await this.idleFigures(login);
      }
      state.dirty = false;
      if (figures === null) continue;
      const key = `${figures.balance}|${figures.equity}|${figures.margin}`;
      if (state.lastEquity === key) continue;
      state.lastEquity = key;
      const at = Math.max(snapshotAt, state.lastAt);
      state.lastAt = at;
      events.push({
        eventId: `mt5:${this.context.server}:equity:${login}:${at}`,
        login,
        at: isoInstant(at),
        type: 'equity',
        equity: figures.equity,
        margin: figures.margin,
        balance: figures.balance,
      });
    }
    return events;
  }

  private async idleFigures(login: string): Promise<{ balance: string; equity: string; margin: string } | null> {
    try {
      const { answer } = await this.transport.call('user/get', { login });
      if (!isRecord(answer)) return null;
      const digits = this.context.moneyDigits ?? 2;
      const balance = scaled(answer.Balance ?? '0', digits, 'Balance');
      const credit = scaled(answer.Credit ?? '0', digits, 'Credit');
      return {
        balance: formatScaled(balance, digits),
        equity: formatScaled(balance + credit, digits),
        margin: formatScaled(0n, digits),
      };
    } catch (error) {
      this.logger.warn({ login, error: error instanceof Error ? error.message : String(error) }, 'mt5 user/get failed');
      return null;
    }
  }

  private deliver(events: PlatformEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'an event listener failed');
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reads
  // -------------------------------------------------------------------------------------------

  /** The server's clock in its own epoch seconds (§2.8: `{"Time":"<unix> yyyy.mm.dd hh:mm:ss"}`). */
  private async serverSeconds(): Promise<number> {
    const { answer } = await this.transport.call('time/server');
    const raw = isRecord(answer) ? text(answer, 'Time') : '';
    const match = /^\s*(\d+)/.exec(raw);
    if (match === null) {
      return Math.floor(this.now() / 1000) + this.settings.serverTimeOffsetSeconds;
    }
    return Number(match[1]);
  }

  private async readAccounts(logins: readonly string[]): Promise<Map<string, Mt5Record>> {
    const records = await this.readBatch(
      'user/account/get_batch',
      logins,
      undefined,
      this.settings.accountStateMissingRetcodes,
    );
    const byLogin = new Map<string, Mt5Record>();
    for (const record of records) if (has(record, 'Login')) byLogin.set(idField(record, 'Login'), record);
    return byLogin;
  }

  /** A `*get_batch` command by login list, in chunks (§2.4, §2.5, §2.2). */
  private async readBatch(
    command: string,
    logins: readonly string[],
    window?: { from: number; to: number },
    accept: readonly number[] = [],
  ): Promise<Mt5Record[]> {
    const records: Mt5Record[] = [];
    for (let i = 0; i < logins.length; i += this.settings.loginsPerRequest) {
      const chunk = logins.slice(i, i + this.settings.loginsPerRequest);
      const { answer } = await this.transport.call(
        command,
        { login: chunk.join(','), from: window?.from, to: window?.to },
        { accept },
      );
      if (Array.isArray(answer)) for (const item of answer) if (isRecord(item)) records.push(item);
    }
    return records;
  }

  /** One login's deals in [from, to] with deal/get_page, 100 at a time (§2.4). */
  private async readHistory(login: string, from: number, to: number): Promise<Mt5Record[]> {
    const records: Mt5Record[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { answer } = await this.transport.call('deal/get_page', { login, from, to, offset, total: PAGE });
      const page = Array.isArray(answer) ? answer.filter(isRecord) : [];
      records.push(...page);
      if (page.length < PAGE) return records;
    }
  }
}

function timeMsc(deal: Mt5Record): number {
  return intOr(deal, 'TimeMsc', intOr(deal, 'Time', 0) * 1000);
}
