import type { MessageId } from '../i18n/locales';

export interface NavItem {
  /** Route path inside the console (the router's basename is /admin). */
  to: string;
  label: MessageId;
}

/**
 * The console's navigation, in order. Each feature adds its entry here and its routes in App.tsx:
 * next come Plans, Accounts, Risk and Audit.
 */
export const NAV_ITEMS: readonly NavItem[] = [{ to: '/brands', label: 'nav.brands' }];
