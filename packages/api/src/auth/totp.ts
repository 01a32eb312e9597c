import { createHash, randomInt } from 'node:crypto';
import { authenticator } from 'otplib';

/** The issuer an authenticator app shows beside the account. */
export const TOTP_ISSUER = 'Brokerdeck';
const STEP_SECONDS = 30;
/** Codes of the step before and after are accepted too: phone clocks drift. */
const WINDOW = 1;

/** A new base32 secret (160 bits, RFC 4226's recommendation). */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function otpauthUri(email: string, secret: string): string {
  return authenticator.keyuri(email, TOTP_ISSUER, secret);
}

/** The time step a six-digit code belongs to, within the window around `now`; null when it matches none. */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = authenticator.clone({ window: WINDOW, epoch: now.getTime() }).checkDelta(clean, secret);
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / STEP_SECONDS) + delta;
}

/** The code an authenticator app shows at `now` (tests, and the demo owner's documented secret). */
export function totpCode(secret: string, now: Date = new Date()): string {
  return authenticator.clone({ epoch: now.getTime() }).generate(secret);
}

// No 0/o, 1/l/i: recovery codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** One-time recovery codes, `xxxxx-xxxxx` (about 50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/**
 * Recovery codes are stored as SHA-256 of their normalised form: they are random and long enough
 * that a slow hash adds nothing, and sign-in lockout caps guessing.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .digest('hex');
}
