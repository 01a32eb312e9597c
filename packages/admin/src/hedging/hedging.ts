import type { HedgesQuery } from '../gql/graphql';

export type Hedge = HedgesQuery['hedges'][number];

/** Positive slippage costs the firm (it bought dearer or sold cheaper than the client). */
export type SlippageTone = 'cost' | 'gain' | 'flat' | 'none';

export function slippageTone(slippage: string | null | undefined): SlippageTone {
  if (slippage == null) return 'none';
  const v = Number(slippage);
  return v > 0 ? 'cost' : v < 0 ? 'gain' : 'flat';
}

export interface SlippageTotal {
  currency: string;
  /** Σ slippage value, exact to the cent. */
  total: string;
  fills: number;
  rejected: number;
}

/** Totals per currency of the listed hedges (rejected orders counted apart, no value). */
export function slippageTotals(hedges: readonly Hedge[]): SlippageTotal[] {
  const by = new Map<string, { cents: bigint; fills: number; rejected: number }>();
  for (const h of hedges) {
    const currency = h.currency ?? '—';
    const row = by.get(currency) ?? { cents: 0n, fills: 0, rejected: 0 };
    if (h.status === 'REJECTED') row.rejected += 1;
    else {
      row.fills += 1;
      if (h.slippageValue != null) row.cents += toCents(h.slippageValue);
    }
    by.set(currency, row);
  }
  return [...by]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, r]) => ({ currency, total: fromCents(r.cents), fills: r.fills, rejected: r.rejected }));
}

function toCents(value: string): bigint {
  const negative = value.trim().startsWith('-');
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  const cents = BigInt(whole || '0') * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -cents : cents;
}

function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}
