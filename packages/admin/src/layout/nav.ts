import type { MessageId } from '../i18n/locales';

export interface NavItem {
  /** Route path inside the console (the router's basename is /admin). */
  to: string;
  label: MessageId;
  /** Whether the entry is the current one; by default its path and everything under it. */
  matches?(pathname: string): boolean;
}

const plansPath = /^\/brands\/[^/]+\/plans(\/|$)/;

/**
 * The console's navigation, in order. Each feature adds its entry here and its routes in App.tsx:
 * next come Accounts, Risk and Audit.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  {
    to: '/brands',
    label: 'nav.brands',
    matches: (p) => (p === '/brands' || p.startsWith('/brands/')) && !plansPath.test(p),
  },
  {
    to: '/plans',
    label: 'nav.plans',
    matches: (p) => p === '/plans' || p.startsWith('/plans/') || plansPath.test(p),
  },
];
