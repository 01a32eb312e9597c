/**
 * The MT5 Web API handshake (mt5-webapi.md §1.3–1.5), byte for byte:
 *
 *   hash            = MD5( MD5(UTF-16LE(password)) ‖ "WebAPI" )          (raw bytes, never hex text)
 *   srv_rand_answer = hex( MD5( hash ‖ bytes(srv_rand) ) )
 *   cli_rand_answer = hex( MD5( hash ‖ bytes(cli_rand) ) )               (the server's proof)
 *
 * The client keeps only `hash`, never the password: see client.ts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SALT = Buffer.from('WebAPI', 'ascii');
const RAND_HEX = /^[0-9a-fA-F]{32}$/;

const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();

/** Step 1: MD5 over the password's UTF-16LE bytes (no byte-order mark, no terminator). */
export function passwordMd5(password: string): Buffer {
  return md5(Buffer.from(password, 'utf16le'));
}

/** Steps 1–3: the 16-byte password hash both sides derive their answers from. */
export function passwordHash(password: string): Buffer {
  return md5(passwordMd5(password), SALT);
}

/** A 16-byte random as the protocol sends it: 32 hex digits (either case is accepted). */
export function isRandHex(value: unknown): value is string {
  return typeof value === 'string' && RAND_HEX.test(value);
}

/** Steps 4–5: lower-case hex MD5 of the hash followed by the raw bytes of a 32-hex-digit random. */
export function randAnswer(hash: Buffer, randHex: string): string {
  if (!isRandHex(randHex)) throw new Error('a random must be 32 hex digits');
  return md5(hash, Buffer.from(randHex, 'hex')).toString('hex');
}

/** A fresh `cli_rand`: 16 random bytes in lower-case hex. */
export function newRand(): string {
  return randomBytes(16).toString('hex');
}

/** Compares two answers in constant time, ignoring hex case. */
export function sameAnswer(expected: string, received: unknown): boolean {
  if (!isRandHex(received) || !isRandHex(expected)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(received, 'hex'));
}
