import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { notFound } from '../common/errors';
import { brandScopedSql } from '../db/scoped-sql';
import type { AuditEntry, AuditFilter, StaffAuditFilter } from './audit.types';

interface Row {
  id: string;
  at: Date;
  brand_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string | null;
  operation: string;
  target_type: string;
  target_id: string | null;
  changes: Record<string, [unknown, unknown]>;
  request_id: string | null;
  ip: string | null;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const FILTERS = `AND (?::text IS NULL OR actor_label = ? OR actor_id = ?)
          AND (?::text IS NULL OR target_type = ?)
          AND (?::text IS NULL OR target_id = ?)
          AND (?::text IS NULL OR operation = ?)
          AND (?::timestamptz IS NULL OR at >= ?)
          AND (?::timestamptz IS NULL OR at < ?)
        ORDER BY id DESC LIMIT ?`;

const filterParams = (filter: StaffAuditFilter) => [
  ...[filter.actor, filter.actor, filter.actor].map((v) => v ?? null),
  ...[filter.targetType, filter.targetType].map((v) => v ?? null),
  ...[filter.targetId, filter.targetId].map((v) => v ?? null),
  ...[filter.operation, filter.operation].map((v) => v ?? null),
  ...[filter.from, filter.from].map((v) => v ?? null),
  ...[filter.to, filter.to].map((v) => v ?? null),
  Math.min(Math.max(filter.limit, 1), 5_000),
];

/** Reading the audit trail of a brand, or of staff and security (no brand), with filters; CSV for export. */
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Entries outside any brand: staff sign-ins, lockouts, two-factor, invites, grants. They belong
   * to no tenant, so they are read without a brand scope; only owners may ask (permission table).
   */
  async staffEntries(filter: StaffAuditFilter): Promise<AuditEntry[]> {
    const rows = await this.em
      .getConnection()
      .execute<Row[]>(`SELECT * FROM audit_entry WHERE brand_id IS NULL ${FILTERS}`, filterParams(filter));
    return rows.map(toEntry);
  }

  async staffCsv(filter: StaffAuditFilter): Promise<string> {
    return toCsv(await this.staffEntries(filter));
  }

  async entries(filter: AuditFilter): Promise<AuditEntry[]> {
    if (!(await this.em.findOne(Brand, { id: filter.brandId }, { fields: ['id'] }))) throw notFound('Brand');
    const rows = await brandScopedSql<Row>(
      this.em,
      [filter.brandId],
      `SELECT * FROM audit_entry
        WHERE brand_id = ? ${FILTERS}`,
      [filter.brandId, ...filterParams(filter)],
    );
    return rows.map(toEntry);
  }

  async csv(filter: AuditFilter): Promise<string> {
    return toCsv(await this.entries(filter));
  }
}

function toEntry(r: Row): AuditEntry {
  return {
    id: String(r.id),
    at: new Date(r.at),
    brandId: r.brand_id,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actor: r.actor_label,
    operation: r.operation,
    targetType: r.target_type,
    targetId: r.target_id,
    changes: Object.entries(r.changes).map(([field, [before, after]]) => ({
      field,
      before: json(before),
      after: json(after),
    })),
    requestId: r.request_id,
    ip: r.ip,
  };
}

function toCsv(entries: AuditEntry[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    // Quote everything; a leading =, +, - or @ would be a formula in a spreadsheet.
    return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
  };
  const header = ['at', 'actor', 'actor kind', 'operation', 'target type', 'target id', 'changes', 'request id', 'ip'];
  const lines = entries.map((e) =>
    [
      e.at.toISOString(),
      e.actor,
      e.actorKind,
      e.operation,
      e.targetType,
      e.targetId,
      JSON.stringify(e.changes),
      e.requestId,
      e.ip,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.map(cell).join(','), ...lines].join('\r\n')}\r\n`;
}
