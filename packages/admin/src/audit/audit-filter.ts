import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { AuditFilter } from '../gql/graphql';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The entries one screen (and one export) holds at most. */
export const AUDIT_LIMIT = 500;

export interface AuditFilterValues {
  actor: string;
  targetType: string;
  operation: string;
  /** Calendar days, YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

export const AUDIT_PARAMS = ['actor', 'targetType', 'operation', 'from', 'to'] as const;

export function filterFromParams(params: URLSearchParams): AuditFilterValues {
  return {
    actor: params.get('actor') ?? '',
    targetType: params.get('targetType') ?? '',
    operation: params.get('operation') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/**
 * The API's filter: empty fields left out, and the day range as instants — from the start of the
 * first day to the start of the day after the last, in the brand's time zone.
 */
export function toAuditFilter(
  brandId: string,
  v: AuditFilterValues,
  timeZone: string,
  limit = AUDIT_LIMIT,
): AuditFilter {
  const filter: AuditFilter = { brandId, limit };
  if (v.actor.trim()) filter.actor = v.actor.trim();
  if (v.targetType) filter.targetType = v.targetType;
  if (v.operation) filter.operation = v.operation;
  if (v.from) filter.from = dayjs.tz(v.from, timeZone).startOf('day').toISOString();
  if (v.to) filter.to = dayjs.tz(v.to, timeZone).startOf('day').add(1, 'day').toISOString();
  return filter;
}

/** "audit-atlas-20250303-1405.csv": the brand and when it was exported (in the brand's zone). */
export function csvFileName(brandSlug: string, at: Date, timeZone: string): string {
  const stamp = dayjs(at).tz(timeZone).format('YYYYMMDD-HHmm');
  const slug = brandSlug.replace(/[^a-z0-9-]/gi, '') || 'brand';
  return `audit-${slug}-${stamp}.csv`;
}

/** CSV as a download: UTF-8 with a byte-order mark, so spreadsheets read accents and Arabic right. */
export function csvBlob(text: string): Blob {
  return new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
}

/** A changed value (JSON) as staff read it: text without quotes, objects indented, null as nothing. */
export function displayValue(json: string | null | undefined): string | null {
  if (json === null || json === undefined) return null;
  try {
    const value = JSON.parse(json) as unknown;
    if (value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value, null, 2);
  } catch {
    return json;
  }
}

/** Operations and target types the API audits today; the lists also take in any value seen. */
export const KNOWN_OPERATIONS = [
  'createBrand',
  'updateBrand',
  'archiveBrand',
  'restoreBrand',
  'createPlan',
  'updatePlan',
  'publishPlan',
  'archivePlan',
  'restorePlan',
  'reorderPlans',
  'reorderPhases',
];
export const KNOWN_TARGET_TYPES = ['Brand', 'Plan', 'PlanVersion', 'PlanCatalogue'];

export function withSeen(known: readonly string[], seen: Iterable<string>, selected: string): string[] {
  const all = new Set([...known, ...seen]);
  if (selected) all.add(selected);
  return [...all].sort((a, b) => a.localeCompare(b));
}
