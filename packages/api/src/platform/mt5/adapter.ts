/**
 * `Mt5Platform`: the TradingPlatform seam (../platform.ts) over the MT5 Manager Web API
 * (mt5-webapi.md), one instance per brand and server.
 *
 * Commands and their MT5 requests:
 *   createAccount      group/get (deposit currency), user/add (passwords in the JSON body), then
 *                      trade/balance for the starting balance (tagged I: no balance event)
 *   resetPassword      user/change_password, main then investor (settings.passwordChange*)
 *   setTradingMode     user/get, then user/update of the Rights bits (settings.modeRights)
 *   changeLeverage     user/update leverage=…, checked in the answer (MT5 ignores invalid values)
 *   changeGroup        user/update group=…, checked likewise
 *   balanceOperation   trade/balance, the command's tag first in the comment
 *   closePosition(s)   position/get_batch, dealer/send_request (Action 200, the position's
 *                      ticket, the opposite side), dealer/get_request_result until final
 *   getAccount         user/get, user/account/get (falls back to Balance/Credit), position/get_batch
 *
 * Idempotency: MT5 has no idempotency key, so every command goes through the local
 * `CommandJournal` by commandId (journal.ts). Safe commands (absolute updates, password changes
 * with the journalled passwords, reads) are retried with back-off. Unsafe ones (trade/balance,
 * user/add, dealer requests) are sent at most once per attempt: when an attempt's outcome is
 * unknown (timeout, dropped connection, crash before the journal heard back), the next call with
 * the same commandId first looks for the attempt's trace — the tagged deal comment, the tagged
 * user comment, the position gone with its closing deals — and sends again only when there is
 * none and `reconcileSettleMs` has passed since that attempt.
 */
import { randomInt } from 'node:crypto';
import { minorUnitDigits } from '../../rules/money';
import {
  type AccountState,
  type BalanceOperationCommand,
  BALANCE_OPERATION_KINDS,
  type ChangeGroupCommand,
  type ChangeLeverageCommand,
  type ClosedPositions,
  type CloseAllPositionsCommand,
  type ClosePositionCommand,
  type Command,
  type CommandReceipt,
  type CreateAccountCommand,
  type CreatedAccount,
  type Instrument,
  type PasswordReset,
  type PlatformClock,
  PlatformError,
  type PlatformListener,
  type PositionState,
  type ResetPasswordCommand,
  type SetTradingModeCommand,
  type TradingPlatform,
  TRADING_MODES,
  type Unsubscribe,
} from '../platform';
import { type RetryOptions, withRetry } from '../retry';
import { type Mt5Answer, Mt5Client, type Mt5Logger, silentLogger } from './client';
import { Mt5Error, rejectedError, retcodeError, unavailableError } from './errors';
import {
  type CommandJournal,
  commandTag,
  InMemoryCommandJournal,
  type JournalEntry,
  parseTag,
  TAG_LETTERS,
  type TagLetter,
  taggedComment,
} from './journal';
import { DEAL_ENTRY, positionSide } from './mapping';
import { Mt5Poller, type Mt5PollerOptions } from './poller';
import { applyMode, modeOfRights, type Mt5Settings, resolveSettings } from './settings';
import {
  bigintField,
  decimalOr,
  formatLots,
  formatScaled,
  has,
  idField,
  intOr,
  isoInstant,
  isRecord,
  type Mt5Record,
  scaled,
  text,
  utcMs,
  volumeExt,
} from './units';

export interface Mt5PlatformOptions {
  /** The brand's MT5 access server, e.g. "https://mt5.broker.example:443". */
  url: string;
  /** The manager account the adapter acts as. */
  managerLogin: string;
  /** The manager's password: hashed at once, never stored, logged or put in an error. */
  password: string;
  /** The server name traders type into their terminal [the URL's host name]. */
  server?: string;
  /** The unconfirmed points of the API (settings.ts), each with its documented default. */
  settings?: Partial<Mt5Settings>;
  /** Trusted CA certificate(s), PEM, for a private or self-signed certificate. */
  ca?: string | Buffer | (string | Buffer)[];
  rejectUnauthorized?: boolean;
  /** Where commands are remembered by commandId [in memory]. */
  journal?: CommandJournal;
  logger?: Mt5Logger;
  /** The instruments to report: the documented Web API has no symbol list [none]. */
  instruments?: readonly Instrument[];
  /** Back-off for safe requests (reads, absolute updates) [retry.ts defaults]. */
  retry?: RetryOptions;
  /** Poller tuning (intervals, overlap, snapshot lag, first instant). */
  poll?: Omit<Mt5PollerOptions, 'transport' | 'server' | 'settings' | 'logger' | 'now'>;
  /** UTC epoch ms; injectable for tests. */
  now?: () => number;
  /** Trader password generator [12 random characters meeting MT5's rules]. */
  generatePassword?: () => string;
}

