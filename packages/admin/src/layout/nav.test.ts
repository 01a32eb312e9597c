import { NAV_ITEMS, navFor } from './nav';

const current = (pathname: string) =>
  NAV_ITEMS.filter((item) => (item.matches ? item.matches(pathname) : pathname === item.to)).map((i) => i.to);

describe('the navigation', () => {
  it.each([
    ['/brands', '/brands'],
    ['/brands/b1', '/brands'],
    ['/brands/b1/plans', '/plans'],
    ['/plans/p1', '/plans'],
    ['/brands/b1/platforms', '/platforms'],
    ['/platforms/p1', '/platforms'],
    ['/brands/b1/accounts', '/accounts'],
    ['/accounts/a1', '/accounts'],
    ['/brands/b1/audit', '/audit'],
    ['/audit', '/audit'],
    ['/brands/b1/risk', '/risk'],
    ['/risk', '/risk'],
    ['/brands/b1/risk-rules', '/risk-rules'],
    ['/brands/b1/hedging', '/hedging'],
  ])('%s is under %s only', (pathname, entry) => {
    expect(current(pathname)).toEqual([entry]);
  });

  it('shows each member only the pages their roles can use', () => {
    const paths = (roles: string[]) => navFor(roles.map((role) => ({ brandId: 'b1', role }))).map((i) => i.to);
    expect(paths(['MARKETING'])).toEqual(['/brands', '/plans', '/security']);
    expect(paths(['MARKETING', 'COMPLIANCE'])).toEqual([
      '/brands',
      '/plans',
      '/platforms',
      '/accounts',
      '/risk',
      '/risk-rules',
      '/hedging',
      '/audit',
      '/security',
    ]);
    expect(paths(['OWNER'])).toEqual(NAV_ITEMS.map((i) => i.to));
  });
});
