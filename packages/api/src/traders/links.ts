/**
 * Where a link in a trader's email points: their brand's portal, so that it opens in the right
 * brand. A request that came in on one of the brand's own hosts keeps that host; otherwise the
 * configured PUBLIC_URL (or, outside production, the request's own origin) with `?brand=<slug>`.
 * In production a request origin that is not a brand host is never trusted (a forged Origin or
 * Host header must not steer a reset link to another site).
 */
export function portalLink(
  brand: { slug: string; hosts: readonly string[] },
  path: string,
  options: { publicUrl?: string | null; requestOrigin?: string | null; production: boolean },
): string {
  const origin = parseOrigin(options.requestOrigin);
  if (origin && brand.hosts.includes(origin.hostname.toLowerCase())) return `${origin.origin}${path}`;
  const configured = parseOrigin(options.publicUrl);
  const base =
    configured ??
    (options.production
      ? brand.hosts[0]
        ? new URL(`https://${brand.hosts[0]}`)
        : null
      : (origin ?? new URL('http://localhost:4000')));
  if (!base) throw new Error('PUBLIC_URL must be set in production for brands without a host');
  if (brand.hosts.includes(base.hostname.toLowerCase())) return `${base.origin}${path}`;
  return `${base.origin}${path}?brand=${encodeURIComponent(brand.slug)}`;
}

function parseOrigin(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
