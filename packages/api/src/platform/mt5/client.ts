/**
 * HTTPS client of the MT5 Web API (mt5-webapi.md §1).
 *
 * The session belongs to the TLS connection (§1.2): the client authenticates once and then sends
 * every command over that one keep-alive socket (an `https.Agent` with `maxSockets: 1`, commands
 * strictly one at a time). When the socket closes, or the server answers "not authenticated"
 * (settings.sessionLostStatuses / sessionLostRetcodes), it authenticates on a new connection and
 * sends the command once more: the server did not act on a command it refused for want of a
 * session. A silent connection gets a `/api/test/access` ping every `pingIntervalMs` (§1.2: the
 * server drops it after 180 s).
 *
 * Failures: no answer, a timeout, a broken socket, HTTP 5xx or a transient retcode →
 * PLATFORM_UNAVAILABLE; any other error retcode → PLATFORM_REJECTED carrying the retcode.
 *
 * Secrets: the manager password is hashed in the constructor (auth.ts) and not kept; the hash sits
 * in a private field, so neither logs, error messages, `util.inspect` nor JSON show it. Log lines
 * carry the command, the login, the retcode and timings; never a body or a password parameter.
 */
import https from 'node:https';
import type { Socket } from 'node:net';
import type { RejectReason } from '../platform';
import { isRandHex, newRand, passwordHash, randAnswer, sameAnswer } from './auth';
import { Mt5Error, parseRetcode, retcodeError, SUCCESS_RETCODES, TRANSIENT_RETCODES, unavailableError } from './errors';
import { type Mt5Settings, resolveSettings } from './settings';
import { isRecord, type Mt5Record, text } from './units';

/** The logging the adapter needs; a pino logger fits it. */
export interface Mt5Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: Mt5Logger = { debug: () => {}, info: () => {}, warn: () => {} };

export interface Mt5ClientOptions {
  /** The access server, e.g. "https://mt5.example.com:443". HTTPS only (§1.1). */
  url: string;
  managerLogin: string;
  /** Hashed at once and forgotten. */
  password: string;
  settings?: Partial<Mt5Settings>;
  /** Trusted certificate(s) in PEM, for a server with a private or self-signed certificate. */
  ca?: string | Buffer | (string | Buffer)[];
  /** [true] Never turn off in production. */
  rejectUnauthorized?: boolean;
  logger?: Mt5Logger;
  /** Epoch ms; injectable for tests. */
  now?: () => number;
}

export type Mt5Params = Readonly<Record<string, string | number | bigint | boolean | null | undefined>>;

export interface CallOptions {
  method?: 'GET' | 'POST';
  /** A JSON body (§1.1: still sent as application/x-www-form-urlencoded). */
  body?: unknown;
  /** Retcodes to hand back as answers instead of throwing (e.g. 13 where "not found" is expected). */
  accept?: readonly number[];
  /** What retcode 13 means for this command [UNKNOWN_ACCOUNT]. */
  notFound?: RejectReason;
}

export interface Mt5Answer {
  retcode: number;
  description: string;
  /** The `answer` member (absent: undefined). */
  answer: unknown;
  /** The whole JSON object (auth answers have their fields beside `retcode`). */
  body: Mt5Record;
}

/** The subset of the client the adapter and the poller use; tests may stand in for it. */
export interface Mt5Transport {
  call(command: string, params?: Mt5Params, options?: CallOptions): Promise<Mt5Answer>;
}

const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Parameter names whose values are never logged. */
const SECRET_PARAM = /pass|rand|answer/i;

class SessionChanged extends Error {
  constructor() {
    super('the command would have gone out on a new, unauthenticated connection');
  }
}

class RequestTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

interface Exchange {
  status: number;
  body: Mt5Record | null;
}

/** One authenticated connection: its agent (one socket), the socket, and its cookies. */
class Session {
  socket: Socket | null = null;
  authenticated = false;
  lost = false;
  lastUsed = 0;
  readonly cookies = new Map<string, string>();
  constructor(readonly agent: https.Agent) {}

  close(): void {
    this.lost = true;
    this.authenticated = false;
    this.agent.destroy();
  }
}

