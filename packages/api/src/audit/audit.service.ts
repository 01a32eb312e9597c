import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { notFound } from '../common/errors';
import { brandScopedSql } from '../db/scoped-sql';
import type { AuditEntry, AuditFilter } from './audit.types';

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

/** Reading the audit trail of a brand, with filters; CSV for export. */
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  async entries(filter: AuditFilter): Promise<AuditEntry[]> {
    if (!(await this.em.findOne(Brand, { id: filter.brandId }, { fields: ['id'] }))) throw notFound('Brand');
    const rows = await brandScopedSql<Row>(
      this.em,
      [filter.brandId],
      `SELECT * FROM audit_entry
        WHERE brand_id = ?
          AND (?::text IS NULL OR actor_label = ? OR actor_id = ?)
          AND (?::text IS NULL OR target_type = ?)
          AND (?::text IS NULL OR target_id = ?)
          AND (?::text IS NULL OR operation = ?)
          AND (?::timestamptz IS NULL OR at >= ?)
          AND (?::timestamptz IS NULL OR at < ?)
        ORDER BY id DESC LIMIT ?`,
      [
        filter.brandId,
        ...[filter.actor, filter.actor, filter.actor].map((v) => v ?? null),
        ...[filter.targetType, filter.targetType].map((v) => v ?? null),
        ...[filter.targetId, filter.targetId].map((v) => v ?? null),
        ...[filter.operation, filter.operation].map((v) => v ?? null),
        ...[filter.from, filter.from].map((v) => v ?? null),
        ...[filter.to, filter.to].map((v) => v ?? null),
        Math.min(Math.max(filter.limit, 1), 5_000),
      ],
    );
    return rows.map((r) => ({
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
    }));
  }

  async csv(filter: AuditFilter): Promise<string> {
    const cell = (value: unknown) => {
      const text = value === null || value === undefined ? '' : String(value);
      // Quote everything; a leading =, +, - or @ would be a formula in a spreadsheet.
      return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
    };
    const header = [
      'at',
      'actor',
      'actor kind',
      'operation',
      'target type',
      'target id',
      'changes',
      'request id',
      'ip',
    ];
    const lines = (await this.entries(filter)).map((e) =>
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
}
