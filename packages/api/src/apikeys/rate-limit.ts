import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Token buckets: a bucket holds up to `perMinute` tokens and refills continuously at
 * `perMinute / 60` tokens a second; each request takes one. A full bucket lets a burst of
 * `perMinute` requests through, after which requests pass at the refill rate.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one token is back; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(bucket: string, perMinute: number): Promise<RateDecision>;
  close(): Promise<void>;
}

const perMs = (perMinute: number) => perMinute / 60_000;
const retryAfter = (missing: number, perMinute: number) => Math.max(1, Math.ceil(missing / perMs(perMinute) / 1000));

/** One process's buckets. Idle (full) buckets are forgotten so the map stays small. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(bucket: string, perMinute: number): Promise<RateDecision> {
    return this.takeSync(bucket, perMinute);
  }

  takeSync(bucket: string, perMinute: number): RateDecision {
    const now = this.now();
    const state = this.buckets.get(bucket) ?? { tokens: perMinute, at: now };
    state.tokens = Math.min(perMinute, state.tokens + (now - state.at) * perMs(perMinute));
    state.at = now;
    if (this.buckets.size > 50_000) this.sweep(now);
    this.buckets.set(bucket, state);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: retryAfter(1 - state.tokens, perMinute) };
  }

  /** Drops buckets untouched for over a minute: they are full again, so forgetting them changes nothing. */
  private sweep(now: number) {
    for (const [key, state] of this.buckets) if (now - state.at > 60_000) this.buckets.delete(key);
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}

/**
 * One atomic step of a bucket in Redis, so that several API processes share it. The clock is
 * Redis's own (TIME), so processes with skewed clocks still agree. Returns {allowed, wait ms}.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local per_ms = capacity / 60000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return {allowed, wait}
`;

/**
 * Buckets in Redis, shared by every API process using the same Redis.
 *
 * When Redis cannot be reached the limiter FAILS OPEN TO LOCAL BUCKETS: each process keeps
 * limiting with its own in-memory buckets (so a key gets at most N × its rate across N processes)
 * until Redis answers again. Refusing every request (fail closed) would turn an outage of an
 * auxiliary store into an outage of the whole API, and not limiting at all would let a runaway
 * client through; keys and permissions are checked in PostgreSQL either way. The switch is logged
 * once each way, not per request.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback = new MemoryRateLimiter();
  private degraded = false;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly namespace = 'bd:rl:',
  ) {
    this.redis = new Redis(url, {
      // Never queue a limit check behind a reconnect, and never wait long for an answer: the
      // request falls back to the local bucket instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 2000,
      disconnectTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    });
    this.redis.defineCommand('bdTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    // ioredis reports every failed reconnect; the state change is what matters and is logged below.
    this.redis.on('error', (error) => this.degrade(error));
    this.redis.on('ready', () => this.recover());
  }

  /** Resolves once connected (or rejects after `timeoutMs`); requests before that use local buckets. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async take(bucket: string, perMinute: number): Promise<RateDecision> {
    // Still connecting (start-up) or reconnecting: local buckets; the 'error' event has said why.
    if (this.redis.status !== 'ready') return this.fallback.take(bucket, perMinute);
    try {
      const [allowed, waitMs] = (await (
        this.redis as unknown as { bdTakeToken(key: string, capacity: number): Promise<[number, number]> }
      ).bdTakeToken(`${this.namespace}${bucket}`, perMinute)) as [number, number];
      this.recover();
      return allowed === 1
        ? { allowed: true, retryAfterSeconds: 0 }
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (error) {
      this.degrade(error);
      return this.fallback.take(bucket, perMinute);
    }
  }

  private degrade(error: unknown) {
    if (this.degraded) return;
    this.degraded = true;
    this.log.warn(
      { err: error },
      'Redis is unreachable: rate limits fall back to this process (not shared) until it answers again',
    );
  }

  private recover() {
    if (!this.degraded) return;
    this.degraded = false;
    this.log.info('Redis answers again: rate limits are shared again');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }
}

export function createRateLimiter(redisUrl: string | undefined, log: Logger): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl, log) : new MemoryRateLimiter();
}
