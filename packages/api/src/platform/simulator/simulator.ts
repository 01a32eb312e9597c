/**
 * The simulator: the default trading platform, for demos, tests and benchmarks.
 *
 * DETERMINISM. The event stream is a pure function of (seed, options, simulated time): time moves
 * only in fixed ticks from `start`, and each tick does the same work in the same order (prices,
 * quotes, rollover, traders' decisions, stop-outs and snapshots). How the ticks are batched —
 * one `advanceTo` a year ahead, or a driver taking many small steps at some speed — changes
 * nothing in the stream. Commands from the back office are applied at the current simulated
 * instant, so they are part of the stream too; replaying them at the same instants replays it.
 */
import { formatMoney } from '../../rules/money';
import { publicInstrument, SIM_INSTRUMENTS, type SimInstrument } from '../instruments';
import {
  type AccountState,
  type BalanceOperationCommand,
  type ChangeGroupCommand,
  type ChangeLeverageCommand,
  type ClosedPositions,
  type ClosePositionCommand,
  type CloseAllPositionsCommand,
  type Command,
  type CommandReceipt,
  type CreateAccountCommand,
  type CreatedAccount,
  type Instrument,
  type PasswordReset,
  type PlatformClock,
  PlatformError,
  type PlatformEvent,
  type PlatformListener,
  type ResetPasswordCommand,
  rejected,
  type SetTradingModeCommand,
  type Side,
  type TradingPlatform,
  TRADING_MODES,
  type Unsubscribe,
  unavailable,
} from '../platform';
import { DEFAULT_GROUP, ESMA_RETAIL_CAPS, type GroupSettings, type SimAccount } from './accounts';
import { TraderDesk } from './desk';
import {
  DEFAULT_SHOCKS,
  DEFAULT_TREND,
  Market,
  type ScheduledShock,
  type ShockSettings,
  type TrendSettings,
} from './market';
import { Random } from './random';
import { formatInstant, type NewAccount, TradeServer } from './trade-server';
import { createStrategy, type Strategy, TRADER_BEHAVIOURS, type TraderBehaviour } from './traders';

const HOUR_MS = 3_600_000;
const INFINITY = Number.POSITIVE_INFINITY;
const DAY_MS = 24 * HOUR_MS;

export interface SimulatorOptions {
  seed: number;
  /** First instant (ISO or epoch ms), a whole number of ticks [Monday 2025-03-03T00:00:00Z]. */
  start?: string | number;
  /** Simulated time per market step [1 s]. Every interval below must be a multiple of it. */
  tickMs?: number;
  /** Quotes of open instruments every … [1 min]; 0: none. */
  quoteIntervalMs?: number;
  /** Stop-out check and equity snapshot of accounts with open positions every … [1 min]. */
  equityIntervalMs?: number;
  /** Snapshot of each open position every … [5 min]; 0: none. Must be a multiple of the equity interval. */
  positionIntervalMs?: number;
  /** Daily financing at this UTC hour [22, New York 17:00 in winter]. */
  rolloverHourUtc?: number;
  instruments?: readonly SimInstrument[];
  /** Risk groups by name, added to the defaults; an unknown group name gets DEFAULT_GROUP. */
  groups?: Readonly<Record<string, GroupSettings>>;
  trend?: Partial<TrendSettings>;
  /** Random shocks; null: none (scheduled shocks still happen). */
  shocks?: Partial<ShockSettings> | null;
  scheduledShocks?: readonly { symbol: string; at: string | number; factor: number; durationMs: number }[];
  /** Server name handed to traders [Brokerdeck-Sim]. */
  server?: string;
  /** First login handed out [7000001]. */
  firstLogin?: number;
  /** Prefix of event ids [sim-]. */
  eventIdPrefix?: string;
}

/** The account a simulated trader gets unless told otherwise. */
export const DEFAULT_TRADER_ACCOUNT: NewAccount = {
  group: 'sim\\prop',
  leverage: 100,
  currency: 'USD',
  startingBalance: '100000.00',
};

export const DEFAULT_GROUPS: Readonly<Record<string, GroupSettings>> = {
  'sim\\prop': DEFAULT_GROUP,
  'sim\\retail-esma': { marginCallLevel: 100, stopOutLevel: 50, leverageCaps: ESMA_RETAIL_CAPS },
};

export const DEFAULT_START = '2025-03-03T00:00:00Z';

interface TraderSlot {
  login: string;
  behaviour: TraderBehaviour;
  strategy: Strategy;
  desk: TraderDesk;
  /** Creation order: breaks ties between decisions due at the same tick. */
  order: number;
  due: number;
}

