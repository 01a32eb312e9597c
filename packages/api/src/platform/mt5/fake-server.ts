/**
 * TEST SUPPORT ONLY (imported by *.test.ts, never by the adapter): a small MT5 Web API access
 * server over real HTTPS, following mt5-webapi.md for the requests the adapter uses.
 *
 * - TLS with a self-signed certificate made at start-up by Debian's openssl
 *   (`openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 …`) in a temp dir.
 * - Sessions per TLS connection (§1.2); every command but auth/* needs an authenticated connection
 *   (refused with HTTP 403 or retcode 8, `unauthenticated`). The handshake is CHECKED byte for
 *   byte (§1.4–1.5): version ≥ 484, an agent without spaces, type=manager, the manager login, the
 *   srv_rand answer (a wrong password is refused with HTTP 403), the 10-second window, and a
 *   cli_rand_answer computed from the stored password hash. Idle connections close after
 *   `idleTimeoutMs` [180 s].
 * - Users, groups, deals, positions and balances in memory; numbers sent as strings (§3).
 * - Tests inject deals (INOUT, OUT_BY…), open positions, move prices and make things fail: an HTTP
 *   status (503), a retcode, a dropped connection before or after the command took effect, a
 *   delay, an expired session, a dealer that rejects or never answers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isRandHex, newRand, passwordHash, randAnswer, sameAnswer } from './auth';

export interface FakeSymbol {
  bid: number;
  ask: number;
  digits: number;
  contractSize: number;
  /** Dealer requests on a closed market are refused with 10018. */
  closed?: boolean;
}

export interface FakeMt5Options {
  managerLogin?: string;
  password?: string;
  /** How a command on an unauthenticated connection is refused [HTTP_403]. */
  unauthenticated?: 'HTTP_403' | 'RETCODE_8';
  /** Hand out a session cookie at auth/answer and require it afterwards [false]. */
  sessionCookie?: boolean;
  /** Idle keep-alive connections are closed after … [180 000 ms]. */
  idleTimeoutMs?: number;
  /** Longest time from auth/start to auth/answer [10 000 ms]. */
  authWindowMs?: number;
  /** The server's timestamps run this many seconds ahead of UTC [0]. */
  timeOffsetSeconds?: number;
  /** Groups and their deposit currency [demo\prop, demo\funded in USD; demo\eur in EUR]. */
  groups?: Record<string, { currency: string }>;
  symbols?: Record<string, FakeSymbol>;
  /** First login handed out [500001]. */
  firstLogin?: number;
  /** UTC epoch ms. */
  now?: () => number;
}

export type FakeFailure =
  | { kind: 'status'; status: number }
  | { kind: 'retcode'; retcode: string }
  /** The connection is cut before the command is read: nothing happens. */
  | { kind: 'drop' }
  /** The command takes effect, then the connection is cut before the answer. */
  | { kind: 'dropAfter' }
  | { kind: 'delay'; ms: number }
  /** The connection's session is forgotten (the connection stays open). */
  | { kind: 'expireSession' };

export type DealerBehaviour = { kind: 'execute' } | { kind: 'reject'; retcode: number } | { kind: 'never' };

export interface FakeUser {
  login: string;
  group: string;
  name: string;
  leverage: number;
  rights: number;
  passMain: string;
  passInvestor: string;
  /** Cents. */
  balance: number;
  credit: number;
  comment: string;
  registration: number;
  /** Has trade state (§2.2: open positions or trades since the server started). */
  active: boolean;
}

export interface FakePosition {
  ticket: string;
  login: string;
  symbol: string;
  /** 0 buy, 1 sell. */
  action: 0 | 1;
  /** 10⁻⁸ lot. */
  volumeExt: number;
  priceOpen: number;
  openedMs: number;
  updatedMs: number;
  /** Cents. */
  storage: number;
}

export interface FakeRequestLog {
  command: string;
  method: string;
  params: Record<string, string>;
  connection: number;
  authenticated: boolean;
  /** Raw request line and body: tests check that no password travels in the URL. */
  url: string;
  body: string;
}

interface Connection {
  id: number;
  socket: Socket;
  srvRand: string | null;
  startedAt: number;
  authenticated: boolean;
  cookie: string | null;
  subscriptions: Set<string>;
  idleTimer: NodeJS.Timeout | null;
}

interface DealerRequest {
  id: string;
  connection: Connection | null;
  body: Record<string, string>;
  polls: number;
  result: Record<string, string> | null;
}

type Answer = { status?: number; retcode: string; answer?: unknown; extra?: Record<string, string> };

