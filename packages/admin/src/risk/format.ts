import type { AssetClass, MarginStatus } from '../gql/graphql';

/** The asset classes risk groups set leverage for, in the order the pages list them. */
export const ASSET_CLASSES: readonly AssetClass[] = [
  'FX_MAJOR',
  'FX_MINOR',
  'METAL',
  'INDEX',
  'COMMODITY',
  'EQUITY',
  'CRYPTO',
];

/** Highest leverage the API accepts (1:10,000). */
export const MAX_LEVERAGE = 10_000;

/** Risk roles: who changes risk settings, and who may look at them (the API's permission table says the same). */
const RISK_WRITERS = new Set(['OWNER', 'ADMIN', 'RISK_MANAGER']);
export const RISK_READERS = ['OWNER', 'ADMIN', 'RISK_MANAGER', 'READ_ONLY', 'COMPLIANCE', 'SUPPORT'] as const;
type Grant = { brandId?: string | null; role: string };

/** Whether a staff member may change a brand's risk groups and margin requirements. */
export const canWriteRisk = (grants: readonly Grant[], brandId: string) =>
  grants.some((g) => (g.brandId == null || g.brandId === brandId) && RISK_WRITERS.has(g.role));

/** 30 → "1:30" (digits in the UI language). */
export function formatLeverage(leverage: number | null | undefined, locale: string): string {
  if (leverage === null || leverage === undefined) return '—';
  return `1:${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(leverage)}`;
}

/** A decimal string from the API ("-1.5", "250000") in the UI language; "—" when absent. */
export function formatDecimal(value: string | null | undefined, locale: string, maximumFractionDigits = 2): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  return new Intl.NumberFormat(locale, { maximumFractionDigits, signDisplay: 'negative' }).format(number);
}

/** A margin level in % ("235.41") → "235.4 %"; without margin used there is no level: "—". */
export function formatLevel(level: string | null | undefined, locale: string): string {
  if (level === null || level === undefined || level === '') return '—';
  const number = Number(level);
  if (!Number.isFinite(number)) return level;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(number / 100);
}

/** How bad a margin status is: no margin and OK are fine, a margin call worse, a stop-out worst. */
const SEVERITY: Record<MarginStatus, number> = { NO_MARGIN: 0, OK: 0, MARGIN_CALL: 1, STOP_OUT: 2 };

export const statusSeverity = (status: MarginStatus) => SEVERITY[status];

/** Whether an account moves into a worse margin state (a new margin call or stop-out). */
export const worsens = (before: MarginStatus, after: MarginStatus) => SEVERITY[after] > SEVERITY[before];

export const STATUS_COLOR: Record<MarginStatus, string> = {
  NO_MARGIN: 'gray',
  OK: 'teal',
  MARGIN_CALL: 'orange',
  STOP_OUT: 'red',
};

/** Signed amounts: losses in red, gains in green, zero neutral (with text, never colour alone). */
export function signColor(value: string | null | undefined): string | undefined {
  const number = Number(value);
  if (!value || !Number.isFinite(number) || number === 0) return undefined;
  return number < 0 ? 'red.9' : 'teal.9';
}