/** Traders by next decision time: a binary min-heap on (due, order). */
class DecisionQueue {
  private readonly heap: TraderSlot[] = [];

  private before(a: TraderSlot, b: TraderSlot): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  nextDue(): number {
    return this.heap.length === 0 ? INFINITY : this.heap[0].due;
  }

  push(slot: TraderSlot): void {
    const heap = this.heap;
    heap.push(slot);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  pop(): TraderSlot {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as TraderSlot;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && this.before(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}

type JournalEntry = { fingerprint: string; result: unknown } | { fingerprint: string; error: PlatformError };

function toInstant(value: string | number | Date): number {
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(at)) throw new Error(`not an instant: ${String(value)}`);
  return at;
}

function requireMultiple(name: string, value: number, of: number, zeroAllowed: boolean): void {
  if ((value === 0 && zeroAllowed) || (value > 0 && Number.isInteger(value / of))) return;
  throw new Error(`${name} (${value}) must be a positive multiple of ${of}`);
}

export class SimulatedPlatform implements TradingPlatform {
  readonly kind = 'simulator';
  readonly server: string;
  readonly clock: PlatformClock;
  readonly market: Market;
  readonly seed: number;
  readonly start: number;
  readonly tickMs: number;
  private readonly trade: TradeServer;
  private readonly quoteEvery: number;
  private readonly equityEvery: number;
  private readonly positionEvery: number;
  private readonly rolloverAt: number;
  private readonly eventIdPrefix: string;
  private current: number;
  private eventSeq = 0;
  private requestSeq = 0;
  private pending: PlatformEvent[] = [];
  private readonly listeners = new Set<PlatformListener>();
  private readonly journal = new Map<string, JournalEntry>();
  private readonly queue = new DecisionQueue();
  private readonly slots: TraderSlot[] = [];
  private reachable = true;

  constructor(options: SimulatorOptions) {
    this.seed = options.seed;
    this.tickMs = options.tickMs ?? 1_000;
    this.start = toInstant(options.start ?? DEFAULT_START);
    this.quoteEvery = options.quoteIntervalMs ?? 60_000;
    this.equityEvery = options.equityIntervalMs ?? 60_000;
    this.positionEvery = options.positionIntervalMs ?? 300_000;
    this.rolloverAt = (options.rolloverHourUtc ?? 22) * HOUR_MS;
    requireMultiple('tickMs', this.tickMs, 1, false);
    requireMultiple('start', this.start, this.tickMs, true);
    requireMultiple('quoteIntervalMs', this.quoteEvery, this.tickMs, true);
    requireMultiple('equityIntervalMs', this.equityEvery, this.tickMs, false);
    requireMultiple('positionIntervalMs', this.positionEvery, this.equityEvery, true);
    requireMultiple('rollover', this.rolloverAt === 0 ? DAY_MS : this.rolloverAt, this.tickMs, false);
    this.current = this.start;
    this.server = options.server ?? 'Brokerdeck-Sim';
    this.eventIdPrefix = options.eventIdPrefix ?? 'sim-';
    this.clock = { now: () => new Date(this.current) };
    const scheduledShocks: ScheduledShock[] = (options.scheduledShocks ?? []).map((s) => ({
      ...s,
      at: toInstant(s.at),
    }));
    this.market = new Market({
      seed: options.seed,
      start: this.start,
      tickMs: this.tickMs,
      instruments: options.instruments ?? SIM_INSTRUMENTS,
      trend: { ...DEFAULT_TREND, ...options.trend },
      shocks: options.shocks === null ? null : { ...DEFAULT_SHOCKS, ...options.shocks },
      scheduledShocks,
    });
    this.trade = new TradeServer({
      market: this.market,
      groups: { ...DEFAULT_GROUPS, ...options.groups },
      firstLogin: options.firstLogin ?? 7_000_001,
      eventId: () => `${this.eventIdPrefix}${++this.eventSeq}`,
      now: () => this.current,
      emit: (event) => this.pending.push(event),
    });
  }

  /** The simulated now (epoch ms): the instant of the last tick processed. */
  get now(): number {
    return this.current;
  }

  // -------------------------------------------------------------------------------------------
  // Time
  // -------------------------------------------------------------------------------------------

  /** Runs every tick up to and including `instant`; returns (and delivers) the events produced. */
  advanceTo(instant: number | string | Date): PlatformEvent[] {
    const target = toInstant(instant);
    for (let at = this.current + this.tickMs; at <= target; at += this.tickMs) this.tick(at);
    return this.flush();
  }

  runFor(simulatedMs: number): PlatformEvent[] {
    return this.advanceTo(this.current + simulatedMs);
  }

  private tick(at: number): void {
    this.current = at;
    this.market.step(at);
    if (this.quoteEvery > 0 && at % this.quoteEvery === 0) this.emitQuotes();
    if (at % DAY_MS === this.rolloverAt) this.trade.rollover(at);
    while (this.queue.nextDue() <= at) this.decide(this.queue.pop(), at);
    if (at % this.equityEvery === 0) this.trade.snapshots(this.positionEvery > 0 && at % this.positionEvery === 0);
  }

  private decide(slot: TraderSlot, at: number): void {
    slot.desk.at = at;
    const wait = slot.strategy(slot.desk);
    slot.due = at + Math.max(1, Math.ceil(wait / this.tickMs)) * this.tickMs;
    this.queue.push(slot);
  }

  private emitQuotes(): void {
    const at = formatInstant(this.current);
    for (const instrument of this.market.instruments) {
      if (!instrument.open) continue;
      const { symbol, digits } = instrument.spec;
      this.pending.push({
        eventId: `${this.eventIdPrefix}${++this.eventSeq}`,
        at,
        type: 'quote',
        symbol,
        bid: formatMoney(instrument.bidPoints, digits),
        ask: formatMoney(instrument.askPoints, digits),
      });
    }
  }

  private flush(): PlatformEvent[] {
    const events = this.pending;
    this.pending = [];
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    return events;
  }

  subscribe(listener: PlatformListener): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Active volatility shocks (ISO `until`). */
  shocks(): { symbol: string; factor: number; until: string }[] {
    return this.market.shocks().map((s) => ({ ...s, until: formatInstant(s.until) }));
  }

  // -------------------------------------------------------------------------------------------
  // Simulated traders
  // -------------------------------------------------------------------------------------------

  /** Opens an account for a simulated trader with `behaviour`; returns its login. */
  addTrader(behaviour: TraderBehaviour, account: Partial<NewAccount> = {}): string {
    const created = this.trade.createAccount({ ...DEFAULT_TRADER_ACCOUNT, ...account });
    const rng = new Random(this.seed, `trader:${created.login}`);
    const slot: TraderSlot = {
      login: created.login,
      behaviour,
      strategy: createStrategy(behaviour),
      desk: new TraderDesk(this.trade, this.market, created, rng),
      order: this.slots.length,
      // Spread the first decisions over five minutes so that traders do not all act at once.
      due: this.current + rng.int(1, Math.max(1, Math.floor(300_000 / this.tickMs))) * this.tickMs,
    };
    this.slots.push(slot);
    this.queue.push(slot);
    this.flush();
    return created.login;
  }

  /** `count` traders, behaviours in turn (all six by default); returns their logins. */
  addTraders(
    count: number,
    options: { behaviours?: readonly TraderBehaviour[]; account?: Partial<NewAccount> } = {},
  ): string[] {
    const behaviours = options.behaviours ?? TRADER_BEHAVIOURS;
    return Array.from({ length: count }, (_, i) => this.addTrader(behaviours[i % behaviours.length], options.account));
  }

  traders(): { login: string; behaviour: TraderBehaviour; refusals: number }[] {
    return this.slots.map((s) => ({ login: s.login, behaviour: s.behaviour, refusals: s.desk.refusals }));
  }

  /** Every account (for summaries); read-only use. */
  accounts(): readonly SimAccount[] {
    return this.trade.accounts;
  }

  /** As the trader's own terminal: opens a position, bound by the trading mode. Returns its ticket. */
  terminalOpen(request: { login: string; symbol: string; side: Side; volume: string }): string {
    const account = this.trade.account(request.login);
    const centilots = Math.round(Number(request.volume) * 100);
    const position = this.trade.open(account, request.symbol, request.side === 'buy' ? 1 : -1, centilots, 'TRADER');
    this.flush();
    return position.ticket;
  }

  /** As the trader's own terminal: closes a position. Returns the `out` deal's ticket. */
  terminalClose(request: { login: string; position: string }): string {
    const account = this.trade.account(request.login);
    const deal = this.trade.close(account, this.trade.findPosition(account, request.position), 'TRADER');
    this.flush();
    return deal;
  }

  /** Simulates losing the connection to the platform: every command fails PLATFORM_UNAVAILABLE. */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  // -------------------------------------------------------------------------------------------
  // TradingPlatform commands: idempotent by commandId
  // -------------------------------------------------------------------------------------------

  /**
   * Runs a command once. The journal keeps each commandId's result (or rejection): a repeat
   * returns it without acting again; the same id with a different command is refused.
   */
  private async once<T>(command: Command, perform: () => T): Promise<T> {
    if (!this.reachable) throw unavailable('the simulated platform is unreachable');
    if (typeof command.commandId !== 'string' || command.commandId.length === 0) {
      throw rejected('INVALID_REQUEST', 'commandId is required');
    }
    const fingerprint = JSON.stringify(command, Object.keys(command).sort());
    const seen = this.journal.get(command.commandId);
    if (seen !== undefined) {
      if (seen.fingerprint !== fingerprint) {
        throw rejected('COMMAND_ID_REUSED', `commandId ${command.commandId} was used for another command`);
      }
      if ('error' in seen) throw seen.error;
      return seen.result as T;
    }
    try {
      const result = perform();
      this.journal.set(command.commandId, { fingerprint, result });
      return result;
    } catch (error) {
      if (error instanceof PlatformError) this.journal.set(command.commandId, { fingerprint, error });
      throw error;
    } finally {
      this.flush();
    }
  }

  private requestId(): string {
    this.requestSeq += 1;
    return `req-${this.requestSeq}`;
  }

  private credentials(account: SimAccount) {
    return {
      login: account.login,
      server: this.server,
      password: account.password,
      investorPassword: account.investorPassword,
    };
  }

  async listInstruments(): Promise<Instrument[]> {
    if (!this.reachable) throw unavailable('the simulated platform is unreachable');
    return this.market.instruments.map((i) => publicInstrument(i.spec));
  }

  createAccount(command: CreateAccountCommand): Promise<CreatedAccount> {
    return this.once(command, () => {
      const { commandId: _, ...request } = command;
      const account = this.trade.createAccount(request);
      return { commandId: command.commandId, platformId: account.login, ...this.credentials(account) };
    });
  }

  resetPassword(command: ResetPasswordCommand): Promise<PasswordReset> {
    return this.once(command, () => {
      const account = this.trade.account(command.login);
      this.trade.resetPassword(account);
      return { commandId: command.commandId, platformId: this.requestId(), ...this.credentials(account) };
    });
  }

  setTradingMode(command: SetTradingModeCommand): Promise<CommandReceipt> {
    return this.once(command, () => {
      if (!TRADING_MODES.includes(command.mode)) throw rejected('INVALID_REQUEST', `unknown mode ${command.mode}`);
      this.trade.setMode(this.trade.account(command.login), command.mode);
      return { commandId: command.commandId, platformId: this.requestId() };
    });
  }

  closePosition(command: ClosePositionCommand): Promise<ClosedPositions> {
    return this.once(command, () => {
      const account = this.trade.account(command.login);
      const deal = this.trade.close(account, this.trade.findPosition(account, command.position), 'BACK_OFFICE');
      return { commandId: command.commandId, platformId: this.requestId(), deals: [deal] };
    });
  }

  closeAllPositions(command: CloseAllPositionsCommand): Promise<ClosedPositions> {
    return this.once(command, () => {
      const deals = this.trade.closeAll(this.trade.account(command.login), 'BACK_OFFICE');
      return { commandId: command.commandId, platformId: this.requestId(), deals };
    });
  }

  changeLeverage(command: ChangeLeverageCommand): Promise<CommandReceipt> {
    return this.once(command, () => {
      const account = this.trade.account(command.login);
      if (!Number.isInteger(command.leverage) || command.leverage < 1 || command.leverage > 1000) {
        throw rejected('INVALID_REQUEST', 'leverage must be a whole number from 1 to 1000');
      }
      account.leverage = command.leverage;
      return { commandId: command.commandId, platformId: this.requestId() };
    });
  }

  changeGroup(command: ChangeGroupCommand): Promise<CommandReceipt> {
    return this.once(command, () => {
      if (command.group.length === 0) throw rejected('INVALID_REQUEST', 'a group name is required');
      this.trade.account(command.login).group = command.group;
      return { commandId: command.commandId, platformId: this.requestId() };
    });
  }

  balanceOperation(command: BalanceOperationCommand): Promise<CommandReceipt> {
    return this.once(command, () => {
      const account = this.trade.account(command.login);
      const amount = this.trade.amount(command.amount, account.digits);
      const ticket = this.trade.balanceOperation(account, command.kind, amount);
      return { commandId: command.commandId, platformId: ticket };
    });
  }

  async getAccount(login: string): Promise<AccountState> {
    if (!this.reachable) throw unavailable('the simulated platform is unreachable');
    return this.trade.state(this.trade.account(login));
  }
}