const DONE = '0 Done';
const STRONG_PASSWORD = (p: string) =>
  p.length >= 8 && p.length <= 16 && /[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p) && /[^A-Za-z0-9]/.test(p);

/** A self-signed certificate for CN=localhost, made by openssl into a new temp dir. */
export function makeSelfSignedCertificate(): { key: string; cert: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt5-fake-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), dir };
}

export class FakeMt5Server {
  readonly managerLogin: string;
  /** The certificate to trust (PEM). */
  readonly ca: string;
  url = '';
  readonly users = new Map<string, FakeUser>();
  readonly deals: Record<string, string>[] = [];
  readonly positions = new Map<string, FakePosition>();
  readonly symbols: Map<string, FakeSymbol>;
  readonly groups: Map<string, { currency: string }>;
  readonly requests: FakeRequestLog[] = [];
  /** Successful handshakes. */
  authentications = 0;
  /** Refused handshakes. */
  refusedAuthentications = 0;
  dealer: DealerBehaviour = { kind: 'execute' };
  /** Dealer results become visible after this many get_request_result calls [1: the first sees []]. */
  dealerPolls = 1;
  /** Answer auth/answer with a wrong cli_rand_answer, as an impostor would. */
  impostor = false;
  timeOffsetSeconds: number;

  private readonly server: https.Server;
  private readonly hash: Buffer;
  private readonly options: Required<Pick<FakeMt5Options, 'unauthenticated' | 'sessionCookie' | 'authWindowMs'>>;
  private readonly now: () => number;
  private readonly certDir: string;
  private readonly idleTimeoutMs: number;
  private readonly connections = new Map<Socket, Connection>();
  private readonly failures = new Map<string, FakeFailure[]>();
  private readonly dealerRequests = new Map<string, DealerRequest>();
  private connectionSeq = 0;
  private nextLogin: number;
  private ticketSeq = 1000;
  private requestSeq = 0;

  private constructor(options: FakeMt5Options) {
    this.managerLogin = options.managerLogin ?? '1000';
    this.hash = passwordHash(options.password ?? 'Manager#Pass1');
    this.options = {
      unauthenticated: options.unauthenticated ?? 'HTTP_403',
      sessionCookie: options.sessionCookie ?? false,
      authWindowMs: options.authWindowMs ?? 10_000,
    };
    this.now = options.now ?? Date.now;
    this.timeOffsetSeconds = options.timeOffsetSeconds ?? 0;
    this.nextLogin = options.firstLogin ?? 500_001;
    this.groups = new Map(
      Object.entries(
        options.groups ?? {
          'demo\\prop': { currency: 'USD' },
          'demo\\funded': { currency: 'USD' },
          'demo\\eur': { currency: 'EUR' },
        },
      ),
    );
    this.symbols = new Map(
      Object.entries(
        options.symbols ?? {
          EURUSD: { bid: 1.085, ask: 1.0851, digits: 5, contractSize: 100_000 },
          XAUUSD: { bid: 2300.0, ask: 2300.3, digits: 2, contractSize: 100 },
        },
      ),
    );
    const { key, cert, dir } = makeSelfSignedCertificate();
    this.ca = cert;
    this.certDir = dir;
    this.server = https.createServer({ key, cert }, (req, res) => {
      void this.handle(req, res);
    });
    // §1.2: a connection silent for idleTimeoutMs is closed (our own timer; Node's keep-alive
    // timeout is set beyond it so that its Keep-Alive hint does not close sockets first).
    this.idleTimeoutMs = options.idleTimeoutMs ?? 180_000;
    this.server.keepAliveTimeout = this.idleTimeoutMs + 5_000;
    this.server.headersTimeout = this.idleTimeoutMs + 6_000;
    this.server.on('secureConnection', (socket: Socket) => {
      const connection: Connection = {
        id: ++this.connectionSeq,
        socket,
        srvRand: null,
        startedAt: 0,
        authenticated: false,
        cookie: null,
        subscriptions: new Set(),
        idleTimer: null,
      };
      this.connections.set(socket, connection);
      this.touch(connection);
      socket.on('close', () => {
        if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
        this.connections.delete(socket);
        // §2.7: subscriptions die with the connection.
        for (const id of connection.subscriptions) {
          const request = this.dealerRequests.get(id);
          if (request !== undefined) request.connection = null;
        }
      });
    });
  }

