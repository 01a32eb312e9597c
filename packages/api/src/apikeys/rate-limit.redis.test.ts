import { randomBytes } from 'node:crypto';
import { createLogger } from '../logger';
import { RedisRateLimiter } from './rate-limit';

/**
 * Two limiters with their own connections stand for two API processes: they must share one
 * bucket. Runs when REDIS_URL is set; in CI (CI=true) a missing REDIS_URL is a failure, not a skip.
 */
const url = process.env.REDIS_URL;
const inCi = process.env.CI === 'true';

if (!url && !inCi) {
  it.skip('shares one bucket between API processes (set REDIS_URL to run)', () => {});
} else {
  describe('the Redis token bucket', () => {
    const log = createLogger('silent');
    let a: RedisRateLimiter;
    let b: RedisRateLimiter;
    beforeAll(async () => {
      if (!url) throw new Error('CI=true but REDIS_URL is not set: the Redis rate-limit test must run in CI');
      a = new RedisRateLimiter(url, log, 'bd:test:rl:');
      b = new RedisRateLimiter(url, log, 'bd:test:rl:');
      await Promise.all([a.ready(), b.ready()]);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('is one bucket for two processes: the 6th request of a 5/min key is refused, whichever process serves it', async () => {
      const bucket = `key:${randomBytes(8).toString('hex')}`;
      const served = [];
      for (let i = 0; i < 6; i++) served.push(await (i % 2 === 0 ? a : b).take(bucket, 5));
      expect(served.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
      expect(served[5]!.retryAfterSeconds).toBeGreaterThan(0);
      expect(served[5]!.retryAfterSeconds).toBeLessThanOrEqual(12);
      expect((await a.take(bucket, 5)).allowed).toBe(false);
      // Another key is untouched.
      expect((await b.take(`key:${randomBytes(8).toString('hex')}`, 5)).allowed).toBe(true);
    });

    it('stays exact under concurrent requests from both processes (the Lua step is atomic)', async () => {
      const bucket = `key:${randomBytes(8).toString('hex')}`;
      const all = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take(bucket, 25)));
      expect(all.filter((d) => d.allowed)).toHaveLength(25);
    });
  });
}
