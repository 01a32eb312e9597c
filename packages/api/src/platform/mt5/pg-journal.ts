import type { Pool } from 'pg';
import type { SecretBox } from '../../common/secrets';
import type { CommandJournal, JournalEntry, JournalRejection } from './journal';

interface Row {
  command_id: string;
  kind: string;
  fingerprint: string;
  tag: string;
  state: JournalEntry['state'];
  started_at: Date;
  attempted_at: Date;
  progress_sealed: string;
  result_sealed: string | null;
  rejection: JournalRejection | null;
}

/**
 * The command journal in PostgreSQL, one per platform connection, so that a command survives a
 * restart: `begin` is INSERT … ON CONFLICT DO NOTHING, which also settles two processes racing on
 * the same commandId. Progress and results are sealed because they carry trader passwords.
 */
export class PgCommandJournal implements CommandJournal {
  constructor(
    private readonly pool: Pool,
    private readonly platformId: string,
    private readonly box: SecretBox,
  ) {}

  async begin(entry: JournalEntry): Promise<JournalEntry | null> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO platform_command (platform_id, command_id, kind, fingerprint, tag, state, started_at, attempted_at, progress_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0), to_timestamp($8 / 1000.0), $9)
       ON CONFLICT (platform_id, command_id) DO NOTHING`,
      [
        this.platformId,
        entry.commandId,
        entry.kind,
        entry.fingerprint,
        entry.tag,
        entry.state,
        entry.startedAt,
        entry.attemptedAt,
        this.box.seal(JSON.stringify(entry.progress)),
      ],
    );
    if (rowCount === 1) return null;
    return (await this.get(entry.commandId)) ?? null;
  }

  async get(commandId: string): Promise<JournalEntry | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM platform_command WHERE platform_id = $1 AND command_id = $2',
      [this.platformId, commandId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      commandId: row.command_id,
      kind: row.kind,
      fingerprint: row.fingerprint,
      tag: row.tag,
      state: row.state,
      startedAt: row.started_at.getTime(),
      attemptedAt: row.attempted_at.getTime(),
      progress: JSON.parse(this.box.open(row.progress_sealed)),
      ...(row.result_sealed === null ? {} : { result: JSON.parse(this.box.open(row.result_sealed)) }),
      ...(row.rejection === null ? {} : { rejection: row.rejection }),
    };
  }

  async progress(commandId: string, progress: Readonly<Record<string, string>>, attemptedAt?: number): Promise<void> {
    // Read-merge-write under a row lock, so concurrent progress notes of one command do not lose each other.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Pick<Row, 'progress_sealed'>>(
        'SELECT progress_sealed FROM platform_command WHERE platform_id = $1 AND command_id = $2 FOR UPDATE',
        [this.platformId, commandId],
      );
      if (!rows[0]) throw new Error(`no journal entry for ${commandId}`);
      const merged = { ...JSON.parse(this.box.open(rows[0].progress_sealed)), ...progress };
      await client.query(
        `UPDATE platform_command SET progress_sealed = $3,
                attempted_at = coalesce(to_timestamp($4 / 1000.0), attempted_at)
          WHERE platform_id = $1 AND command_id = $2`,
        [this.platformId, commandId, this.box.seal(JSON.stringify(merged)), attemptedAt ?? null],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async complete(commandId: string, result: unknown): Promise<void> {
    await this.finish(commandId, "state = 'DONE', result_sealed = $3", [this.box.seal(JSON.stringify(result ?? null))]);
  }

  async reject(commandId: string, rejection: JournalRejection): Promise<void> {
    await this.finish(commandId, "state = 'REJECTED', rejection = $3", [JSON.stringify(rejection)]);
  }

  private async finish(commandId: string, set: string, params: unknown[]) {
    const { rowCount } = await this.pool.query(
      `UPDATE platform_command SET ${set} WHERE platform_id = $1 AND command_id = $2`,
      [this.platformId, commandId, ...params],
    );
    if (rowCount !== 1) throw new Error(`no journal entry for ${commandId}`);
  }
}
