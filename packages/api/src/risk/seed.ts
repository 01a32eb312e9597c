import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { parseRiskGroup } from './risk-group';
import { RiskGroupRow } from './risk-group.entity';

/** Each brand's starting groups: ESMA retail (the default, B-book) and professional clients (A-book). */
export const DEMO_RISK_GROUPS = [
  { name: 'Retail (ESMA)', isDefault: true, platformGroup: 'brokerdeck\\retail', input: {} },
  {
    name: 'Professional',
    isDefault: false,
    platformGroup: 'brokerdeck\\pro',
    input: {
      leverage: { FX_MAJOR: 200, FX_MINOR: 100, METAL: 100, INDEX: 100, COMMODITY: 50, EQUITY: 20, CRYPTO: 10 },
      symbolLeverage: {},
      marginCallLevel: '80',
      stopOutLevel: '30',
      book: 'A',
      negativeBalanceProtection: false,
    },
  },
] as const;

/** Seeds the risk groups of every brand that has none (the demo, on an empty database). */
export async function seedRiskGroups(em: EntityManager): Promise<void> {
  for (const brand of await em.find(Brand, {})) {
    if ((await em.count(RiskGroupRow, { brandId: brand.id })) > 0) continue;
    for (const seed of DEMO_RISK_GROUPS) {
      const id = randomUUID();
      const group = parseRiskGroup({ id, brand: brand.id, name: seed.name, ...seed.input });
      em.create(RiskGroupRow, {
        id,
        brandId: brand.id,
        name: group.name,
        leverage: group.leverage,
        symbolLeverage: group.symbolLeverage,
        marginCallLevel: group.marginCallLevel,
        stopOutLevel: group.stopOutLevel,
        hedging: group.hedging,
        book: group.book,
        negativeBalanceProtection: group.negativeBalanceProtection,
        platformGroup: seed.platformGroup,
        isDefault: seed.isDefault,
      });
    }
  }
  await em.flush();
}
