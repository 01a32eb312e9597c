/** `/login?next=…` for a page inside the app. */
export function loginPath(from: string): string {
  return from && from !== '/' && !from.startsWith('/login') ? `/login?next=${encodeURIComponent(from)}` : '/login';
}

/** Where to go after signing in: only a path inside this app (no `//host` or absolute URL: no open redirect). */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return '/brands';
  }
  return next;
}
