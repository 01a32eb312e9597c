import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';

/** Field names whose values never enter the audit trail. */
const SECRET = /password|secret|token|hash|otp|recovery/i;

export interface AuditActor {
  viewer: Viewer;
  requestId?: string;
  ip?: string;
}

export interface AuditChange {
  brandId: string | null;
  operation: string;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** The fields that differ, as { field: [before, after] }, secrets redacted. */
export function diffFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
) {
  const changes: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[key] = SECRET.test(key) ? ['[redacted]', '[redacted]'] : [a, b];
  }
  return changes;
}

function actorOf(viewer: Viewer): { kind: string; id: string | null; label: string | null } {
  switch (viewer.kind) {
    case 'staff':
      return { kind: 'STAFF', id: viewer.staffId, label: viewer.email };
    case 'system':
      return { kind: 'SYSTEM', id: null, label: viewer.reason };
    case 'trader':
      return { kind: 'TRADER', id: viewer.traderId, label: viewer.email };
    case 'apiKey':
      return { kind: 'API_KEY', id: viewer.keyId, label: viewer.name };
    default:
      return { kind: 'ANONYMOUS', id: null, label: null };
  }
}

/**
 * Writes one audit entry with the EntityManager of the change itself, so that it commits or rolls
 * back with it (call it inside the same transaction).
 */
export async function audit(em: EntityManager, actor: AuditActor, change: AuditChange): Promise<void> {
  await em
    .getConnection()
    .execute(AUDIT_INSERT.replace(/\$\d+/g, '?'), auditParams(actor, change), 'run', em.getTransactionContext());
}

const AUDIT_INSERT = `INSERT INTO audit_entry (brand_id, actor_kind, actor_id, actor_label, operation, target_type, target_id, changes, request_id, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

function auditParams(actor: AuditActor, change: AuditChange) {
  const who = actorOf(actor.viewer);
  return [
    change.brandId,
    who.kind,
    who.id,
    who.label,
    change.operation,
    change.targetType,
    change.targetId,
    JSON.stringify(diffFields(change.before, change.after)),
    actor.requestId ?? null,
    actor.ip ?? null,
  ];
}

/** The same entry through a plain pg client, for set-based paths that run their own transaction (ingestion). */
export async function auditWith(
  client: { query(sql: string, params: unknown[]): Promise<unknown> },
  actor: AuditActor,
  change: AuditChange,
): Promise<void> {
  await client.query(AUDIT_INSERT, auditParams(actor, change));
}
