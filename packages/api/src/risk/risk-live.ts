/**
 * The risk module in real time: one MarginBook + ExposureBook per platform connection, fed
 * incrementally from what ingestion appends (deals, balances, equity snapshots, positions from the
 * per-account journal; quotes straight from the ingested batch), never rescanned per tick.
 *
 * - Start-up: groups and accounts from PostgreSQL, the latest quote per symbol, then each account's
 *   journal once (keyset pages). What the replay decides is not acted on; afterwards every account
 *   is checked once at current prices and its margin-call flag reconciled with the stored one.
 * - Live: `wake(advanced)` reads only the journal entries past each account's applied sequence;
 *   `quotes(platformId, quotes)` re-prices only the positions depending on each symbol.
 * - What the books raise (margin call, cleared, stop-out, negative-balance correction) is written
 *   with its platform commands in one transaction (risk_event + risk_command); the command ids are
 *   deterministic, so a repeat after a restart inserts nothing, and `RiskCommandWorker` sends each
 *   command once (the platform is idempotent by command id).
 */
import type { Pool, PoolClient } from 'pg';
import type { EventPubSub } from '../events/pubsub';
import type { Logger } from '../logger';
import { publicInstrument, SIM_INSTRUMENTS } from '../platform/instruments';
import type { Instrument, PlatformEvent, QuoteWireEvent } from '../platform/platform';
import type { PlatformRegistry } from '../platform/registry';
import { ExposureBook } from './exposure';
import { MarginBook, type PositionState, type RiskEvent } from './margin-book';
import { RateTable } from './rates';
import { type Book, MAX_LEVERAGE, type RiskGroup } from './risk-group';
import { decimalSum, negate } from './decimal';
import { RiskTopic } from './risk-topics';

const JOURNAL_TYPES = ['deal', 'balance', 'equity', 'position'];
const REPLAY_PAGE = 20_000;

export interface LiveAccount {
  id: string;
  login: string;
  brandId: string;
  platformId: string;
  currency: string;
  appliedSeq: number;
}

/** One platform connection's books: its own quotes, its accounts. */
export class PlatformBook {
  readonly exposure: ExposureBook<PositionState>;
  readonly margin: MarginBook;
  readonly accounts = new Map<string, LiveAccount>();
  readonly byLogin = new Map<string, LiveAccount>();

  constructor(
    readonly platformId: string,
    readonly brandId: string,
    readonly rates: RateTable,
  ) {
    this.exposure = new ExposureBook<PositionState>(rates);
    this.margin = new MarginBook(rates, { exposure: this.exposure });
  }
}

interface AccountRow {
  id: string;
  platform_id: string;
  brand_id: string;
  login: string;
  currency: string;
  risk_group_id: string;
  book: Book;
  in_margin_call: boolean;
  /** A challenge account's initial balance: the platform opens the account with it and reports no event for it. */
  opening_balance: string | null;
}

interface JournalRow {
  account_id: string;
  seq: string;
  type: string;
  payload: PlatformEvent;
}

export interface RiskRuntimeOptions {
  /** Called when commands were queued (the worker delivers them). */
  onCommands?: () => void;
  /** Called with the accounts whose new journal entries were applied (the A-book hedger follows). */
  onApplied?: (platformAccountIds: string[]) => void;
}

export class RiskRuntime {
  readonly books = new Map<string, PlatformBook>();
  private readonly creating = new Map<string, Promise<PlatformBook | null>>();
  private readonly groups = new Map<string, RiskGroup>();
  private readonly accountsById = new Map<string, { book: PlatformBook; account: LiveAccount }>();
  private readonly pending = new Map<string, number>();
  private draining: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly dirtyBrands = new Set<string>();
  private publishScheduled = false;

  constructor(
    private readonly pool: Pool,
    private readonly pubsub: EventPubSub,
    private readonly registry: PlatformRegistry,
    private readonly log: Logger,
    private readonly options: RiskRuntimeOptions = {},
  ) {}

