import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The key format: `bdk_<prefix>_<secret>`. The prefix (8 hex characters) is stored in clear and
 * finds the row; the secret (32 random bytes, base64url: 43 characters) is never stored. Only the
 * SHA-256 of the whole key is kept: for a 256-bit random key a slow password hash adds nothing.
 */
export const KEY_PREFIX = 'bdk_';
const FORMAT = /^bdk_([0-9a-f]{8})_([A-Za-z0-9_-]{32,128})$/;

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function generateKey(): NewKey {
  const prefix = randomBytes(4).toString('hex');
  const key = `${KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** Whether a bearer token is meant as an API key (as opposed to a session token). */
export const looksLikeApiKey = (token: string) => token.startsWith(KEY_PREFIX);

/** The prefix of a well-formed key, or null. */
export function prefixOf(key: string): string | null {
  return FORMAT.exec(key)?.[1] ?? null;
}

/** Compares the key's hash with the stored one in constant time. */
export function keyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
