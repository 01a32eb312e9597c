import { Writable } from 'node:stream';
import pino from 'pino';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limit';

describe('the in-memory token bucket', () => {
  it('lets a burst of the rate through, then refills continuously', () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter(() => now);
    const results = Array.from({ length: 7 }, () => limiter.takeSync('key:a', 6));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, true, false]);
    // 6 a minute: one token every 10 s.
    expect(results[6]!.retryAfterSeconds).toBe(10);
    now += 4_000;
    expect(limiter.takeSync('key:a', 6)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(limiter.takeSync('key:a', 6).allowed).toBe(true);
    expect(limiter.takeSync('key:a', 6).allowed).toBe(false);
    // Buckets are independent, and a long pause refills only up to the capacity.
    expect(limiter.takeSync('key:b', 6).allowed).toBe(true);
    now += 3_600_000;
    expect(Array.from({ length: 7 }, () => limiter.takeSync('key:a', 6).allowed).filter(Boolean)).toHaveLength(6);
  });
});

describe('the Redis limiter when Redis is unreachable', () => {
  it('falls back to local buckets (fail open to this process) and says so once', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    // Nothing listens on port 1: every command fails at once (no offline queue).
    const limiter = new RedisRateLimiter('redis://127.0.0.1:1', log);
    try {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.take('key:down', 3));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results[3]!.retryAfterSeconds).toBeGreaterThan(0);
      // ioredis keeps retrying (and reporting each failure) in the background: still one line.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (let i = 0; i < 3; i++) await limiter.take('key:other', 3);
      const warnings = lines.filter((l) => l.includes('rate limits fall back'));
      expect(warnings).toHaveLength(1);
    } finally {
      await limiter.close();
    }
  });
});