  // ----- start-up -----------------------------------------------------------------------------

  async start(): Promise<void> {
    await this.loadGroups();
    await this.ensureRiskAccounts();
    const { rows } = await this.pool.query<AccountRow>(
      `SELECT p.id, p.platform_id, p.brand_id, p.login, p.currency, r.risk_group_id, r.book, r.in_margin_call,
              (SELECT c.initial_balance::text FROM challenge_account c WHERE c.platform_account_id = p.id) AS opening_balance
         FROM platform_account p JOIN risk_account r ON r.platform_account_id = p.id`,
    );
    for (const row of rows) {
      const book = await this.bookFor(row.platform_id, row.brand_id);
      if (book) this.openAccount(book, row);
    }
    for (const book of this.books.values()) await this.loadQuotes(book);
    // The journal once, in (account, seq) order; what it decides on the way is history, not news.
    let after: [string, number] = ['00000000-0000-0000-0000-000000000000', 0];
    for (;;) {
      const page = await this.pool.query<JournalRow>(
        `SELECT account_id, seq, type, payload FROM platform_event
          WHERE (account_id, seq) > ($1::uuid, $2::bigint) AND type = ANY($3::text[])
          ORDER BY account_id, seq LIMIT ${REPLAY_PAGE}`,
        [after[0], after[1], JOURNAL_TYPES],
      );
      for (const row of page.rows) this.applyEntry(row);
      if (page.rows.length < REPLAY_PAGE) break;
      const last = page.rows[page.rows.length - 1]!;
      after = [last.account_id, Number(last.seq)];
    }
    const called = new Map(rows.map((r) => [r.id, r.in_margin_call]));
    for (const { book, account } of this.accountsById.values()) {
      book.margin.cancelStopOut(account.login);
      const events = [...book.margin.applyBalance(account.login, '0')];
      const snapshot = book.margin.account(account.login);
      const stored = called.get(account.id) ?? false;
      if (snapshot.inMarginCall && !stored) {
        events.unshift({
          type: 'MARGIN_CALL',
          login: account.login,
          equity: snapshot.equity,
          margin: snapshot.margin,
          marginLevel: snapshot.marginLevel ?? '0',
        });
      } else if (!snapshot.inMarginCall && stored) {
        events.unshift({
          type: 'MARGIN_CALL_CLEARED',
          login: account.login,
          equity: snapshot.equity,
          margin: snapshot.margin,
          marginLevel: snapshot.marginLevel,
        });
      }
      this.handle(book, account, events, Number(account.appliedSeq));
    }
    await this.writes;
    this.log.info({ platforms: this.books.size, accounts: this.accountsById.size }, 'risk books loaded');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
    await this.writes;
  }

  /** Resolves when every woken account has been applied and what it raised is written (tests). */
  async settle(): Promise<void> {
    while (this.draining) await this.draining;
    await this.writes;
  }

  private async loadGroups(): Promise<void> {
    const { rows } = await this.pool.query<{
      id: string;
      brand_id: string;
      name: string;
      leverage: RiskGroup['leverage'];
      symbol_leverage: Record<string, number>;
      margin_call_level: string;
      stop_out_level: string;
      hedging: RiskGroup['hedging'];
      book: RiskGroup['book'];
      negative_balance_protection: boolean;
    }>('SELECT * FROM risk_group');
    for (const r of rows) {
      this.groups.set(r.id, {
        id: r.id,
        brand: r.brand_id,
        name: r.name,
        leverage: r.leverage,
        symbolLeverage: r.symbol_leverage,
        marginCallLevel: r.margin_call_level,
        stopOutLevel: r.stop_out_level,
        hedging: r.hedging,
        book: r.book,
        negativeBalanceProtection: r.negative_balance_protection,
      });
    }
  }

