import type { MessageId } from '../i18n/locales';

export interface NavItem {
  /** Route path inside the console (the router's basename is /admin). */
  to: string;
  label: MessageId;
  /** Whether the entry is the current one; by default its path and everything under it. */
  matches?(pathname: string): boolean;
}

const plansPath = /^\/brands\/[^/]+\/plans(\/|$)/;

/** A section of a brand: `/brands/:brandId/<section>`. */
const brandSection = (section: string) => new RegExp(`^/brands/[^/]+/${section}(/|$)`);
const platformsPath = brandSection('platforms');
const accountsPath = brandSection('accounts');
const auditPath = brandSection('audit');
const inBrandSection = (p: string) => [plansPath, platformsPath, accountsPath, auditPath].some((r) => r.test(p));

/** `/name` itself or anything under it. */
const under = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

/**
 * The console's navigation, in order. Each feature adds its entry here and its routes in App.tsx:
 * next comes Risk.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  {
    to: '/brands',
    label: 'nav.brands',
    matches: (p) => under(p, '/brands') && !inBrandSection(p),
  },
  {
    to: '/plans',
    label: 'nav.plans',
    matches: (p) => under(p, '/plans') || plansPath.test(p),
  },
  {
    to: '/platforms',
    label: 'nav.platforms',
    matches: (p) => under(p, '/platforms') || platformsPath.test(p),
  },
  {
    to: '/accounts',
    label: 'nav.accounts',
    matches: (p) => under(p, '/accounts') || accountsPath.test(p),
  },
  {
    to: '/audit',
    label: 'nav.audit',
    matches: (p) => under(p, '/audit') || auditPath.test(p),
  },
];
