import path from 'node:path';
import { z } from 'zod';
import { DEV_SECRETS_KEY } from './common/secrets';

/** The repository root, found from this file whether it runs from src/ (tests) or dist/ (start). */
export const repoRoot = path.resolve(__dirname, '../../..');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  ADMIN_EMAIL: z.string().email().default('owner@brokerdeck.test'),
  ADMIN_PASSWORD: z.string().min(8).default('brokerdeck-demo'),
  PUBLIC_URL: z.string().optional(),
  /** Run the demo's simulated traders in this process (default: on, except in tests). */
  DEMO_SIMULATOR: z.enum(['true', 'false']).optional(),
  /** Simulated time per wall time; 1440 is a trading day a minute. */
  DEMO_SPEED: z.coerce.number().positive().default(1440),
  DEMO_TRADERS: z.coerce.number().int().min(0).max(5000).default(12),
  /** Bearer token of the ingestion endpoint until partner API keys (events:ingest) replace it. */
  INGEST_TOKEN: z.string().min(16).optional(),
  /** Key that encrypts secrets at rest (common/secrets.ts); required in production. */
  SECRETS_KEY: z.string().min(16).optional(),
  /** Shared state of several API processes (rate limits); in memory when unset. */
  REDIS_URL: z.string().url().optional(),
});

export type Config = z.infer<typeof configSchema> & { uploadsDir: string; INGEST_TOKEN: string; SECRETS_KEY: string };

/** Reads every setting from the environment once, with defaults; a bad value stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.INGEST_TOKEN) {
    throw new Error('Invalid configuration: INGEST_TOKEN must be set in production');
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SECRETS_KEY) {
    throw new Error('Invalid configuration: SECRETS_KEY must be set in production');
  }
  return {
    ...parsed.data,
    INGEST_TOKEN: parsed.data.INGEST_TOKEN ?? 'dev-ingest-token-not-for-production',
    SECRETS_KEY: parsed.data.SECRETS_KEY ?? DEV_SECRETS_KEY,
    DATA_DIR: dataDir,
    uploadsDir: path.join(dataDir, 'uploads'),
  };
}
