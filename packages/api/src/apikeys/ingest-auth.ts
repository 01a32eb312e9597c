import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { systemScope } from '../db/tenancy';
import { PlatformConnectionRow } from '../platform/platform.entity';
import type { RequestGate } from './admission';
import { resolveApiKey } from './apikey.service';
import { looksLikeApiKey } from './key-material';
import type { ApiKeyViewer } from '../auth/viewer';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Who may post a platform's events to `POST /ingest/:platformId`:
 * - a partner API key with `events:ingest` whose brand owns the platform (rate-limited per key), or
 * - the configured INGEST_TOKEN (the bridges this deployment runs itself, e.g. the demo simulator
 *   process), which may post for any platform.
 * Throws the typed error to answer with: UNAUTHENTICATED, RATE_LIMITED, FORBIDDEN or NOT_FOUND.
 * Returns the partner's key (its batches are audited), or null for the deployment's own token.
 */
export async function authorizeIngest(
  deps: { root: EntityManager; ingestToken: string; gate: RequestGate; onError(error: unknown): void },
  token: string | undefined,
  platformId: string,
  ip: string | undefined,
): Promise<ApiKeyViewer | null> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'An API key with events:ingest (or the ingest token) is required');
  if (!looksLikeApiKey(token)) {
    // Compared as digests: equal length, constant time, whatever the token's length.
    if (!timingSafeEqual(digest(token), digest(deps.ingestToken))) {
      throw new AppError('UNAUTHENTICATED', 'The ingest token is not valid');
    }
    return null;
  }
  const viewer = await resolveApiKey(deps.root, token, deps.onError);
  await deps.gate.admit(viewer, ip);
  if (!viewer.scopes.includes('events:ingest')) throw forbidden('This API key lacks the events:ingest scope');
  const em = systemScope(deps.root, `ingest with API key ${viewer.keyId}`, [viewer.brandId]);
  const platform = isUuid(platformId) ? await em.findOne(PlatformConnectionRow, { id: platformId }) : null;
  // Another brand's platform is not found, exactly like one that does not exist.
  if (!platform) throw notFound('Platform');
  return viewer;
}
