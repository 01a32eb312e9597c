import { portalLink } from './links';
import { traderMessage } from './messages';

const sahara = { slug: 'sahara', hosts: ['sahara.localhost', 'portal.sahara.example'] };

describe('links in trader emails', () => {
  it('keeps the brand host the request came in on', () => {
    expect(
      portalLink(sahara, '/verify/abc', { requestOrigin: 'https://portal.sahara.example', production: true }),
    ).toBe('https://portal.sahara.example/verify/abc');
  });

  it('names the brand in the query when the portal is opened on a shared origin', () => {
    expect(portalLink(sahara, '/reset/abc', { requestOrigin: 'http://127.0.0.1:4100', production: false })).toBe(
      'http://127.0.0.1:4100/reset/abc?brand=sahara',
    );
    expect(
      portalLink(sahara, '/reset/abc', {
        publicUrl: 'https://app.brokerdeck.example',
        requestOrigin: 'http://127.0.0.1:4100',
        production: false,
      }),
    ).toBe('https://app.brokerdeck.example/reset/abc?brand=sahara');
  });

  it('never trusts a foreign request origin in production', () => {
    expect(portalLink(sahara, '/reset/abc', { requestOrigin: 'https://evil.example', production: true })).toBe(
      'https://sahara.localhost/reset/abc',
    );
    expect(() =>
      portalLink({ slug: 'x', hosts: [] }, '/reset/abc', { requestOrigin: 'https://evil.example', production: true }),
    ).toThrow(/PUBLIC_URL/);
  });
});

describe('trader emails', () => {
  it.each([
    ['en', 'Confirm your email for Sahara'],
    ['es', 'Confirma tu correo para Sahara'],
    ['ar', 'أكّد بريدك الإلكتروني لدى Sahara'],
  ])('are written in the trader language (%s), with the link', (locale, subject) => {
    const message = traderMessage('verify', locale, { brand: 'Sahara', name: 'Layla', link: 'http://x/verify/t' });
    expect(message).toMatchObject({ locale, template: 'trader.verify-email', subject });
    expect(message.body).toContain('http://x/verify/t');
    expect(message.body).toContain('Layla');
  });

  it('falls back to English for a language without a catalogue', () => {
    expect(traderMessage('reset', 'fr', { brand: 'B', name: 'N', link: 'L' }).locale).toBe('en');
  });
});
