import { Pool } from 'pg';
import { SecretBox } from '../../common/secrets';
import { withDatabase } from '../../test/global-setup';
import { startTestApi, type TestApi } from '../../test/harness';
import { FakeMt5Server } from './fake-server';
import { PgCommandJournal } from './pg-journal';
import { MANAGER_PASSWORD, platformFor } from './test-helpers';

/** The command journal in PostgreSQL: what makes a repeated MT5 command safe across restarts. */
let t: TestApi;
let pool: Pool;
let fake: FakeMt5Server;
let platformId: string;
const box = new SecretBox('journal test key, long enough');

beforeAll(async () => {
  t = await startTestApi();
  const [db] = await t.sql<{ name: string }>('SELECT current_database() AS name');
  pool = new Pool({ connectionString: withDatabase(process.env.BD_TEST_SERVER_URL!, db!.name), max: 4 });
  fake = await FakeMt5Server.start({ password: MANAGER_PASSWORD });
  const [row] = await t.sql<{ id: string }>('SELECT id FROM platform_connection LIMIT 1');
  platformId = row!.id;
});
afterAll(async () => {
  await pool.end();
  await fake.stop();
  await t.stop();
});

it('a command repeated by a new process returns the recorded outcome without touching MT5 again', async () => {
  const first = platformFor(fake, { journal: new PgCommandJournal(pool, platformId, box) });
  const command = {
    commandId: 'create-1',
    group: 'demo\\prop',
    leverage: 100,
    currency: 'USD',
    startingBalance: '50000.00',
  };
  const created = await first.createAccount(command);
  await first.close();
  const adds = fake.commands().filter((c) => c === 'user/add').length;

  // "After a restart": a new adapter with a new journal object over the same table.
  const second = platformFor(fake, { journal: new PgCommandJournal(pool, platformId, box) });
  const again = await second.createAccount(command);
  await second.close();
  expect(again).toEqual(created);
  expect(fake.commands().filter((c) => c === 'user/add').length).toBe(adds);

  // The same id with another command is refused, not silently merged.
  const third = platformFor(fake, { journal: new PgCommandJournal(pool, platformId, box) });
  await expect(third.createAccount({ ...command, startingBalance: '60000.00' })).rejects.toThrow();
  await third.close();

  // The trader's passwords are in the journal only sealed.
  const rows = await t.sql<{ progress_sealed: string; result_sealed: string }>(
    "SELECT progress_sealed, result_sealed FROM platform_command WHERE command_id = 'create-1'",
  );
  expect(rows).toHaveLength(1);
  const plain = JSON.stringify(created);
  for (const value of Object.values(created).filter((v): v is string => typeof v === 'string' && v.length >= 8)) {
    expect(rows[0]!.progress_sealed + rows[0]!.result_sealed).not.toContain(value);
  }
  expect(JSON.parse(box.open(rows[0]!.result_sealed))).toEqual(JSON.parse(plain));
});
