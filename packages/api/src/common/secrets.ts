import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (platform manager passwords, TOTP secrets, trader credentials in the command
 * journal): AES-256-GCM under a key from the environment (`SECRETS_KEY`). The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url, so a key rotation can add `v2` beside it. GCM's tag
 * makes a tampered or wrongly keyed value fail loudly instead of decrypting to garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `secret`: 32 bytes as base64/hex, or any passphrase of ≥ 16 characters (hashed to 32 bytes). */
  constructor(secret: string) {
    if (secret.length < 16) throw new Error('SECRETS_KEY must be at least 16 characters');
    this.key = keyFrom(secret);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined)
      throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function keyFrom(secret: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(secret)) return Buffer.from(secret, 'hex');
  const raw = Buffer.from(secret, 'base64');
  if (raw.length === 32 && /^[A-Za-z0-9+/_-]{43}=?$/.test(secret)) return raw;
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The development key: fine for the demo's data, refused in production (config.ts). */
export const DEV_SECRETS_KEY = 'dev-secrets-key-not-for-production';
