import { hashPassword } from '../auth/passwords';
import type { StaffRole } from '../auth/auth.entity';
import type { TestApi } from './harness';

/**
 * Gives a staff member exactly these per-brand grants straight in the test database (creating
 * them, or taking over a seeded demo login of the same email) and signs them in.
 */
export async function staffWith(t: TestApi, email: string, grants: { brandId: string | null; role: StaffRole }[]) {
  const password = 'staff-test-password';
  const [{ id }] = (await t.sql<{ id: string }>(
    `INSERT INTO staff_user (id, email, name, password_hash, active, created_at)
     VALUES (gen_random_uuid(), $1, $1, $2, true, now())
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, active = true
     RETURNING id`,
    [email, await hashPassword(password)],
  )) as [{ id: string }];
  await t.sql('DELETE FROM staff_grant WHERE staff_id = $1', [id]);
  for (const grant of grants) {
    await t.sql('INSERT INTO staff_grant (id, staff_id, brand_id, role) VALUES (gen_random_uuid(), $1, $2, $3)', [
      id,
      grant.brandId,
      grant.role,
    ]);
  }
  return t.signIn(email, password);
}
