import pino from 'pino';

/** Field names whose values never reach a log line, wherever they appear. */
const redactPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'variables.password',
  'variables.input.password',
];

export function createLogger(level: string) {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'brokerdeck-api' } });
}
export type Logger = pino.Logger;