export class Mt5Client implements Mt5Transport {
  readonly settings: Mt5Settings;
  readonly managerLogin: string;
  private readonly endpoint: URL;
  private readonly tls: { ca?: string | Buffer | (string | Buffer)[]; rejectUnauthorized: boolean };
  private readonly logger: Mt5Logger;
  private readonly now: () => number;
  readonly #hash: Buffer;
  private session: Session | null = null;
  private tail: Promise<void> = Promise.resolve();
  private pinger: NodeJS.Timeout | null = null;
  private busy = false;
  private closed = false;
  /** Successful handshakes so far (monitoring and tests). */
  authentications = 0;
  /** Server versions from the last handshake. */
  versions: { access: string; trade: string } = { access: '', trade: '' };

  constructor(options: Mt5ClientOptions) {
    const endpoint = new URL(options.url);
    if (endpoint.protocol !== 'https:')
      throw new Error('the MT5 Web API is served over HTTPS only (mt5-webapi.md §1.1)');
    if (!/^\d+$/.test(options.managerLogin)) throw new Error('managerLogin must be a numeric MT5 login');
    if (options.password.length === 0) throw new Error('the manager password is required');
    this.endpoint = endpoint;
    this.managerLogin = options.managerLogin;
    this.settings = resolveSettings(options.settings);
    this.tls = { ca: options.ca, rejectUnauthorized: options.rejectUnauthorized ?? true };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.#hash = passwordHash(options.password);
  }

  /** Sends one command, authenticating first when there is no live session. */
  call(command: string, params: Mt5Params = {}, options: CallOptions = {}): Promise<Mt5Answer> {
    if (this.closed) return Promise.reject(unavailableError(command, 'the MT5 client is closed', { retryable: false }));
    return this.serial(() => this.send(command, params, options));
  }

