import { hashPassword } from '../auth/passwords';
import type { StaffRole } from '../auth/auth.entity';
import type { TestApi } from './harness';

/** Adds a staff member with the given per-brand grants straight into the test database and signs them in. */
export async function staffWith(t: TestApi, email: string, grants: { brandId: string | null; role: StaffRole }[]) {
  const password = 'staff-test-password';
  const [{ id }] = (await t.sql<{ id: string }>(
    `INSERT INTO staff_user (id, email, name, password_hash, active, created_at)
     VALUES (gen_random_uuid(), $1, $1, $2, true, now()) RETURNING id`,
    [email, await hashPassword(password)],
  )) as [{ id: string }];
  for (const grant of grants) {
    await t.sql('INSERT INTO staff_grant (id, staff_id, brand_id, role) VALUES (gen_random_uuid(), $1, $2, $3)', [
      id,
      grant.brandId,
      grant.role,
    ]);
  }
  return t.signIn(email, password);
}
