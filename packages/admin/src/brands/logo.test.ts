import { bytesToBase64, checkLogo, fileToBase64, MAX_LOGO_BYTES } from './logo';

describe('logo files', () => {
  it('accepts the image types and sizes the API accepts', () => {
    expect(checkLogo({ type: 'image/png', size: 1000 })).toBeNull();
    expect(checkLogo({ type: 'image/svg+xml', size: MAX_LOGO_BYTES })).toBeNull();
    expect(checkLogo({ type: 'image/gif', size: 1000 })).toBe('wrongType');
    expect(checkLogo({ type: 'image/png', size: MAX_LOGO_BYTES + 1 })).toBe('tooBig');
    expect(checkLogo({ type: 'image/png', size: 0 })).toBe('tooBig');
  });

  it('encodes bytes as base64, also past one chunk', () => {
    expect(bytesToBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe('iVBORw==');
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(Buffer.from(bytesToBase64(big), 'base64').equals(Buffer.from(big))).toBe(true);
  });

  it('reads a file', async () => {
    expect(await fileToBase64(new Blob(['<svg/>'], { type: 'image/svg+xml' }))).toBe(
      Buffer.from('<svg/>').toString('base64'),
    );
  });
});