  /** Logs out (best effort) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pinger !== null) clearInterval(this.pinger);
    this.pinger = null;
    await this.serial(async () => {
      const session = this.session;
      this.session = null;
      if (session === null) return;
      if (session.authenticated && !session.lost) {
        await this.exchange(session, 'quit', {}, { method: 'GET' }, 2_000).catch(() => undefined);
      }
      session.close();
    });
  }

  toJSON(): Record<string, unknown> {
    return { url: this.endpoint.origin, managerLogin: this.managerLogin, authentications: this.authentications };
  }

  // -------------------------------------------------------------------------------------------

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      this.busy = true;
      try {
        return await work();
      } finally {
        this.busy = false;
      }
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async send(command: string, params: Mt5Params, options: CallOptions): Promise<Mt5Answer> {
    const started = this.now();
    for (let attempt = 1; ; attempt += 1) {
      const session = await this.liveSession(command);
      let result: Exchange;
      try {
        result = await this.exchange(session, command, params, options, this.settings.requestTimeoutMs);
      } catch (error) {
        this.drop(session);
        if (error instanceof SessionChanged && attempt === 1) continue;
        const failure = this.transportError(command, error);
        if (error instanceof SessionChanged) failure.unsent = true;
        throw failure;
      }
      session.lastUsed = this.now();
      const retcode = result.body === null ? null : parseRetcode(result.body.retcode);
      const sessionLost =
        this.settings.sessionLostStatuses.includes(result.status) ||
        (result.status === 200 && retcode !== null && this.settings.sessionLostRetcodes.includes(retcode.code));
      if (sessionLost) {
        this.drop(session);
        if (attempt === 1) {
          this.logger.info(
            { command, status: result.status, retcode: retcode?.code },
            'mt5 session lost; authenticating again',
          );
          continue;
        }
        if (retcode !== null && result.status === 200)
          throw retcodeError(command, retcode.code, retcode.text, options.notFound);
        throw new Mt5Error(
          'PLATFORM_REJECTED',
          'INVALID_REQUEST',
          `MT5 ${command} answered HTTP ${result.status} right after a fresh authentication (manager rights or IP access?)`,
          retcode?.code ?? null,
          command,
          result.status,
        );
      }
      if (result.status >= 500) {
        this.drop(session);
        throw unavailableError(command, `MT5 ${command} answered HTTP ${result.status}`, { httpStatus: result.status });
      }
      if (result.status !== 200) {
        // §1.6: a non-200 status is not documented; start the next command on a fresh session.
        this.drop(session);
        throw new Mt5Error(
          'PLATFORM_REJECTED',
          'INVALID_REQUEST',
          `MT5 ${command} answered HTTP ${result.status}`,
          retcode?.code ?? null,
          command,
          result.status,
        );
      }
      if (result.body === null || retcode === null) {
        this.drop(session);
        throw unavailableError(command, `MT5 ${command} answered something other than {"retcode": …}`);
      }
      this.logger.debug(
        { command, params: loggable(params), retcode: retcode.code, ms: this.now() - started },
        'mt5 command',
      );
      if (SUCCESS_RETCODES.has(retcode.code) || options.accept?.includes(retcode.code)) {
        return { retcode: retcode.code, description: retcode.text, answer: result.body.answer, body: result.body };
      }
      const error = retcodeError(command, retcode.code, retcode.text, options.notFound);
      this.logger.warn({ command, params: loggable(params), retcode: retcode.code }, 'mt5 command failed');
      throw error;
    }
  }

  private drop(session: Session): void {
    session.close();
    if (this.session === session) this.session = null;
  }

  private transportError(command: string, error: unknown): Mt5Error {
    if (error instanceof Mt5Error) return error;
    if (error instanceof RequestTimeout) {
      this.logger.warn({ command, ms: error.ms }, 'mt5 command timed out');
      return unavailableError(command, `MT5 ${command}: ${error.message}`);
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ command, code }, 'mt5 connection failed');
    if (code !== undefined && CERTIFICATE_ERRORS.has(code)) {
      return unavailableError(command, `MT5 ${command}: the server's TLS certificate is not trusted (${code})`, {
        retryable: false,
      });
    }
    return unavailableError(command, `MT5 ${command}: connection failed (${code ?? message})`);
  }

  /** The authenticated session, after a handshake on a new connection when there is none. */
  private async liveSession(command: string): Promise<Session> {
    const current = this.session;
    if (current?.authenticated && !current.lost && !(current.socket?.destroyed ?? false)) {
      return current;
    }
    if (current !== null) this.drop(current);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.authenticate();
      } catch (error) {
        if (error instanceof SessionChanged && attempt === 1) continue;
        // The command itself never left: MT5 cannot have acted on it.
        const failure = this.transportError(`auth (for ${command})`, error);
        failure.unsent = true;
        throw failure;
      }
    }
  }

  /** auth/start then auth/answer on one new connection (§1.3–1.5), checking the server's proof too. */
  private async authenticate(): Promise<Session> {
    const session = new Session(
      new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        ca: this.tls.ca,
        rejectUnauthorized: this.tls.rejectUnauthorized,
      }),
    );
    this.session = session;
    try {
      const start = await this.exchange(
        session,
        'auth/start',
        {
          version: this.settings.clientVersion,
          agent: this.settings.agentName,
          login: this.managerLogin,
          type: 'manager',
        },
        {},
        this.settings.requestTimeoutMs,
      );
      this.checkAuthStep('auth/start', start);
      const srvRand = start.body?.srv_rand;
      if (!isRandHex(srvRand)) throw unavailableError('auth/start', 'MT5 auth/start sent no valid srv_rand');
      const cliRand = newRand();
      const answer = await this.exchange(
        session,
        'auth/answer',
        { srv_rand_answer: randAnswer(this.#hash, srvRand), cli_rand: cliRand },
        {},
        this.settings.requestTimeoutMs,
      );
      this.checkAuthStep('auth/answer', answer);
      if (!sameAnswer(randAnswer(this.#hash, cliRand), answer.body?.cli_rand_answer)) {
        throw unavailableError(
          'auth/answer',
          'MT5 auth/answer: the server did not prove it knows the manager password (cli_rand_answer mismatch); refusing to use it',
          { retryable: false },
        );
      }
      session.authenticated = true;
      session.lastUsed = this.now();
      this.authentications += 1;
      const body = answer.body as Mt5Record;
      this.versions = { access: text(body, 'version_access'), trade: text(body, 'version_trade') };
      this.logger.info(
        { managerLogin: this.managerLogin, versionAccess: this.versions.access, versionTrade: this.versions.trade },
        'mt5 session authenticated',
      );
      this.startPinger();
      return session;
    } catch (error) {
      this.drop(session);
      throw error;
    }
  }

  private checkAuthStep(step: string, result: Exchange): void {
    const retcode = result.body === null ? null : parseRetcode(result.body.retcode);
    if (result.status === 200 && retcode?.code === 0) return;
    const transient =
      result.status >= 500 || (retcode !== null && (TRANSIENT_RETCODES.has(retcode.code) || retcode.code === 1018));
    const what =
      retcode === null
        ? `HTTP ${result.status}`
        : `HTTP ${result.status}, retcode ${retcode.code} ${retcode.text}`.trim();
    this.logger.warn(
      { step, status: result.status, retcode: retcode?.code, managerLogin: this.managerLogin },
      'mt5 authentication refused',
    );
    throw unavailableError(
      step,
      `MT5 ${step}: authentication of manager ${this.managerLogin} refused (${what})` +
        (transient ? '' : '; check the manager login, password, rights and allowed IP addresses'),
      { httpStatus: result.status, retcode: retcode?.code, retryable: transient },
    );
  }

  private startPinger(): void {
    const interval = this.settings.pingIntervalMs;
    if (interval <= 0 || this.pinger !== null) return;
    this.pinger = setInterval(() => this.pingIfIdle(), Math.max(250, Math.floor(interval / 4)));
    this.pinger.unref();
  }

  private pingIfIdle(): void {
    const session = this.session;
    if (this.busy || this.closed || session === null || !session.authenticated || session.lost) return;
    if (this.now() - session.lastUsed < this.settings.pingIntervalMs) return;
    void this.serial(async () => {
      if (this.session !== session || session.lost) return;
      try {
        const result = await this.exchange(session, 'test/access', {}, {}, this.settings.requestTimeoutMs);
        const retcode = result.body === null ? null : parseRetcode(result.body.retcode);
        if (result.status !== 200 || retcode?.code !== 0) throw new Error(`ping answered HTTP ${result.status}`);
        session.lastUsed = this.now();
      } catch (error) {
        this.logger.debug(
          { error: error instanceof Error ? error.message : String(error) },
          'mt5 ping failed; session dropped',
        );
        this.drop(session);
      }
    });
  }

  /** One HTTP request on the session's connection; refuses to go out on any other connection. */
  private exchange(
    session: Session,
    command: string,
    params: Mt5Params,
    options: CallOptions,
    timeoutMs: number,
  ): Promise<Exchange> {
    const query = Object.entries(params)
      .filter(
        (entry): entry is [string, string | number | bigint | boolean] => entry[1] !== undefined && entry[1] !== null,
      )
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
      .join('&');
    const path = `/api/${command}${query.length > 0 ? `?${query}` : ''}`;
    const payload = options.body === undefined ? null : Buffer.from(JSON.stringify(options.body), 'utf8');
    const headers: Record<string, string | number> = {
      Connection: 'keep-alive',
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (payload !== null) headers['Content-Length'] = payload.length;
    if (this.settings.keepCookies && session.cookies.size > 0) {
      headers.Cookie = [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    return new Promise<Exchange>((resolve, reject) => {
      let settled = false;
      const finish = (error: unknown, result?: Exchange) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === null && result !== undefined) resolve(result);
        else reject(error);
      };
      const request = https.request(
        {
          protocol: 'https:',
          hostname: this.endpoint.hostname,
          port: this.endpoint.port === '' ? 443 : Number(this.endpoint.port),
          path,
          method: options.method ?? (payload === null ? 'GET' : 'POST'),
          headers,
          agent: session.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => finish(error));
          response.on('aborted', () => finish(new Error('the answer was cut off')));
          response.on('end', () => {
            this.keepCookies(session, response.headers['set-cookie']);
            let body: Mt5Record | null = null;
            try {
              const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              body = isRecord(parsed) ? parsed : null;
            } catch {
              body = null;
            }
            finish(null, { status: response.statusCode ?? 0, body });
          });
        },
      );
      const timer = setTimeout(() => request.destroy(new RequestTimeout(timeoutMs)), timeoutMs);
      request.on('socket', (socket: Socket) => {
        if (session.socket === null) {
          session.socket = socket;
          socket.once('close', () => {
            session.lost = true;
          });
        } else if (socket !== session.socket) {
          request.destroy(new SessionChanged());
        }
      });
      request.on('error', (error) => finish(error));
      request.end(payload ?? undefined);
    });
  }

  private keepCookies(session: Session, setCookie: string[] | undefined): void {
    if (!this.settings.keepCookies || setCookie === undefined) return;
    for (const line of setCookie) {
      const pair = line.split(';', 1)[0];
      const eq = pair.indexOf('=');
      if (eq > 0) session.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

/** Parameters fit for a log line: secrets dropped. */
function loggable(params: Mt5Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || SECRET_PARAM.test(key)) continue;
    out[key] = String(value);
  }
  return out;
}
