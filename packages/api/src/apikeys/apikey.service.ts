import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, audit } from '../audit/audit';
import type { StaffRole } from '../auth/auth.entity';
import { type ApiKeyViewer, type ApiScope, API_SCOPES, systemViewer, type Viewer } from '../auth/viewer';
import { AppError, forbidden, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { assertValid } from '../common/validation';
import { brandScopedSql } from '../db/scoped-sql';
import { systemScope } from '../db/tenancy';
import { ApiKeyRow } from './apikey.entity';
import { type ApiKey, CreateApiKeyInput, type CreatedApiKey, DEFAULT_RATE_PER_MINUTE } from './apikey.types';
import { generateKey, keyMatches, prefixOf } from './key-material';

/** Who may create, list and revoke a brand's keys (the permission table says the same). */
export const KEY_MANAGERS: readonly StaffRole[] = ['OWNER', 'ADMIN'];

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    brandId: row.brandId,
    name: row.name,
    prefix: row.prefix,
    scopes: [...row.scopes],
    ratePerMinute: row.ratePerMinute,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/** What the audit trail records of a key: never the key or its hash. */
const auditView = (row: ApiKeyRow) => ({
  name: row.name,
  prefix: row.prefix,
  scopes: [...row.scopes],
  ratePerMinute: row.ratePerMinute,
});

function createdBy(viewer: Viewer): { id: string | null; label: string | null } {
  switch (viewer.kind) {
    case 'staff':
      return { id: viewer.staffId, label: viewer.email };
    case 'system':
      return { id: null, label: viewer.reason };
    default:
      return { id: null, label: null };
  }
}

/** Creating, listing and revoking keys: staff work, in the viewer's tenant scope, audited. */
export class ApiKeyService {
  constructor(
    private readonly em: EntityManager,
    private readonly actor: AuditActor = { viewer: systemViewer('api key service') },
  ) {}

  async list(brandId: string): Promise<ApiKey[]> {
    const rows = await this.em.find(ApiKeyRow, { brandId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
    return rows.map(toApiKey);
  }

  async create(raw: CreateApiKeyInput): Promise<CreatedApiKey> {
    const input = Object.assign(new CreateApiKeyInput(), raw);
    await assertValid(input, ['input']);
    const scopes = API_SCOPES.filter((scope) => input.scopes.includes(scope));
    const by = createdBy(this.actor.viewer);
    // A prefix is 32 random bits: a collision is rare but possible, and then a fresh key is drawn.
    for (let attempt = 0; ; attempt++) {
      const material = generateKey();
      try {
        const row = await this.em.transactional(async (em) => {
          const created = em.create(ApiKeyRow, {
            brandId: input.brandId,
            name: input.name.trim(),
            prefix: material.prefix,
            keyHash: material.hash,
            scopes,
            ratePerMinute: input.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
            createdById: by.id,
            createdByLabel: by.label,
          });
          await em.flush();
          await audit(em, this.actor, {
            brandId: created.brandId,
            operation: 'createApiKey',
            targetType: 'ApiKey',
            targetId: created.id,
            before: null,
            after: auditView(created),
          });
          return created;
        });
        return { key: material.key, apiKey: toApiKey(row) };
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** Revokes a key at once (its next request is UNAUTHENTICATED); revoking twice changes nothing. */
  async revoke(id: string): Promise<ApiKey> {
    const row = isUuid(id) ? await this.em.findOne(ApiKeyRow, { id }) : null;
    if (!row) throw notFound('API key');
    // The permission table lets OWNER/ADMIN call this; here: OWNER/ADMIN of this key's brand.
    const viewer = this.actor.viewer;
    if (
      viewer.kind === 'staff' &&
      !viewer.grants.some((g) => (g.brandId === null || g.brandId === row.brandId) && KEY_MANAGERS.includes(g.role))
    ) {
      throw forbidden();
    }
    if (viewer.kind !== 'staff' && viewer.kind !== 'system') throw forbidden();
    if (row.revokedAt) return toApiKey(row);
    const revoked = await this.em.transactional(async (em) => {
      const current = await em.findOneOrFail(ApiKeyRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (current.revokedAt) return current;
      current.revokedAt = new Date();
      await em.flush();
      await audit(em, this.actor, {
        brandId: current.brandId,
        operation: 'revokeApiKey',
        targetType: 'ApiKey',
        targetId: current.id,
        before: { revokedAt: null },
        after: { revokedAt: current.revokedAt.toISOString() },
      });
      return current;
    });
    return toApiKey(revoked);
  }
}

/** The rate of each resolved key viewer (the viewer type carries only who and what). */
const rates = new WeakMap<ApiKeyViewer, number>();
export const rateOf = (viewer: ApiKeyViewer) => rates.get(viewer) ?? DEFAULT_RATE_PER_MINUTE;

/** When this process last wrote each key's last_used_at: at most one write a minute per key. */
const lastTouched = new Map<string, number>();
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves `Authorization: Bearer bdk_…` to the key's viewer (tenant scope: its brand), or throws
 * UNAUTHENTICATED for a malformed, unknown or revoked key. The message never repeats the key.
 */
export async function resolveApiKey(root: EntityManager, key: string, onError: (e: unknown) => void) {
  const prefix = prefixOf(key);
  const em = systemScope(root, 'resolve a partner API key');
  const row = prefix ? await em.findOne(ApiKeyRow, { prefix }) : null;
  // The hash is compared in constant time; an unknown prefix costs a hash too, so timing tells nothing.
  const matches = keyMatches(key, row?.keyHash ?? '0'.repeat(64));
  if (!row || !matches || row.revokedAt) {
    throw new AppError('UNAUTHENTICATED', 'The API key is not valid or has been revoked');
  }
  const viewer: ApiKeyViewer = {
    kind: 'apiKey',
    keyId: row.id,
    brandId: row.brandId,
    name: row.name,
    scopes: row.scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
  };
  rates.set(viewer, row.ratePerMinute);
  // Awaited (it writes at most once a minute per key); a failure is logged, never the request's.
  await touchLastUsed(root, row.id, row.brandId).catch(onError);
  return viewer;
}

async function touchLastUsed(root: EntityManager, keyId: string, brandId: string) {
  const now = Date.now();
  if (now - (lastTouched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
  lastTouched.set(keyId, now);
  if (lastTouched.size > 10_000) {
    for (const [id, at] of lastTouched) if (now - at > TOUCH_EVERY_MS) lastTouched.delete(id);
  }
  // The condition keeps it to one write a minute across processes too.
  const em = systemScope(root, 'record an API key use', [brandId]);
  await brandScopedSql(
    em,
    [brandId],
    `UPDATE api_key SET last_used_at = now()
      WHERE id = ? AND brand_id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [keyId, brandId],
  );
}
