import { formatMoney, lowestPrice, portalLink, visitorTimeZone } from './format';

describe('catalogue formatting', () => {
  it('shows money with its currency in the page language', () => {
    expect(formatMoney('10000.00', 'USD', 'en')).toBe('$10,000');
    expect(formatMoney('155.50', 'USD', 'en')).toBe('$155.50');
    expect(formatMoney('10000.00', 'EUR', 'es')).toMatch(/10\.000\s€/);
    expect(formatMoney('abc', 'USD', 'en')).toBe('abc USD');
  });

  it('finds the lowest price', () => {
    const sizes = [
      { price: '540.00', currency: 'USD' },
      { price: '155.00', currency: 'USD' },
    ];
    expect(lowestPrice(sizes)).toBe(sizes[1]);
    expect(lowestPrice([])).toBeNull();
  });

  it('keeps only the brand parameter on portal links', () => {
    expect(portalLink('/plans/p1', '?brand=atlas&x=1')).toEqual({ pathname: '/plans/p1', search: '?brand=atlas' });
    expect(portalLink('/', '')).toEqual({ pathname: '/', search: '' });
  });

  it('knows the visitor time zone', () => {
    expect(typeof (visitorTimeZone() ?? 'UTC')).toBe('string');
  });
});