  /** Every platform account gets a risk account: its brand's default group, B-book. */
  private async ensureRiskAccounts(ids?: string[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO risk_account (platform_account_id, brand_id, risk_group_id)
       SELECT p.id, p.brand_id, g.id FROM platform_account p JOIN risk_group g ON g.brand_id = p.brand_id AND g.is_default
        WHERE ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM risk_account r WHERE r.platform_account_id = p.id)
       ON CONFLICT (platform_account_id) DO NOTHING`,
      [ids ?? null],
    );
  }

  private async instrumentsOf(platformId: string): Promise<Instrument[]> {
    const platform = this.registry.get(platformId);
    if (platform) {
      try {
        return await platform.listInstruments();
      } catch (error) {
        this.log.warn({ err: error, platformId }, 'risk: instruments unavailable, using the simulator list');
      }
    }
    return SIM_INSTRUMENTS.map(publicInstrument);
  }

  private bookFor(platformId: string, brandId: string): Promise<PlatformBook | null> {
    const known = this.books.get(platformId);
    if (known) return Promise.resolve(known);
    let creating = this.creating.get(platformId);
    if (!creating) {
      creating = (async () => {
        const book = new PlatformBook(platformId, brandId, new RateTable(await this.instrumentsOf(platformId)));
        for (const group of this.groups.values()) if (group.brand === brandId) book.margin.setGroup(group);
        // A platform seen for the first time while running: its market so far (quotes of the batch
        // that brought its first accounts reached `quotes` before this book existed).
        await this.loadQuotes(book);
        this.books.set(platformId, book);
        return book;
      })()
        .catch((error) => {
          this.log.error({ err: error, platformId }, 'risk: cannot build the platform book');
          return null;
        })
        .finally(() => this.creating.delete(platformId));
      this.creating.set(platformId, creating);
    }
    return creating;
  }

  private async loadQuotes(book: PlatformBook): Promise<void> {
    const { rows } = await this.pool.query<{ symbol: string; bid: string; ask: string }>(
      'SELECT symbol, bid::text, ask::text FROM platform_quote WHERE platform_id = $1',
      [book.platformId],
    );
    for (const q of rows) {
      if (!book.rates.find(q.symbol)) continue;
      try {
        book.margin.applyQuote(q.symbol, q.bid, q.ask);
      } catch (error) {
        this.log.debug({ err: error, symbol: q.symbol }, 'risk: stored quote skipped');
      }
    }
  }

  private openAccount(book: PlatformBook, row: AccountRow): LiveAccount | null {
    if (!this.groups.has(row.risk_group_id)) return null;
    const account: LiveAccount = {
      id: row.id,
      login: row.login,
      brandId: row.brand_id,
      platformId: row.platform_id,
      currency: row.currency.trim(),
      appliedSeq: 0,
    };
    // The platform's own account leverage is not known here: the group's caps decide the margin.
    // A challenge account starts at its initial balance, which no platform reports as an event (the
    // phase starts there); starting at zero, a first deal read before the first balance snapshot
    // looked like a negative equity and stopped the trader out.
    book.margin.openAccount({
      login: row.login,
      riskGroup: row.risk_group_id,
      currency: account.currency,
      leverage: MAX_LEVERAGE,
      balance: row.opening_balance ?? '0',
      book: row.book,
    });
    book.accounts.set(row.id, account);
    book.byLogin.set(row.login, account);
    this.accountsById.set(row.id, { book, account });
    return account;
  }

  // ----- live feed ----------------------------------------------------------------------------

  /** Accounts whose journal grew (from ingestion's `onAppended`). */
  wake(advanced: readonly { accountId: string; seq: number }[]): void {
    if (this.stopped) return;
    for (const a of advanced) this.pending.set(a.accountId, Math.max(this.pending.get(a.accountId) ?? 0, a.seq));
    if (!this.draining) {
      this.draining = this.drain()
        .catch((error) => this.log.error({ err: error }, 'risk: journal apply failed'))
        .finally(() => {
          this.draining = null;
          if (this.pending.size > 0) this.wake([]);
        });
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const ids = [...this.pending.keys()];
      this.pending.clear();
      const unknown = ids.filter((id) => !this.accountsById.has(id));
      if (unknown.length > 0) await this.loadAccounts(unknown);
      const known = ids.filter((id) => this.accountsById.has(id));
      if (known.length === 0) continue;
      const { rows } = await this.pool.query<JournalRow>(
        `SELECT e.account_id, e.seq, e.type, e.payload
           FROM unnest($1::uuid[], $2::bigint[]) AS u(id, after)
           JOIN platform_event e ON e.account_id = u.id AND e.seq > u.after
          WHERE e.type = ANY($3::text[])
          ORDER BY e.account_id, e.seq`,
        [known, known.map((id) => this.accountsById.get(id)!.account.appliedSeq), JOURNAL_TYPES],
      );
      for (const row of rows) {
        const events = this.applyEntry(row);
        const live = this.accountsById.get(row.account_id);
        if (live && events.length > 0) this.handle(live.book, live.account, events, Number(row.seq));
      }
      for (const id of known) this.markDirty(this.accountsById.get(id)!.account.brandId);
      this.options.onApplied?.(known);
    }
  }

  private async loadAccounts(ids: string[]): Promise<void> {
    await this.ensureRiskAccounts(ids);
    const { rows } = await this.pool.query<AccountRow>(
      `SELECT p.id, p.platform_id, p.brand_id, p.login, p.currency, r.risk_group_id, r.book, r.in_margin_call,
              (SELECT c.initial_balance::text FROM challenge_account c WHERE c.platform_account_id = p.id) AS opening_balance
         FROM platform_account p JOIN risk_account r ON r.platform_account_id = p.id WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of rows) {
      if (this.accountsById.has(row.id)) continue;
      const book = await this.bookFor(row.platform_id, row.brand_id);
      if (!book) continue;
      const stale = book.byLogin.get(row.login);
      if (stale) this.forgetAccount(book, stale);
      this.openAccount(book, row);
    }
  }

  private forgetAccount(book: PlatformBook, account: LiveAccount): void {
    book.margin.removeAccount(account.login);
    book.accounts.delete(account.id);
    book.byLogin.delete(account.login);
    this.accountsById.delete(account.id);
  }

  /** Quotes of an ingested batch (from ingestion's `onQuotes`): the hot path. */
  quotes(platformId: string, quotes: readonly QuoteWireEvent[]): void {
    const book = this.books.get(platformId);
    if (!book) return;
    for (const q of quotes) {
      if (!book.rates.find(q.symbol)) continue;
      let events: readonly RiskEvent[];
      try {
        events = book.margin.applyQuote(q.symbol, q.bid, q.ask);
      } catch (error) {
        this.log.debug({ err: error, symbol: q.symbol }, 'risk: quote skipped');
        continue;
      }
      for (const e of events) {
        const account = book.byLogin.get(e.login);
        if (account) this.handle(book, account, [e], account.appliedSeq);
      }
    }
    this.markDirty(book.brandId);
  }

  /**
   * A new demo run on a simulator: its market and accounts start afresh, so the platform's book
   * is dropped; the new run's accounts load as their events arrive.
   */
  resetPlatform(platformId: string): void {
    const book = this.books.get(platformId);
    if (!book) return;
    for (const account of book.accounts.values()) this.accountsById.delete(account.id);
    this.books.delete(platformId);
    this.markDirty(book.brandId);
  }

  /** Applies one journal entry to its account's book; returns what the book raised. */
  private applyEntry(row: JournalRow): readonly RiskEvent[] {
    const live = this.accountsById.get(row.account_id);
    if (!live) return [];
    const { book, account } = live;
    const seq = Number(row.seq);
    if (seq <= account.appliedSeq) return [];
    account.appliedSeq = seq;
    const m = book.margin;
    const e = row.payload;
    const login = account.login;
    try {
      switch (e.type) {
        case 'deal': {
          const state = m.accountState(login);
          const known = state.byId.get(e.position);
          const cash = sum(e.profit, e.commission, e.swap);
          if (e.entry === 'in') {
            const events: RiskEvent[] = [];
            if (known) {
              // Netting: the deal adds to the position at a volume-weighted price.
              const held = Number(m.account(login).positions.find((p) => p.id === e.position)?.volume ?? 0);
              const volume = held + Number(e.volume);
              const price = (held * priceOf(known) + Number(e.volume) * Number(e.price)) / volume;
              events.push(
                ...m.updatePosition(login, e.position, {
                  volume: volume.toFixed(8),
                  openPrice: price.toFixed(known.market.instrument.digits),
                }),
              );
            } else {
              events.push(
                ...m.openPosition(login, {
                  id: e.position,
                  symbol: e.symbol,
                  side: e.side,
                  volume: e.volume,
                  openPrice: e.price,
                }),
              );
            }
            if (cash !== '0') events.push(...m.applyBalance(login, cash));
            return events;
          }
          if (!known) return cash !== '0' ? m.applyBalance(login, cash) : [];
          const held = m.account(login).positions.find((p) => p.id === e.position)?.volume ?? '0';
          const left = Number(held) - Number(e.volume);
          if (left > 1e-9) {
            return [
              ...m.updatePosition(login, e.position, { volume: left.toFixed(8) }),
              ...m.applyBalance(login, cash),
            ];
          }
          return m.closePosition(login, e.position, cash);
        }
        case 'balance':
          return m.applyBalance(login, e.amount);
        case 'equity': {
          if (e.balance === undefined) return [];
          const diff = sum(e.balance, negate(m.account(login).balance));
          return diff === '0' ? [] : m.applyBalance(login, diff);
        }
        case 'position': {
          const state = m.accountState(login);
          if (state.byId.has(e.position)) return [];
          return m.openPosition(login, {
            id: e.position,
            symbol: e.symbol,
            side: e.side,
            volume: e.volume,
            openPrice: e.openPrice,
          });
        }
        default:
          return [];
      }
    } catch (error) {
      this.log.debug({ err: error, accountId: account.id, seq }, 'risk: journal entry skipped');
      return [];
    }
  }

  // ----- what the books raise -----------------------------------------------------------------

  private handle(book: PlatformBook, account: LiveAccount, events: readonly RiskEvent[], seq: number): void {
    if (events.length === 0) return;
    const copy = [...events];
    this.writes = this.writes
      .then(() => this.record(book, account, copy, seq))
      .catch((error) => this.log.error({ err: error, accountId: account.id }, 'risk: recording an event failed'));
  }

  private async record(book: PlatformBook, account: LiveAccount, events: RiskEvent[], seq: number): Promise<void> {
    const client = await this.pool.connect();
    let queued = false;
    try {
      await client.query('BEGIN');
      for (const event of events) queued = (await this.recordOne(client, account, event, seq)) || queued;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (queued) this.options.onCommands?.();
    this.markDirty(book.brandId);
  }

  private async recordOne(client: PoolClient, account: LiveAccount, event: RiskEvent, seq: number): Promise<boolean> {
    const logEvent = () =>
      client.query('INSERT INTO risk_event (brand_id, platform_account_id, kind, detail) VALUES ($1, $2, $3, $4)', [
        account.brandId,
        account.id,
        event.type,
        JSON.stringify(event),
      ]);
    const command = (commandId: string, kind: string, payload: object) =>
      client.query(
        `INSERT INTO risk_command (brand_id, platform_id, platform_account_id, login, command_id, kind, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (command_id) DO NOTHING`,
        [account.brandId, account.platformId, account.id, account.login, commandId, kind, JSON.stringify(payload)],
      );
    switch (event.type) {
      case 'MARGIN_CALL': {
        // Once per crossing, across restarts: only the first writer flips the stored flag.
        const { rows } = await client.query<{ margin_calls: number }>(
          `UPDATE risk_account SET in_margin_call = true, margin_calls = margin_calls + 1
            WHERE platform_account_id = $1 AND brand_id = $2 AND NOT in_margin_call RETURNING margin_calls`,
          [account.id, account.brandId],
        );
        if (!rows[0]) return false;
        await logEvent();
        await command(`risk:margin-call:${account.id}:${rows[0].margin_calls}`, 'SET_MODE', { mode: 'CLOSE_ONLY' });
        return true;
      }
      case 'MARGIN_CALL_CLEARED': {
        const { rows } = await client.query<{ margin_calls: number }>(
          `UPDATE risk_account SET in_margin_call = false
            WHERE platform_account_id = $1 AND brand_id = $2 AND in_margin_call RETURNING margin_calls`,
          [account.id, account.brandId],
        );
        if (!rows[0]) return false;
        await logEvent();
        await command(`risk:margin-call-cleared:${account.id}:${rows[0].margin_calls}`, 'SET_MODE', { mode: 'FULL' });
        return true;
      }
      case 'STOP_OUT': {
        await logEvent();
        // A position closes once: its close command is keyed by the position alone. In order, largest loss first.
        for (const close of event.close) {
          await command(`risk:stop-out:${account.id}:${close.position}`, 'CLOSE_POSITION', {
            position: close.position,
          });
        }
        return event.close.length > 0;
      }
      case 'NEGATIVE_BALANCE_CORRECTION': {
        await logEvent();
        await command(`risk:nbp:${account.id}:${seq}`, 'CORRECTION', { amount: event.amount });
        return true;
      }
    }
  }

  // ----- changes from the back office ---------------------------------------------------------

  /** A group was created or changed (committed): every book of its brand re-margins at once. */
  setGroup(group: RiskGroup): void {
    this.groups.set(group.id, group);
    for (const book of this.books.values()) {
      if (book.brandId !== group.brand) continue;
      const events = book.margin.setGroup(group);
      this.handleAll(book, events);
    }
    this.markDirty(group.brand);
  }

  deleteGroup(id: string): void {
    this.groups.delete(id);
  }

  /** An account moved to another group or book (committed). */
  moveAccount(platformAccountId: string, riskGroupId: string, bookChoice?: Book): void {
    const live = this.accountsById.get(platformAccountId);
    if (!live) return;
    const { book, account } = live;
    if (bookChoice) book.margin.setAccountBook(account.login, bookChoice);
    const events = book.margin.changeAccountGroup(account.login, riskGroupId);
    this.handleAll(book, events);
    this.markDirty(account.brandId);
  }

  private handleAll(book: PlatformBook, events: readonly RiskEvent[]): void {
    for (const e of events) {
      const account = book.byLogin.get(e.login);
      if (account) this.handle(book, account, [e], account.appliedSeq);
    }
  }

  group(id: string): RiskGroup | undefined {
    return this.groups.get(id);
  }

  booksOfBrand(brandId: string): PlatformBook[] {
    return [...this.books.values()].filter((b) => b.brandId === brandId);
  }

  live(platformAccountId: string): { book: PlatformBook; account: LiveAccount } | undefined {
    return this.accountsById.get(platformAccountId);
  }

  // ----- change notifications -----------------------------------------------------------------

  /** One exposure tick per brand per turn of the event loop, however many quotes moved. */
  private markDirty(brandId: string): void {
    this.dirtyBrands.add(brandId);
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    setImmediate(() => {
      this.publishScheduled = false;
      for (const brand of this.dirtyBrands) this.pubsub.publish(RiskTopic.exposure(brand), Date.now());
      this.dirtyBrands.clear();
    });
  }
}

function priceOf(p: PositionState): number {
  return p.openPrice / p.market.scale;
}

function sum(...values: (string | undefined)[]): string {
  return decimalSum(values);
}
