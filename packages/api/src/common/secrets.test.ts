import { SecretBox } from './secrets';

describe('SecretBox', () => {
  const box = new SecretBox('a passphrase of sixteen+ characters');

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('Mgr#Secret-2025');
    expect(sealed).not.toContain('Mgr#Secret');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toBe('Mgr#Secret-2025');
  });

  it('seals the same secret differently each time (random IV)', () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses a value sealed under another key or tampered with', () => {
    const sealed = box.seal('totp-secret');
    expect(() => new SecretBox('another passphrase, also long').open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('forged').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  it('accepts a 32-byte hex key', () => {
    const hex = new SecretBox('ab'.repeat(32));
    expect(hex.open(hex.seal('ok'))).toBe('ok');
  });
});
