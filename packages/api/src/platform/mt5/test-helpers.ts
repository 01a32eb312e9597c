/** TEST SUPPORT ONLY: shared set-up of the MT5 adapter tests. */
import type { Mt5Logger } from './client';
import { Mt5Platform, type Mt5PlatformOptions } from './adapter';
import type { FakeMt5Server } from './fake-server';

export const MANAGER_PASSWORD = 'Mgr#Secret-2025';

export function collectingLogger(): Mt5Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn') };
}

export function platformFor(fake: FakeMt5Server, options: Partial<Mt5PlatformOptions> = {}): Mt5Platform {
  return new Mt5Platform({
    url: fake.url,
    managerLogin: fake.managerLogin,
    password: MANAGER_PASSWORD,
    ca: fake.ca,
    server: 'Brokerdeck-MT5',
    retry: { sleep: async () => {} },
    ...options,
    settings: { pingIntervalMs: 0, requestPollIntervalMs: 10, requestResultTimeoutMs: 2_000, ...options.settings },
    poll: { snapshotLagMs: 0, ...options.poll },
  });
}
