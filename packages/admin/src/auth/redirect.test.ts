import { loginPath, safeNext } from './redirect';

describe('sign-in redirects', () => {
  it('remembers where the visitor was going', () => {
    expect(loginPath('/brands/42?x=1')).toBe('/login?next=%2Fbrands%2F42%3Fx%3D1');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/login?next=/brands')).toBe('/login');
  });

  it('only goes back to paths inside the app', () => {
    expect(safeNext('/brands/42?x=1')).toBe('/brands/42?x=1');
    expect(safeNext(null)).toBe('/brands');
    expect(safeNext('https://evil.example')).toBe('/brands');
    expect(safeNext('//evil.example')).toBe('/brands');
    expect(safeNext('/\\evil.example')).toBe('/brands');
    expect(safeNext('/login')).toBe('/brands');
  });
});