type Progress = Record<string, string>;

export class Mt5Platform implements TradingPlatform {
  readonly kind = 'mt5';
  readonly server: string;
  readonly clock: PlatformClock;
  readonly settings: Mt5Settings;
  readonly poller: Mt5Poller;
  private readonly client: Mt5Client;
  private readonly journal: CommandJournal;
  private readonly logger: Mt5Logger;
  private readonly instruments: readonly Instrument[];
  private readonly retryOptions: RetryOptions;
  private readonly now: () => number;
  private readonly generatePassword: () => string;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly groupCurrencies = new Map<string, string>();

  constructor(options: Mt5PlatformOptions) {
    const { password, ...rest } = options;
    this.settings = resolveSettings(rest.settings);
    this.now = rest.now ?? Date.now;
    this.logger = rest.logger ?? silentLogger;
    this.client = new Mt5Client({
      url: rest.url,
      managerLogin: rest.managerLogin,
      password,
      settings: this.settings,
      ca: rest.ca,
      rejectUnauthorized: rest.rejectUnauthorized,
      logger: this.logger,
      now: this.now,
    });
    this.server = rest.server ?? new URL(rest.url).hostname;
    this.clock = { now: () => new Date(this.now()) };
    this.journal = rest.journal ?? new InMemoryCommandJournal();
    this.instruments = rest.instruments ?? [];
    this.retryOptions = rest.retry ?? {};
    this.generatePassword = rest.generatePassword ?? newPassword;
    this.poller = new Mt5Poller({
      ...rest.poll,
      transport: this.client,
      server: this.server,
      settings: this.settings,
      logger: this.logger,
      now: this.now,
    });
  }

