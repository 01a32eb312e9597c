import { PlatformError, rejected, unavailable } from './platform';
import { withRetry } from './retry';

describe('withRetry', () => {
  const noSleep = { sleep: async () => {}, random: () => 0.5 };

  it('retries an unavailable platform with growing waits, then returns the answer', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw unavailable('timeout');
        return 'ok';
      },
      { baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([75, 150]);
  });

  it('does not retry a rejection', async () => {
    let calls = 0;
    const attempt = withRetry(async () => {
      calls += 1;
      throw rejected('CLOSE_ONLY', 'close only');
    }, noSleep);
    await expect(attempt).rejects.toMatchObject({ code: 'PLATFORM_REJECTED', reason: 'CLOSE_ONLY', retryable: false });
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the platform error', async () => {
    let calls = 0;
    const attempt = withRetry(
      async () => {
        calls += 1;
        throw unavailable('down');
      },
      { ...noSleep, attempts: 4 },
    );
    await expect(attempt).rejects.toBeInstanceOf(PlatformError);
    expect(calls).toBe(4);
  });
});