  static async start(options: FakeMt5Options = {}): Promise<FakeMt5Server> {
    const fake = new FakeMt5Server(options);
    await new Promise<void>((resolve) => fake.server.listen(0, 'localhost', resolve));
    fake.url = `https://localhost:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.certDir, { recursive: true, force: true });
  }

  // -------------------------------------------------------------------------------------------
  // Test controls
  // -------------------------------------------------------------------------------------------

  /** The next `times` requests of `command` (e.g. "trade/balance") fail as told. */
  failNext(command: string, failure: FakeFailure, times = 1): void {
    const queue = this.failures.get(command) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(command, queue);
  }

  /** Cuts every open connection (their sessions and dealer subscriptions go with them). */
  dropConnections(): void {
    for (const socket of this.connections.keys()) socket.destroy();
  }

  openConnections(): number {
    return this.connections.size;
  }

  commands(): string[] {
    return this.requests.map((r) => r.command);
  }

  setPrice(symbol: string, bid: number, ask: number): void {
    const spec = this.symbols.get(symbol);
    if (spec === undefined) throw new Error(`no symbol ${symbol}`);
    spec.bid = bid;
    spec.ask = ask;
    for (const position of this.positions.values()) if (position.symbol === symbol) position.updatedMs = this.now();
  }

  /** Creates a user directly (as if made in the MT5 manager terminal). */
  addUser(user: Partial<FakeUser> & { group: string }): FakeUser {
    const login = user.login ?? String(this.nextLogin++);
    const created: FakeUser = {
      login,
      group: user.group,
      name: user.name ?? `User ${login}`,
      leverage: user.leverage ?? 100,
      rights: user.rights ?? 0x163,
      passMain: user.passMain ?? 'Main#Pass1',
      passInvestor: user.passInvestor ?? 'Inv#Pass1',
      balance: user.balance ?? 0,
      credit: user.credit ?? 0,
      comment: user.comment ?? '',
      registration: this.serverSeconds(),
      active: user.active ?? false,
    };
    this.users.set(login, created);
    return created;
  }

  /** A trader's own market order: an IN deal and a position at the current price. */
  openPosition(request: {
    login: string;
    symbol: string;
    side: 'buy' | 'sell';
    lots: number;
    commission?: number;
  }): string {
    const user = this.requireUser(request.login);
    const spec = this.requireSymbol(request.symbol);
    const ticket = this.ticket();
    const action = request.side === 'buy' ? 0 : 1;
    const price = action === 0 ? spec.ask : spec.bid;
    const volumeExt = Math.round(request.lots * 1e8);
    const now = this.now();
    this.positions.set(ticket, {
      ticket,
      login: user.login,
      symbol: request.symbol,
      action,
      volumeExt,
      priceOpen: price,
      openedMs: now,
      updatedMs: now,
      storage: 0,
    });
    this.addDeal({
      Deal: ticket,
      Login: user.login,
      Order: ticket,
      PositionID: ticket,
      Action: String(action),
      Entry: '0',
      Symbol: request.symbol,
      Digits: String(spec.digits),
      ContractSize: String(spec.contractSize),
      Price: price.toFixed(spec.digits),
      Volume: String(Math.round(volumeExt / 10_000)),
      VolumeExt: String(volumeExt),
      Profit: '0.00',
      Commission: (request.commission ?? 0).toFixed(2),
    });
    return ticket;
  }

  /**
   * Adds a deal as MT5 would store it (strings), filling Deal, Time/TimeMsc (server time), the
   * digits and zero money fields when absent; applies its money to the account.
   */
  addDeal(fields: Record<string, string>): Record<string, string> {
    const nowMs = this.now() + this.timeOffsetSeconds * 1000;
    const deal: Record<string, string> = {
      Deal: fields.Deal ?? this.ticket(),
      ExternalID: '',
      Dealer: '0',
      Order: '0',
      PositionID: '0',
      Entry: '0',
      Reason: '0',
      Time: String(Math.floor(nowMs / 1000)),
      TimeMsc: String(nowMs),
      Symbol: '',
      Digits: '5',
      DigitsCurrency: '2',
      ContractSize: '0',
      Price: '0',
      Volume: '0',
      VolumeExt: '0',
      VolumeClosed: '0',
      VolumeClosedExt: '0',
      Profit: '0.00',
      Storage: '0.00',
      Commission: '0.00',
      Comment: '',
      ModificationFlags: '0',
      ...fields,
    };
    if (fields.TimeMsc === undefined && fields.Time !== undefined) deal.TimeMsc = String(Number(fields.Time) * 1000);
    if (fields.Time === undefined && fields.TimeMsc !== undefined)
      deal.Time = String(Math.floor(Number(fields.TimeMsc) / 1000));
    const user = this.requireUser(deal.Login);
    const cents = (field: string) => Math.round(Number(deal[field]) * 100);
    const action = Number(deal.Action);
    if (action === 0 || action === 1) {
      user.balance += cents('Profit') + cents('Commission') + cents('Storage');
      user.active = true;
    } else if (action === 3) {
      user.credit += cents('Profit');
    } else {
      user.balance += cents('Profit');
    }
    this.deals.push(deal);
    return deal;
  }

  user(login: string): FakeUser {
    return this.requireUser(login);
  }

  dealsOf(login: string): Record<string, string>[] {
    return this.deals.filter((d) => d.Login === login);
  }

  // -------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://fake');
    const command = url.pathname.replace(/^\/api\//, '');
    const params = Object.fromEntries(url.searchParams.entries());
    let body: Record<string, unknown> = {};
    if (bodyText.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(bodyText);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
      } catch {
        return this.reply(res, { status: 400, retcode: '3 Invalid parameters' });
      }
    }
    const connection = this.connections.get(req.socket);
    if (connection === undefined) return void req.socket.destroy();
    this.touch(connection);
    res.on('finish', () => this.touch(connection));

    const failure = this.failures.get(command)?.shift();
    if (failure?.kind === 'expireSession') connection.authenticated = false;
    if (failure?.kind === 'drop') return void req.socket.destroy();
    if (failure?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, failure.ms));

    const authenticated = this.isAuthenticated(connection, req);
    this.requests.push({
      command,
      method: req.method ?? 'GET',
      params,
      connection: connection.id,
      authenticated,
      url: req.url ?? '',
      body: bodyText,
    });
    if (failure?.kind === 'status')
      return this.reply(res, { status: failure.status, retcode: `${failure.status} fake failure` });
    if (failure?.kind === 'retcode') return this.reply(res, { retcode: failure.retcode });

    let answer: Answer;
    if (command === 'auth/start') answer = this.authStart(connection, params);
    else if (command === 'auth/answer') answer = this.authAnswer(connection, params, res);
    else if (!authenticated) {
      answer =
        this.options.unauthenticated === 'HTTP_403'
          ? { status: 403, retcode: '8 Not enough permissions' }
          : { retcode: '8 Not enough permissions' };
    } else {
      answer = this.command(command, params, body, connection);
    }
    if (failure?.kind === 'dropAfter') return void req.socket.destroy();
    this.reply(res, answer);
  }

  private touch(connection: Connection): void {
    if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => connection.socket.destroy(), this.idleTimeoutMs);
    connection.idleTimer.unref();
  }

  private isAuthenticated(connection: Connection, req: IncomingMessage): boolean {
    if (!connection.authenticated) return false;
    if (!this.options.sessionCookie) return true;
    const cookie = req.headers.cookie ?? '';
    return connection.cookie !== null && cookie.split(/;\s*/).includes(`MT5SESSION=${connection.cookie}`);
  }

  private reply(res: ServerResponse, answer: Answer): void {
    const payload: Record<string, unknown> = { retcode: answer.retcode, ...answer.extra };
    if (answer.answer !== undefined) payload.answer = answer.answer;
    res.statusCode = answer.status ?? 200;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(payload));
  }

  private authStart(connection: Connection, params: Record<string, string>): Answer {
    connection.authenticated = false;
    const version = Number(params.version);
    const agent = params.agent ?? '';
    if (!Number.isInteger(version) || version < 484 || agent === '' || /\s/.test(agent) || params.type !== 'manager') {
      this.refusedAuthentications += 1;
      return { status: 403, retcode: '3 Invalid parameters' };
    }
    if (params.login !== this.managerLogin) {
      this.refusedAuthentications += 1;
      return { status: 403, retcode: '1001 Invalid account' };
    }
    connection.srvRand = newRand();
    connection.startedAt = this.now();
    return { retcode: DONE, extra: { version_access: '1290', srv_rand: connection.srvRand } };
  }

  private authAnswer(connection: Connection, params: Record<string, string>, res: ServerResponse): Answer {
    const srvRand = connection.srvRand;
    connection.srvRand = null;
    const refuse = (retcode: string): Answer => {
      this.refusedAuthentications += 1;
      return { status: 403, retcode };
    };
    if (srvRand === null) return refuse('3 Invalid parameters');
    if (this.now() - connection.startedAt > this.options.authWindowMs) return refuse('9 Timeout');
    if (!sameAnswer(randAnswer(this.hash, srvRand), params.srv_rand_answer)) return refuse('1001 Invalid account');
    if (!isRandHex(params.cli_rand)) return refuse('3 Invalid parameters');
    connection.authenticated = true;
    this.authentications += 1;
    if (this.options.sessionCookie) {
      connection.cookie = newRand();
      res.setHeader('Set-Cookie', `MT5SESSION=${connection.cookie}; Path=/; Secure; HttpOnly`);
    }
    return {
      retcode: DONE,
      extra: {
        version_access: '1290',
        version_trade: '4000',
        cli_rand_answer: this.impostor ? newRand() : randAnswer(this.hash, params.cli_rand),
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Commands (§2)
  // -------------------------------------------------------------------------------------------

  private command(
    command: string,
    q: Record<string, string>,
    body: Record<string, unknown>,
    connection: Connection,
  ): Answer {
    const pick = (query: string, field: string): string | undefined =>
      body[field] !== undefined && body[field] !== null ? String(body[field]) : q[query];
    switch (command) {
      case 'test/access':
        return { retcode: DONE };
      case 'quit':
        connection.authenticated = false;
        return { retcode: DONE };
      case 'time/server': {
        const seconds = this.serverSeconds();
        const wall = new Date(seconds * 1000).toISOString().replace(/-/g, '.').replace('T', ' ').slice(0, 19);
        return { retcode: DONE, answer: { Time: `${seconds} ${wall}` } };
      }
      case 'user/add':
        return this.userAdd(pick);
      case 'user/get': {
        const user = this.users.get(q.login ?? '');
        return user === undefined ? { retcode: '13 Not found' } : { retcode: DONE, answer: this.userJson(user) };
      }
      case 'user/get_batch': {
        const logins = list(q.login);
        return {
          retcode: DONE,
          answer: logins.flatMap((l) => (this.users.has(l) ? [this.userJson(this.requireUser(l))] : [])),
        };
      }
      case 'user/update':
        return this.userUpdate(pick);
      case 'user/logins': {
        const masks = list(q.group);
        const logins = [...this.users.values()].filter((u) => matchesGroup(u.group, masks)).map((u) => u.login);
        return { retcode: DONE, answer: logins };
      }
      case 'user/change_password': {
        const user = this.users.get(pick('login', 'Login') ?? '');
        if (user === undefined) return { retcode: '13 Not found' };
        const type = pick('type', 'Type');
        const password = pick('password', 'Password') ?? '';
        if (!STRONG_PASSWORD(password)) return { retcode: '3006 Invalid password' };
        if (type === 'main') user.passMain = password;
        else if (type === 'investor') user.passInvestor = password;
        else return { retcode: '3 Invalid parameters' };
        return { retcode: DONE };
      }
      case 'user/account/get': {
        const user = this.users.get(q.login ?? '');
        if (user === undefined || !user.active) return { retcode: '13 Not found' };
        return { retcode: DONE, answer: this.accountJson(user) };
      }
      case 'user/account/get_batch': {
        const users = list(q.login).flatMap((l) => {
          const user = this.users.get(l);
          return user?.active ? [this.accountJson(user)] : [];
        });
        return { retcode: DONE, answer: users };
      }
      case 'group/get': {
        const group = this.groups.get(q.group ?? '');
        if (group === undefined) return { retcode: '13 Not found' };
        return {
          retcode: DONE,
          answer: {
            Group: q.group,
            Currency: group.currency,
            CurrencyDigits: '2',
            MarginCall: '100',
            MarginStopOut: '50',
          },
        };
      }
      case 'deal/get_batch':
        return this.dealBatch(q);
      case 'deal/get_page': {
        const total = Number(q.total ?? '100');
        const offset = Number(q.offset ?? '0');
        if (!q.login || q.from === undefined || q.to === undefined || total > 100 || total < 1)
          return { retcode: '3 Invalid parameters' };
        const deals = this.dealsBetween([q.login], Number(q.from), Number(q.to));
        return { retcode: DONE, answer: deals.slice(offset, offset + total) };
      }
      case 'position/get_batch': {
        const selectors = ['login', 'group', 'ticket'].filter((k) => q[k] !== undefined);
        if (selectors.length !== 1) return { retcode: '3 Invalid parameters' };
        const wanted = list(q[selectors[0]]);
        const positions = [...this.positions.values()].filter((p) =>
          selectors[0] === 'login'
            ? wanted.includes(p.login)
            : selectors[0] === 'ticket'
              ? wanted.includes(p.ticket)
              : matchesGroup(this.requireUser(p.login).group, wanted),
        );
        return { retcode: DONE, answer: positions.map((p) => this.positionJson(p)) };
      }
      case 'trade/balance':
        return this.tradeBalance(pick);
      case 'dealer/send_request':
        return this.dealerSend(body, connection);
      case 'dealer/get_request_result':
        return this.dealerResult(q, connection);
      default:
        return { retcode: '12002 Command not supported' };
    }
  }

  private userAdd(pick: (query: string, field: string) => string | undefined): Answer {
    const group = pick('group', 'Group') ?? '';
    const name = pick('name', 'Name') ?? '';
    const leverage = Number(pick('leverage', 'Leverage'));
    const passMain = pick('pass_main', 'PassMain') ?? '';
    const passInvestor = pick('pass_investor', 'PassInvestor') ?? '';
    const login = pick('login', 'Login');
    if (!this.groups.has(group)) return { retcode: '8 Not enough permissions' };
    if (name === '' || !Number.isInteger(leverage) || leverage < 1 || leverage > 500)
      return { retcode: '3 Invalid parameters' };
    if (!STRONG_PASSWORD(passMain) || !STRONG_PASSWORD(passInvestor)) return { retcode: '3006 Invalid password' };
    if (login !== undefined && login !== '0' && this.users.has(login))
      return { retcode: '3004 Account already exists' };
    const rights = Number(pick('rights', 'Rights') ?? 0x163);
    const user = this.addUser({
      login: login === undefined || login === '0' ? undefined : login,
      group,
      name,
      leverage,
      rights,
      passMain,
      passInvestor,
      comment: (pick('comment', 'Comment') ?? '').slice(0, 63),
    });
    return { retcode: DONE, answer: this.userJson(user) };
  }

  private userUpdate(pick: (query: string, field: string) => string | undefined): Answer {
    const user = this.users.get(pick('login', 'Login') ?? '');
    if (user === undefined) return { retcode: '13 Not found' };
    // §2.1: an invalid value leaves the field unchanged, silently.
    const leverage = pick('leverage', 'Leverage');
    if (leverage !== undefined && /^\d+$/.test(leverage) && Number(leverage) >= 1 && Number(leverage) <= 500)
      user.leverage = Number(leverage);
    const group = pick('group', 'Group');
    if (group !== undefined && this.groups.has(group)) user.group = group;
    const rights = pick('rights', 'Rights');
    if (rights !== undefined && /^\d+$/.test(rights)) user.rights = Number(rights);
    const name = pick('name', 'Name');
    if (name !== undefined && name !== '') user.name = name;
    const comment = pick('comment', 'Comment');
    if (comment !== undefined) user.comment = comment.slice(0, 63);
    return { retcode: DONE, answer: this.userJson(user) };
  }

  private dealBatch(q: Record<string, string>): Answer {
    const selectors = ['login', 'group', 'ticket'].filter((k) => q[k] !== undefined);
    if (selectors.length !== 1) return { retcode: '3 Invalid parameters' };
    if (selectors[0] === 'ticket') {
      const tickets = list(q.ticket);
      return { retcode: DONE, answer: this.deals.filter((d) => tickets.includes(d.Deal)) };
    }
    if (q.from === undefined || q.to === undefined) return { retcode: '3 Invalid parameters' };
    const logins =
      selectors[0] === 'login'
        ? list(q.login)
        : [...this.users.values()].filter((u) => matchesGroup(u.group, list(q.group))).map((u) => u.login);
    return { retcode: DONE, answer: this.dealsBetween(logins, Number(q.from), Number(q.to)) };
  }

  private dealsBetween(logins: string[], from: number, to: number): Record<string, string>[] {
    return this.deals.filter((d) => logins.includes(d.Login) && Number(d.Time) >= from && Number(d.Time) <= to);
  }

  private tradeBalance(pick: (query: string, field: string) => string | undefined): Answer {
    const user = this.users.get(pick('login', 'Login') ?? '');
    if (user === undefined) return { retcode: '13 Not found' };
    const type = Number(pick('type', 'Type'));
    if (![2, 3, 4, 5, 6].includes(type)) return { retcode: '3 Invalid parameters' };
    const amount = Number(pick('balance', 'Balance'));
    if (!Number.isFinite(amount) || amount === 0) return { retcode: '3 Invalid parameters' };
    if (Math.abs(amount) > 1_000_000_000) return { retcode: '4005 Money limit reached' };
    const checkMargin = (pick('check_margin', 'CheckMargin') ?? '1') !== '0';
    const cents = Math.round(amount * 100);
    if (amount < 0 && checkMargin) {
      const account = this.figures(user);
      const room = type === 3 ? user.credit : Math.min(user.balance, account.equity - account.margin);
      if (room + cents < 0) return { retcode: '10019 Not enough money' };
    }
    const deal = this.addDeal({
      Login: user.login,
      Action: String(type),
      Profit: (cents / 100).toFixed(2),
      Comment: (pick('comment', 'Comment') ?? '').slice(0, 31),
    });
    return { retcode: DONE, answer: { Ticket: deal.Deal } };
  }

  private dealerSend(body: Record<string, unknown>, connection: Connection): Answer {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) fields[key] = String(value);
    const action = Number(fields.Action);
    if (!Number.isInteger(action) || action < 200 || action > 255) return { retcode: '3 Invalid parameters' };
    if (!fields.Login || !fields.Symbol || !fields.Volume || fields.Type === undefined || !fields.Digits) {
      return { retcode: '3 Invalid parameters' };
    }
    if ([...this.dealerRequests.values()].filter((r) => r.result === null).length >= 128)
      return { retcode: '10024 Too many requests' };
    const id = String(++this.requestSeq);
    const request: DealerRequest = { id, connection, body: fields, polls: 0, result: null };
    this.dealerRequests.set(id, request);
    connection.subscriptions.add(id);
    if (this.dealer.kind === 'reject')
      request.result = { ...fields, ID: id, ResultRetcode: String(this.dealer.retcode), ResultDeal: '0' };
    else if (this.dealer.kind === 'execute') request.result = this.execute(request);
    return { retcode: DONE, answer: { ID: id } };
  }

  /** Executes a closing request at market (Action 200 with Position). */
  private execute(request: DealerRequest): Record<string, string> {
    const f = request.body;
    const fail = (retcode: number) => ({ ...f, ID: request.id, ResultRetcode: String(retcode), ResultDeal: '0' });
    const position = this.positions.get(f.Position ?? '');
    if (position === undefined || position.login !== f.Login || position.symbol !== f.Symbol) return fail(10013);
    if (Number(f.Type) === position.action) return fail(10013);
    const spec = this.requireSymbol(position.symbol);
    if (spec.closed) return fail(10018);
    const volumeExt = f.VolumeExt !== undefined ? Number(f.VolumeExt) : Number(f.Volume) * 10_000;
    if (volumeExt <= 0 || volumeExt > position.volumeExt) return fail(10014);
    const price = position.action === 0 ? spec.bid : spec.ask;
    const profit = this.profitCents(position, price, volumeExt);
    const storage = Math.round((position.storage * volumeExt) / position.volumeExt);
    const ticket = this.ticket();
    this.addDeal({
      Deal: ticket,
      Login: position.login,
      Order: ticket,
      PositionID: position.ticket,
      Action: position.action === 0 ? '1' : '0',
      Entry: '1',
      Reason: '2',
      Symbol: position.symbol,
      Digits: String(spec.digits),
      ContractSize: String(spec.contractSize),
      Price: price.toFixed(spec.digits),
      PricePosition: position.priceOpen.toFixed(spec.digits),
      Volume: String(Math.round(volumeExt / 10_000)),
      VolumeExt: String(volumeExt),
      VolumeClosed: String(Math.round(volumeExt / 10_000)),
      VolumeClosedExt: String(volumeExt),
      Profit: (profit / 100).toFixed(2),
      Storage: (storage / 100).toFixed(2),
      Comment: (f.Comment ?? '').slice(0, 31),
    });
    position.volumeExt -= volumeExt;
    position.storage -= storage;
    if (position.volumeExt === 0) this.positions.delete(position.ticket);
    return {
      ...f,
      ID: request.id,
      ResultRetcode: '10009',
      ResultDeal: ticket,
      ResultOrder: ticket,
      ResultVolume: String(Math.round(volumeExt / 10_000)),
      ResultPrice: price.toFixed(spec.digits),
    };
  }

  private dealerResult(q: Record<string, string>, connection: Connection): Answer {
    const ids =
      q.id === undefined ? [...connection.subscriptions] : list(q.id).filter((id) => connection.subscriptions.has(id));
    if (q.id !== undefined && ids.length === 0) return { retcode: '13 Not found' };
    const answer: Record<string, unknown[]> = {};
    for (const id of ids) {
      const request = this.dealerRequests.get(id) as DealerRequest;
      request.polls += 1;
      if (request.result === null || request.polls <= this.dealerPolls) {
        answer[id] = [];
        continue;
      }
      answer[id] = [{ answer: request.result }];
      connection.subscriptions.delete(id); // §2.7: gone once the final status is read
    }
    return { retcode: DONE, answer };
  }

  // -------------------------------------------------------------------------------------------
  // Records as JSON (numbers as strings, §3)
  // -------------------------------------------------------------------------------------------

  private userJson(user: FakeUser): Record<string, string> {
    return {
      Login: user.login,
      Group: user.group,
      CertSerialNumber: '0',
      Rights: String(user.rights),
      Registration: String(user.registration),
      LastAccess: String(user.registration),
      Name: user.name,
      FirstName: user.name,
      LastName: '',
      Company: '',
      Country: '',
      Email: '',
      Comment: user.comment,
      Leverage: String(user.leverage),
      Balance: (user.balance / 100).toFixed(2),
      Credit: (user.credit / 100).toFixed(2),
      Agent: '0',
    };
  }

  private figures(user: FakeUser): { equity: number; margin: number; floating: number } {
    let floating = 0;
    let margin = 0;
    for (const position of this.positions.values()) {
      if (position.login !== user.login) continue;
      const spec = this.requireSymbol(position.symbol);
      floating +=
        this.profitCents(position, position.action === 0 ? spec.bid : spec.ask, position.volumeExt) + position.storage;
      margin += Math.round(((position.volumeExt / 1e8) * spec.contractSize * position.priceOpen * 100) / user.leverage);
    }
    return { equity: user.balance + user.credit + floating, margin, floating };
  }

  private accountJson(user: FakeUser): Record<string, string> {
    const { equity, margin, floating } = this.figures(user);
    const money = (cents: number) => (cents / 100).toFixed(2);
    return {
      Login: user.login,
      CurrencyDigits: '2',
      Balance: money(user.balance),
      Credit: money(user.credit),
      Margin: money(margin),
      MarginFree: money(equity - margin),
      MarginLevel: margin === 0 ? '0.00' : ((equity / margin) * 100).toFixed(2),
      MarginLeverage: String(user.leverage),
      Profit: money(floating),
      Storage: '0.00',
      Floating: money(floating),
      Equity: money(equity),
      SOActivation: '0',
    };
  }

  private positionJson(position: FakePosition): Record<string, string> {
    const spec = this.requireSymbol(position.symbol);
    const current = position.action === 0 ? spec.bid : spec.ask;
    const offset = this.timeOffsetSeconds * 1000;
    return {
      Login: position.login,
      Position: position.ticket,
      ExternalID: '',
      Symbol: position.symbol,
      Action: String(position.action),
      Digits: String(spec.digits),
      DigitsCurrency: '2',
      ContractSize: String(spec.contractSize),
      TimeCreate: String(Math.floor((position.openedMs + offset) / 1000)),
      TimeCreateMsc: String(position.openedMs + offset),
      TimeUpdate: String(Math.floor((position.updatedMs + offset) / 1000)),
      TimeUpdateMsc: String(position.updatedMs + offset),
      PriceOpen: position.priceOpen.toFixed(spec.digits),
      PriceCurrent: current.toFixed(spec.digits),
      PriceSL: '0',
      PriceTP: '0',
      Volume: String(Math.round(position.volumeExt / 10_000)),
      VolumeExt: String(position.volumeExt),
      Profit: (this.profitCents(position, current, position.volumeExt) / 100).toFixed(2),
      Storage: (position.storage / 100).toFixed(2),
      Comment: '',
    };
  }

  // -------------------------------------------------------------------------------------------

  private profitCents(position: FakePosition, price: number, volumeExt: number): number {
    const spec = this.requireSymbol(position.symbol);
    const direction = position.action === 0 ? 1 : -1;
    return Math.round((price - position.priceOpen) * direction * (volumeExt / 1e8) * spec.contractSize * 100);
  }

  private serverSeconds(): number {
    return Math.floor(this.now() / 1000) + this.timeOffsetSeconds;
  }

  private ticket(): string {
    this.ticketSeq += 1;
    return String(this.ticketSeq);
  }

  private requireUser(login: string): FakeUser {
    const user = this.users.get(login);
    if (user === undefined) throw new Error(`fake MT5: no user ${login}`);
    return user;
  }

  private requireSymbol(symbol: string): FakeSymbol {
    const spec = this.symbols.get(symbol);
    if (spec === undefined) throw new Error(`fake MT5: no symbol ${symbol}`);
    return spec;
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Group masks (§2): `*` any, a leading `!` excludes. */
function matchesGroup(group: string, masks: string[]): boolean {
  const test = (mask: string) =>
    new RegExp(`^${mask.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(group);
  let included = false;
  for (const mask of masks) {
    if (mask.startsWith('!')) {
      if (test(mask.slice(1))) return false;
    } else if (test(mask)) {
      included = true;
    }
  }
  return included;
}
