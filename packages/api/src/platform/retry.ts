import { PlatformError } from './platform';

/**
 * Retries a platform command while the platform is unreachable. Safe only because every command
 * is idempotent by its `commandId`: a retry after a lost answer cannot apply it twice. A
 * rejection (`PLATFORM_REJECTED`) and any non-platform error are thrown at once.
 */
export interface RetryOptions {
  /** Attempts in all, the first included [5]. */
  attempts?: number;
  /** Wait before the second attempt; doubles each time [200 ms]. */
  baseDelayMs?: number;
  /** Longest single wait [5 s]. */
  maxDelayMs?: number;
  /** Waits; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1, for jitter; injectable for tests [Math.random]. */
  random?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(command: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 200, maxDelayMs = 5_000, sleep = wait, random = Math.random } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await command();
    } catch (error) {
      const retryable = error instanceof PlatformError && error.retryable;
      if (!retryable || attempt >= attempts) throw error;
      // "Equal jitter": half the back-off fixed, half random, so that many callers that failed
      // together (a platform restart) do not all come back at the same instant.
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.round(ceiling / 2 + (random() * ceiling) / 2));
    }
  }
}
