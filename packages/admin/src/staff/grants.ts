/** The staff roles, in the order the console lists them (the API's STAFF_ROLES). */
export const STAFF_ROLES = [
  'OWNER',
  'ADMIN',
  'RISK_MANAGER',
  'COMPLIANCE',
  'MARKETING',
  'SUPPORT',
  'READ_ONLY',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** One row of the grants editor: `brandId` '' means every brand. */
export interface GrantRow {
  brandId: string;
  role: StaffRole;
}

export const EVERY_BRAND = '';

/** The editor's rows as the API's grants: duplicates dropped, '' → null (every brand). */
export function toGrantInputs(rows: GrantRow[]): { brandId: string | null; role: string }[] {
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    const key = `${row.brandId}:${row.role}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ brandId: row.brandId === EVERY_BRAND ? null : row.brandId, role: row.role }];
  });
}

export function fromGrants(grants: readonly { brandId?: string | null; role: string }[]): GrantRow[] {
  return grants.map((g) => ({ brandId: g.brandId ?? EVERY_BRAND, role: g.role as StaffRole }));
}
