import type { MessageId } from '../i18n/locales';

export interface NavItem {
  /** Route path inside the console (the router's basename is /admin). */
  to: string;
  label: MessageId;
  /** Whether the entry is the current one; by default its path and everything under it. */
  matches?(pathname: string): boolean;
  /** Staff roles the page is for (on any brand); absent: every signed-in staff member. */
  roles?: readonly string[];
}

const plansPath = /^\/brands\/[^/]+\/plans(\/|$)/;

/** A section of a brand: `/brands/:brandId/<section>`. */
const brandSection = (section: string) => new RegExp(`^/brands/[^/]+/${section}(/|$)`);
const platformsPath = brandSection('platforms');
const accountsPath = brandSection('accounts');
const auditPath = brandSection('audit');
const apiKeysPath = brandSection('api-keys');
const riskPath = brandSection('risk');
const riskRulesPath = brandSection('risk-rules');
const hedgingPath = brandSection('hedging');
const inBrandSection = (p: string) =>
  [plansPath, platformsPath, accountsPath, auditPath, apiKeysPath, riskPath, riskRulesPath, hedgingPath].some((r) =>
    r.test(p),
  );

/** Everyone but MARKETING: the operational pages (platforms, accounts). */
const OPERATIONS = ['OWNER', 'ADMIN', 'RISK_MANAGER', 'COMPLIANCE', 'SUPPORT', 'READ_ONLY'];

/**
 * The entries a staff member's roles can use. Only a courtesy: the API refuses what a role may not
 * call whatever the console shows.
 */
export function navFor(grants: readonly { role: string }[], items: readonly NavItem[] = NAV_ITEMS): NavItem[] {
  const held = new Set(grants.map((g) => g.role));
  return items.filter((item) => !item.roles || item.roles.some((role) => held.has(role)));
}

/** `/name` itself or anything under it. */
const under = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

/**
 * The console's navigation, in order. Each feature adds its entry here and its routes in App.tsx.
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
    roles: OPERATIONS,
    matches: (p) => under(p, '/platforms') || platformsPath.test(p),
  },
  {
    to: '/accounts',
    label: 'nav.accounts',
    roles: OPERATIONS,
    matches: (p) => under(p, '/accounts') || accountsPath.test(p),
  },
  {
    to: '/risk',
    label: 'nav.risk',
    // The risk readers of the API's permission table; marketing sees nothing of risk.
    roles: OPERATIONS,
    matches: (p) => under(p, '/risk') || riskPath.test(p),
  },
  {
    to: '/risk-rules',
    label: 'nav.riskRules',
    roles: OPERATIONS,
    matches: (p) => under(p, '/risk-rules') || riskRulesPath.test(p),
  },
  {
    to: '/hedging',
    label: 'nav.hedging',
    roles: OPERATIONS,
    matches: (p) => under(p, '/hedging') || hedgingPath.test(p),
  },
  {
    to: '/audit',
    label: 'nav.audit',
    roles: ['OWNER', 'ADMIN', 'COMPLIANCE'],
    matches: (p) => under(p, '/audit') || auditPath.test(p),
  },
  {
    to: '/api-keys',
    label: 'nav.apiKeys',
    roles: ['OWNER', 'ADMIN'],
    matches: (p) => under(p, '/api-keys') || apiKeysPath.test(p),
  },
  { to: '/staff', label: 'nav.staff', roles: ['OWNER'] },
  { to: '/outbox', label: 'nav.outbox', roles: ['OWNER', 'ADMIN', 'SUPPORT'] },
  { to: '/security', label: 'nav.security' },
];