  /** The HTTPS client (monitoring: handshakes, server versions). */
  get connection(): Pick<Mt5Client, 'authentications' | 'versions'> {
    return this.client;
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, server: this.server, client: this.client.toJSON() };
  }

  // -------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------

  subscribe(listener: PlatformListener): Unsubscribe {
    return this.poller.subscribe(listener);
  }

  /** Watches logins for deals and snapshots (createAccount watches its account itself). */
  watch(logins: readonly string[], options: { backfillFrom?: Date } = {}): void {
    this.poller.watch(logins, options);
  }

  startPolling(): void {
    this.poller.start();
  }

  /** Authenticates (when not yet) and pings the server: proves the URL, certificate and credentials. */
  async checkConnection(): Promise<void> {
    await this.client.call('test/access');
  }

  /** Stops polling and logs out. */
  async close(): Promise<void> {
    await this.poller.stop();
    await this.client.close();
  }

  // -------------------------------------------------------------------------------------------
  // Reads
  // -------------------------------------------------------------------------------------------

  async listInstruments(): Promise<Instrument[]> {
    return [...this.instruments];
  }

  async getAccount(login: string): Promise<AccountState> {
    checkLogin(login);
    return this.read(async () => {
      const user = record(await this.client.call('user/get', { login }), 'user/get');
      const state = await this.client.call(
        'user/account/get',
        { login },
        { accept: this.settings.accountStateMissingRetcodes },
      );
      const open = await this.openPositions({ login });
      const group = text(user, 'Group');
      const currency = await this.groupCurrency(group);
      const account = isRecord(state.answer) && has(state.answer, 'Login') ? state.answer : null;
      const digits = intOr(account ?? {}, 'CurrencyDigits', currencyDigits(currency));
      const money = (value: unknown, field: string) => formatScaled(scaled(value ?? '0', digits, field), digits);
      let figures: Pick<AccountState, 'balance' | 'equity' | 'margin' | 'freeMargin' | 'marginLevel'>;
      if (account === null) {
        // §2.2: no trade state (no positions, no trades since the server started).
        const balance = scaled(user.Balance ?? '0', digits, 'Balance');
        const equity = formatScaled(balance + scaled(user.Credit ?? '0', digits, 'Credit'), digits);
        figures = {
          balance: formatScaled(balance, digits),
          equity,
          margin: money('0', 'Margin'),
          freeMargin: equity,
          marginLevel: null,
        };
      } else {
        const margin = scaled(account.Margin ?? '0', digits, 'Margin');
        figures = {
          balance: money(account.Balance, 'Balance'),
          equity: money(account.Equity, 'Equity'),
          margin: formatScaled(margin, digits),
          freeMargin: money(account.MarginFree, 'MarginFree'),
          marginLevel: margin === 0n ? null : decimalOr(account, 'MarginLevel', 2),
        };
      }
      return {
        login: idField(user, 'Login'),
        group,
        leverage: intOr(user, 'Leverage', 0),
        currency,
        mode: modeOfRights(bigintField(user, 'Rights'), this.settings),
        ...figures,
        positions: open.map((p) => this.positionState(p, digits)),
      };
    });
  }

  private positionState(position: Mt5Record, moneyDigits: number): PositionState {
    const digits = intOr(position, 'Digits', 5);
    const money = intOr(position, 'DigitsCurrency', moneyDigits);
    return {
      position: idField(position, 'Position'),
      symbol: text(position, 'Symbol'),
      side: positionSide(position, this.settings),
      volume: formatLots(volumeExt(position, 'Volume')),
      openPrice: decimalOr(position, 'PriceOpen', digits),
      currentPrice: decimalOr(position, 'PriceCurrent', digits),
      profit: decimalOr(position, 'Profit', money),
      swap: decimalOr(position, 'Storage', money),
      openedAt: isoInstant(utcMs(position, 'TimeCreate', 'TimeCreateMsc', this.settings.serverTimeOffsetSeconds)),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Commands
  // -------------------------------------------------------------------------------------------

  createAccount(command: CreateAccountCommand): Promise<CreatedAccount> {
    return this.once(command, 'createAccount', TAG_LETTERS.ACCOUNT, async (entry) => {
      if (command.login !== undefined) checkLogin(command.login);
      if (typeof command.group !== 'string' || command.group.length === 0) throw invalid('a group is required');
      if (!Number.isInteger(command.leverage) || command.leverage < 1)
        throw invalid('leverage must be a whole number of at least 1');
      if (!/^[A-Z]{3}$/.test(command.currency)) throw invalid('currency must be an ISO 4217 code');
      const starting = amountOf(command.startingBalance, 'startingBalance');
      if (starting.value < 0n) throw invalid('the starting balance cannot be negative');
      const currency = await this.read(() => this.groupCurrency(command.group));
      if (currency !== command.currency) {
        throw invalid(`group ${command.group} keeps its accounts in ${currency}, not ${command.currency}`);
      }
      if (entry.progress.password === undefined) {
        await this.note(entry, { password: this.generatePassword(), investorPassword: this.generatePassword() });
      }
      const { password, investorPassword } = entry.progress as Progress;
      const name = (command.name ?? '').trim() || `Trader ${command.login ?? ''}`.trim();
      const login = await this.step(
        entry,
        'add',
        () => this.findCreatedUser(command, entry.tag),
        async () => {
          const added = await this.client.call(
            'user/add',
            {
              login: command.login,
              group: command.group,
              name,
              leverage: command.leverage,
              rights: this.settings.newAccountRights,
              comment: taggedComment(entry.tag, undefined, this.settings.userCommentMax),
            },
            { method: 'POST', body: { PassMain: password, PassInvestor: investorPassword } },
          );
          return idField(record(added, 'user/add'), 'Login');
        },
      );
      if (starting.value > 0n) {
        const tag = commandTag(TAG_LETTERS.INITIAL, command.commandId);
        await this.step(
          entry,
          'deposit',
          () => this.findTaggedDeal(login, tag, entry),
          () =>
            this.sendBalance(
              login,
              this.settings.balanceTypes.DEPOSIT,
              starting.text,
              taggedComment(tag, undefined, this.settings.balanceCommentMax),
              false,
            ),
        );
      }
      this.poller.watch([login]);
      return {
        commandId: command.commandId,
        platformId: login,
        login,
        server: this.server,
        password,
        investorPassword,
      };
    });
  }

  resetPassword(command: ResetPasswordCommand): Promise<PasswordReset> {
    return this.once(command, 'resetPassword', TAG_LETTERS.ACCOUNT, async (entry) => {
      checkLogin(command.login);
      if (entry.progress.password === undefined) {
        await this.note(entry, { password: this.generatePassword(), investorPassword: this.generatePassword() });
      }
      const { password, investorPassword } = entry.progress as Progress;
      // Setting a password to the journalled value is idempotent: safe to repeat.
      await this.read(async () => {
        await this.changePassword(command.login, this.settings.passwordChangeTypes.main, password);
        await this.changePassword(command.login, this.settings.passwordChangeTypes.investor, investorPassword);
      });
      return {
        commandId: command.commandId,
        platformId: command.login,
        login: command.login,
        server: this.server,
        password,
        investorPassword,
      };
    });
  }

  setTradingMode(command: SetTradingModeCommand): Promise<CommandReceipt> {
    return this.once(command, 'setTradingMode', TAG_LETTERS.ACCOUNT, async () => {
      checkLogin(command.login);
      if (!TRADING_MODES.includes(command.mode)) throw invalid(`unknown mode ${String(command.mode)}`);
      // Read-modify-write of the rights (§2.1: `rights` replaces the whole mask); absolute, so safe to repeat.
      await this.read(async () => {
        const user = record(await this.client.call('user/get', { login: command.login }), 'user/get');
        const rights = bigintField(user, 'Rights');
        const wanted = applyMode(rights, command.mode, this.settings);
        if (wanted === rights) return;
        const updated = record(
          await this.client.call('user/update', { login: command.login, rights: wanted.toString() }),
          'user/update',
        );
        if (bigintField(updated, 'Rights') !== wanted) throw invalid('MT5 left the account rights unchanged');
      });
      return { commandId: command.commandId, platformId: command.login };
    });
  }

  changeLeverage(command: ChangeLeverageCommand): Promise<CommandReceipt> {
    return this.once(command, 'changeLeverage', TAG_LETTERS.ACCOUNT, async () => {
      checkLogin(command.login);
      if (!Number.isInteger(command.leverage) || command.leverage < 1)
        throw invalid('leverage must be a whole number of at least 1');
      await this.read(async () => {
        const updated = record(
          await this.client.call('user/update', { login: command.login, leverage: command.leverage }),
          'user/update',
        );
        // §2.1: MT5 silently keeps a field it finds invalid.
        if (intOr(updated, 'Leverage', -1) !== command.leverage) {
          throw invalid(`MT5 did not accept leverage 1:${command.leverage} (it kept ${text(updated, 'Leverage')})`);
        }
      });
      return { commandId: command.commandId, platformId: command.login };
    });
  }

  changeGroup(command: ChangeGroupCommand): Promise<CommandReceipt> {
    return this.once(command, 'changeGroup', TAG_LETTERS.ACCOUNT, async () => {
      checkLogin(command.login);
      if (typeof command.group !== 'string' || command.group.length === 0) throw invalid('a group name is required');
      await this.read(async () => {
        const updated = record(
          await this.client.call('user/update', { login: command.login, group: command.group }),
          'user/update',
        );
        if (text(updated, 'Group') !== command.group) {
          throw invalid(`MT5 did not move the account to group ${command.group} (it is in ${text(updated, 'Group')})`);
        }
      });
      return { commandId: command.commandId, platformId: command.login };
    });
  }

  balanceOperation(command: BalanceOperationCommand): Promise<CommandReceipt> {
    const letter = TAG_LETTERS[command.kind] as TagLetter | undefined;
    return this.once(command, 'balanceOperation', letter ?? TAG_LETTERS.CORRECTION, async (entry) => {
      checkLogin(command.login);
      if (!BALANCE_OPERATION_KINDS.includes(command.kind)) throw invalid(`unknown kind ${String(command.kind)}`);
      const amount = amountOf(command.amount, 'amount');
      if (amount.value === 0n) throw invalid('the amount cannot be zero');
      if (command.kind === 'DEPOSIT' && amount.value < 0n) throw invalid('a deposit is positive');
      if ((command.kind === 'WITHDRAWAL' || command.kind === 'PAYOUT') && amount.value > 0n) {
        throw invalid(`a ${command.kind.toLowerCase()} is negative`);
      }
      const comment = taggedComment(entry.tag, command.comment, this.settings.balanceCommentMax);
      const ticket = await this.step(
        entry,
        'balance',
        () => this.findTaggedDeal(command.login, entry.tag, entry),
        () =>
          this.sendBalance(
            command.login,
            this.settings.balanceTypes[command.kind],
            amount.text,
            comment,
            this.settings.balanceCheckMargin[command.kind],
          ),
      );
      return { commandId: command.commandId, platformId: ticket };
    });
  }

  closePosition(command: ClosePositionCommand): Promise<ClosedPositions> {
    return this.once(command, 'closePosition', TAG_LETTERS.CLOSE, async (entry) => {
      checkLogin(command.login);
      if (!/^\d+$/.test(command.position)) throw rejectedError('UNKNOWN_POSITION', `no position ${command.position}`);
      const deals = await this.closeOne(entry, command.login, command.position, true);
      return {
        commandId: command.commandId,
        platformId: entry.progress[`close.${command.position}.request`] ?? deals[0] ?? command.position,
        deals,
      };
    });
  }

  closeAllPositions(command: CloseAllPositionsCommand): Promise<ClosedPositions> {
    return this.once(command, 'closeAllPositions', TAG_LETTERS.CLOSE, async (entry) => {
      checkLogin(command.login);
      const open = await this.read(() => this.openPositions({ login: command.login }));
      const known = entry.progress.positions === undefined ? [] : entry.progress.positions.split(',').filter(Boolean);
      const tickets = [...known];
      for (const position of open) {
        const ticket = idField(position, 'Position');
        if (!tickets.includes(ticket)) tickets.push(ticket);
      }
      await this.note(entry, { positions: tickets.join(',') });
      const openTickets = new Set(open.map((p) => idField(p, 'Position')));
      const deals: string[] = [];
      const requests: string[] = [];
      for (const ticket of tickets) {
        // Gone before this command touched it (a stop-out, the trader): nothing to close.
        if (!openTickets.has(ticket) && entry.progress[`close.${ticket}.state`] === undefined) continue;
        deals.push(...(await this.closeOne(entry, command.login, ticket, false)));
        const request = entry.progress[`close.${ticket}.request`];
        if (request !== undefined) requests.push(request);
      }
      return { commandId: command.commandId, platformId: requests.length > 0 ? requests.join(',') : 'none', deals };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Idempotency
  // -------------------------------------------------------------------------------------------

  /**
   * Runs a command once per commandId: a finished command's outcome is returned from the
   * journal; a concurrent repeat in this process waits for the first; a PENDING entry left by an
   * earlier attempt (or process) is resumed, its unsafe steps reconciled by `step`.
   */
  private once<T>(
    command: Command,
    kind: string,
    letter: TagLetter,
    run: (entry: JournalEntry) => Promise<T>,
  ): Promise<T> {
    if (typeof command.commandId !== 'string' || command.commandId.length === 0) {
      return Promise.reject(invalid('commandId is required'));
    }
    const fingerprint = `${kind}:${JSON.stringify(command, Object.keys(command).sort())}`;
    const running = this.inFlight.get(command.commandId);
    if (running !== undefined) {
      return running.then(async (result) => {
        const entry = await this.journal.get(command.commandId);
        if (entry !== undefined && entry.fingerprint !== fingerprint) throw reused(command.commandId);
        return result as T;
      });
    }
    const execution = this.execute(command.commandId, kind, fingerprint, letter, run);
    this.inFlight.set(command.commandId, execution);
    const forget = () => {
      if (this.inFlight.get(command.commandId) === execution) this.inFlight.delete(command.commandId);
    };
    execution.then(forget, forget);
    return execution;
  }

  private async execute<T>(
    commandId: string,
    kind: string,
    fingerprint: string,
    letter: TagLetter,
    run: (entry: JournalEntry) => Promise<T>,
  ): Promise<T> {
    const startedAt = this.now();
    const fresh: JournalEntry = {
      commandId,
      kind,
      fingerprint,
      tag: commandTag(letter, commandId),
      state: 'PENDING',
      startedAt,
      attemptedAt: startedAt,
      progress: {},
    };
    const existing = await this.journal.begin(fresh);
    let entry = fresh;
    if (existing !== null) {
      if (existing.fingerprint !== fingerprint) throw reused(commandId);
      if (existing.state === 'DONE') return existing.result as T;
      if (existing.state === 'REJECTED' && existing.rejection !== undefined) {
        const { reason, message, retcode } = existing.rejection;
        throw new Mt5Error('PLATFORM_REJECTED', reason, message, retcode);
      }
      entry = { ...existing, progress: { ...existing.progress } };
      this.logger.info({ commandId, kind }, 'mt5 command resumed; its earlier attempt is reconciled first');
    }
    try {
      const result = await run(entry);
      await this.journal.complete(commandId, result);
      this.logger.info({ commandId, kind }, 'mt5 command done');
      return result;
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'PLATFORM_REJECTED') {
        await this.journal.reject(commandId, {
          reason: error.reason,
          message: error.message,
          retcode: error instanceof Mt5Error ? error.retcode : null,
        });
        this.logger.info({ commandId, kind, reason: error.reason }, 'mt5 command rejected');
        throw error;
      }
      if (error instanceof PlatformError) throw error;
      // A malformed answer: the outcome is unknown and retrying blindly will not help.
      throw unavailableError(
        kind,
        `MT5 ${kind}: unexpected answer (${error instanceof Error ? error.message : String(error)})`,
        {
          retryable: false,
        },
      );
    }
  }

  /**
   * One unsafe MT5 step of a command, at most once: its result is kept in the entry's progress;
   * an attempt that may have reached MT5 is looked for (`find`) before anything is sent again, and
   * sent again only when there is no trace of it and `reconcileSettleMs` has passed.
   */
  private async step(
    entry: JournalEntry,
    name: string,
    find: () => Promise<string | null>,
    send: () => Promise<string>,
  ): Promise<string> {
    const done = entry.progress[`${name}.result`];
    if (done !== undefined) return done;
    if (entry.progress[`${name}.state`] === 'SENT') {
      const found = await this.read(find);
      if (found !== null) {
        this.logger.info({ commandId: entry.commandId, step: name }, 'mt5 earlier attempt found on the server');
        await this.note(entry, { [`${name}.result`]: found });
        return found;
      }
      const since = this.now() - Number(entry.progress[`${name}.at`] ?? entry.attemptedAt);
      if (since < this.settings.reconcileSettleMs) {
        throw unavailableError(
          name,
          `an earlier attempt of command ${entry.commandId} may still reach MT5 and left no trace yet; ` +
            `retry in ${Math.ceil((this.settings.reconcileSettleMs - since) / 1000)} s`,
        );
      }
      this.logger.warn({ commandId: entry.commandId, step: name }, 'mt5 earlier attempt left no trace; sending again');
    }
    await this.note(entry, { [`${name}.state`]: 'SENT', [`${name}.at`]: String(this.now()) }, this.now());
    let result: string;
    try {
      result = await send();
    } catch (error) {
      if (error instanceof Mt5Error && error.unsent) await this.note(entry, { [`${name}.state`]: 'NOT_SENT' });
      throw error;
    }
    await this.note(entry, { [`${name}.result`]: result });
    return result;
  }

  private async note(entry: JournalEntry, progress: Progress, attemptedAt?: number): Promise<void> {
    await this.journal.progress(entry.commandId, progress, attemptedAt);
    entry.progress = { ...entry.progress, ...progress };
    if (attemptedAt !== undefined) entry.attemptedAt = attemptedAt;
  }

  /** Safe requests: retried with back-off while the platform is unavailable. */
  private read<T>(work: () => Promise<T>): Promise<T> {
    return withRetry(work, this.retryOptions);
  }

  // -------------------------------------------------------------------------------------------
  // MT5 building blocks
  // -------------------------------------------------------------------------------------------

  private async sendBalance(login: string, type: number, amount: string, comment: string, checkMargin: boolean) {
    const answer = await this.client.call(
      'trade/balance',
      { login, type, balance: amount, comment, check_margin: checkMargin ? 1 : 0 },
      { notFound: 'UNKNOWN_ACCOUNT' },
    );
    return idField(record(answer, 'trade/balance'), 'Ticket');
  }

  /** The deal whose comment starts with `tag`, among the login's deals since the command began (§2.4, §2.6). */
  private async findTaggedDeal(login: string, tag: string, entry: JournalEntry): Promise<string | null> {
    const deals = await this.dealsSince(login, entry.startedAt);
    const deal = deals.find((d) => parseTag(text(d, 'Comment'))?.tag === tag);
    return deal === undefined ? null : idField(deal, 'Deal');
  }

  /** The login's deals from `reconcileLookbackSeconds` before `sinceMs` until now, by the server's clock. */
  private async dealsSince(login: string, sinceMs: number): Promise<Mt5Record[]> {
    const { answer } = await this.client.call('time/server');
    const match = /^\s*(\d+)/.exec(isRecord(answer) ? text(answer, 'Time') : '');
    const serverNow =
      match === null ? Math.floor(this.now() / 1000) + this.settings.serverTimeOffsetSeconds : Number(match[1]);
    const elapsed = Math.max(0, Math.ceil((this.now() - sinceMs) / 1000));
    const lookback = this.settings.reconcileLookbackSeconds;
    const deals = await this.client.call('deal/get_batch', {
      login,
      from: serverNow - elapsed - lookback,
      to: serverNow + lookback,
    });
    return Array.isArray(deals.answer) ? deals.answer.filter(isRecord) : [];
  }

  /** A user this command created before its outcome was recorded: found by the tag in its comment. */
  private async findCreatedUser(command: CreateAccountCommand, tag: string): Promise<string | null> {
    const ours = (user: Mt5Record) => parseTag(text(user, 'Comment'))?.tag === tag;
    if (command.login !== undefined) {
      const found = await this.client.call('user/get', { login: command.login }, { accept: [13] });
      return isRecord(found.answer) && found.retcode !== 13 && ours(found.answer) ? command.login : null;
    }
    const listed = await this.client.call('user/logins', { group: command.group });
    const logins = (Array.isArray(listed.answer) ? listed.answer : [])
      .map((login) => String(login))
      .filter((login) => /^\d+$/.test(login))
      .sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
    const chunk = this.settings.loginsPerRequest;
    for (let i = 0; i < logins.length; i += chunk) {
      const part = logins.slice(i, i + chunk);
      const users: Mt5Record[] = [];
      if (this.settings.userGetBatch) {
        const batch = await this.client.call('user/get_batch', { login: part.join(',') });
        if (Array.isArray(batch.answer)) users.push(...batch.answer.filter(isRecord));
      } else {
        for (const login of part) {
          const one = await this.client.call('user/get', { login }, { accept: [13] });
          if (isRecord(one.answer)) users.push(one.answer);
        }
      }
      const user = users.find(ours);
      if (user !== undefined) return idField(user, 'Login');
    }
    return null;
  }

  private async changePassword(login: string, type: string, password: string): Promise<void> {
    const path = this.settings.passwordChangePath.replace(/^\/?api\//, '');
    if (this.settings.passwordIn === 'QUERY') {
      await this.client.call(path, { login, type, password });
    } else {
      await this.client.call(
        path,
        { login, type },
        { method: 'POST', body: { Login: login, Type: type, Password: password } },
      );
    }
  }

  private async groupCurrency(group: string): Promise<string> {
    const cached = this.groupCurrencies.get(group);
    if (cached !== undefined) return cached;
    const answer = await this.client.call('group/get', { group }, { notFound: 'INVALID_REQUEST' });
    const config = record(answer, 'group/get');
    const currency = text(config, this.settings.groupCurrencyField).trim() || this.settings.defaultCurrency;
    this.groupCurrencies.set(group, currency);
    return currency;
  }

  private async openPositions(selector: { login: string } | { ticket: string }): Promise<Mt5Record[]> {
    const { answer } = await this.client.call('position/get_batch', selector);
    return Array.isArray(answer) ? answer.filter(isRecord) : [];
  }

  /**
   * Closes one position (a step named close.<ticket>); returns the deals that closed it.
   * `mustBeOpen`: a position that is not open (and was never sent a close) is UNKNOWN_POSITION.
   */
  private async closeOne(entry: JournalEntry, login: string, ticket: string, mustBeOpen: boolean): Promise<string[]> {
    const name = `close.${ticket}`;
    const result = await this.step(
      entry,
      name,
      async () => {
        const still = (await this.openPositions({ ticket })).some((p) => idField(p, 'Login') === login);
        return still ? null : (await this.closingDeals(login, ticket, entry.startedAt)).join(',');
      },
      async () => {
        const position = (await this.read(() => this.openPositions({ ticket }))).find(
          (p) => idField(p, 'Login') === login,
        );
        if (position === undefined) {
          if (mustBeOpen)
            throw rejectedError('UNKNOWN_POSITION', `position ${ticket} is not open on ${login}`, 'position/get_batch');
          return '';
        }
        return this.sendClose(entry, position);
      },
    );
    return result === '' ? [] : result.split(',');
  }

  /** The out deals of a position since `sinceMs` (Entry OUT or OUT_BY, or the out leg of INOUT). */
  private async closingDeals(login: string, ticket: string, sinceMs: number): Promise<string[]> {
    const deals = await this.dealsSince(login, sinceMs);
    return deals
      .filter((d) => text(d, 'PositionID').trim() !== '' && idField(d, 'PositionID') === ticket)
      .filter((d) => [DEAL_ENTRY.OUT, DEAL_ENTRY.OUT_BY, DEAL_ENTRY.INOUT].includes(intOr(d, 'Entry', 0) as 1 | 2 | 3))
      .map((d) => idField(d, 'Deal'));
  }

  /** A dealer request closing the whole position at market (§2.7), then its final result. */
  private async sendClose(entry: JournalEntry, position: Mt5Record): Promise<string> {
    const ticket = idField(position, 'Position');
    const login = idField(position, 'Login');
    const side = positionSide(position, this.settings);
    const body: Record<string, string> = {
      Action: '200',
      Login: login,
      Symbol: text(position, 'Symbol'),
      Volume: text(position, 'Volume'),
      Type: side === 'buy' ? '1' : '0',
      Position: ticket,
      PriceOrder: text(position, 'PriceCurrent'),
      Digits: String(intOr(position, 'Digits', 5)),
      TypeFill: String(this.settings.closeTypeFill),
      Comment: entry.tag,
      ...(has(position, 'VolumeExt') ? { VolumeExt: text(position, 'VolumeExt') } : {}),
      ...(this.settings.closeSendSourceLogin ? { SourceLogin: this.client.managerLogin } : {}),
      ...this.settings.closeExtraFields,
    };
    const sent = await this.client.call(
      'dealer/send_request',
      {},
      { method: 'POST', body, notFound: 'UNKNOWN_POSITION' },
    );
    const id = text(record(sent, 'dealer/send_request'), 'ID');
    await this.note(entry, { [`close.${ticket}.request`]: id });
    const outcome = await this.requestResult(id);
    if (outcome !== null && !this.settings.requestDoneRetcodes.includes(outcome.retcode)) {
      throw retcodeError('dealer/send_request', outcome.retcode, 'dealer request result', 'UNKNOWN_POSITION');
    }
    if (outcome?.deal) return outcome.deal;
    // The result was not read (the subscription died with a connection, or it took too long):
    // the position's state says what happened.
    const closed = await this.read(async () => {
      const still = (await this.openPositions({ ticket })).some((p) => idField(p, 'Login') === login);
      return still ? null : await this.closingDeals(login, ticket, entry.startedAt);
    });
    if (closed === null) {
      throw unavailableError(
        'dealer/get_request_result',
        `no final result for dealer request ${id} yet; position ${ticket} is still open`,
      );
    }
    return closed.join(',');
  }

  /** Polls dealer/get_request_result until a final status (§2.7); null when it cannot be read. */
  private async requestResult(id: string): Promise<{ retcode: number; deal: string } | null> {
    const deadline = this.now() + this.settings.requestResultTimeoutMs;
    for (;;) {
      let answer: Mt5Answer;
      try {
        answer = await this.client.call('dealer/get_request_result', { id }, { accept: [13] });
      } catch (error) {
        if (error instanceof PlatformError && error.code === 'PLATFORM_UNAVAILABLE') return null;
        throw error;
      }
      if (answer.retcode === 13) return null;
      const items = isRecord(answer.answer) && Array.isArray(answer.answer[id]) ? (answer.answer[id] as unknown[]) : [];
      for (const item of items) {
        if (!isRecord(item)) continue;
        const result = isRecord(item.answer) ? item.answer : isRecord(item.result) ? item.result : null;
        if (result === null) continue;
        const field = this.settings.requestResultRetcodeFields.find((f) => has(result, f));
        if (field === undefined) continue;
        const retcode = intOr(result, field, 0);
        if (this.settings.requestPendingRetcodes.includes(retcode)) continue;
        const dealField = this.settings.requestResultDealFields.find((f) => has(result, f) && text(result, f) !== '0');
        return { retcode, deal: dealField === undefined ? '' : idField(result, dealField) };
      }
      if (this.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, this.settings.requestPollIntervalMs));
    }
  }
}

// ---------------------------------------------------------------------------------------------

function record(answer: Mt5Answer, command: string): Mt5Record {
  if (!isRecord(answer.answer))
    throw unavailableError(command, `MT5 ${command} answered without an object`, { retryable: false });
  return answer.answer;
}

function invalid(message: string): Mt5Error {
  return rejectedError('INVALID_REQUEST', message);
}

function reused(commandId: string): Mt5Error {
  return rejectedError('COMMAND_ID_REUSED', `commandId ${commandId} was used for another command`);
}

function checkLogin(login: string): void {
  if (typeof login !== 'string' || !/^\d+$/.test(login))
    throw rejectedError('UNKNOWN_ACCOUNT', `not an MT5 login: ${String(login)}`);
}

/** A decimal amount, checked: its canonical text for MT5 and its value (in 10⁻⁸) for sign tests. */
function amountOf(value: string, field: string): { text: string; value: bigint } {
  if (typeof value !== 'string' || !/^[+-]?\d+(\.\d+)?$/.test(value.trim()))
    throw invalid(`${field} must be a decimal string`);
  const trimmed = value.trim().replace(/^\+/, '');
  return { text: trimmed, value: scaled(trimmed, 8, field) };
}

function currencyDigits(currency: string): number {
  try {
    return minorUnitDigits(currency);
  } catch {
    return 2;
  }
}

const PASSWORD_SETS = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#$%&*+-=?@'];

/** 12 characters: lower, upper, digit and special character each at least once (§2.1 rules). */
export function newPassword(): string {
  const all = PASSWORD_SETS.join('');
  const chars = Array.from({ length: 12 }, (_, i) =>
    i < PASSWORD_SETS.length ? PASSWORD_SETS[i][randomInt(PASSWORD_SETS[i].length)] : all[randomInt(all.length)],
  );
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
