import { NAV_ITEMS } from './nav';

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
  ])('%s is under %s only', (pathname, entry) => {
    expect(current(pathname)).toEqual([entry]);
  });
});
