import { insertAssignmentRule } from './assignment-rules.service';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand } from '../brands/brand.entity';
import { parseAssignmentRule } from './assignment-rule';
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

/**
 * Each brand's starting behaviour rules (run by the scheduler every minute, on the platform's clock).
 * Calibrated on the simulator's traders (see `demo-rules.integration.test.ts`): the consistent small
 * winner closes about two trend-following trades a weekday with small wins and smaller losses, so it
 * reaches a profit factor of 2 over 8 closed trades within about four simulated days (about four
 * minutes of the demo at DEMO_SPEED 1440). Win rate alone does not tell it from the gambler, who
 * takes profit early and adds to losers (70–80 % of its closed trades win until it blows up), so a
 * higher-priority rule keeps position holders (average holding time of six hours or more: the
 * gambler sits on losing positions) in the retail B-book; an account a rule matches first stays put.
 * The scalper's profit factor stays under 1.
 */
export const DEMO_ASSIGNMENT_RULES = [
  {
    name: 'Position holders stay on the B-book',
    metric: 'AVG_HOLDING_SECONDS',
    windowDays: 30,
    comparison: 'GTE',
    threshold: '21600',
    minTrades: 3,
    target: 'Retail (ESMA)',
    targetBook: 'B',
    priority: 10,
  },
  {
    name: 'Consistent winners to the A-book',
    metric: 'PROFIT_FACTOR',
    windowDays: 30,
    comparison: 'GTE',
    threshold: '2',
    minTrades: 8,
    target: 'Professional',
    targetBook: 'A',
    priority: 20,
  },
] as const;

/** Seeds the risk groups (and behaviour rules) of every brand that has none (the demo, on an empty database). */
export async function seedRiskGroups(em: EntityManager): Promise<void> {
  for (const brand of await em.find(Brand, {})) {
    if ((await em.count(RiskGroupRow, { brandId: brand.id })) > 0) continue;
    const groupIds = new Map<string, string>();
    for (const seed of DEMO_RISK_GROUPS) {
      const id = randomUUID();
      groupIds.set(seed.name, id);
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
    await em.flush();
    for (const seed of DEMO_ASSIGNMENT_RULES) {
      const { target, ...fields } = seed;
      const rule = parseAssignmentRule({
        ...fields,
        id: randomUUID(),
        brand: brand.id,
        targetRiskGroupId: groupIds.get(target)!,
      });
      await insertAssignmentRule(em, rule);
    }
  }
  await em.flush();
}
