import { Entity, Filter, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { AssetClass } from '../platform/platform';
import { tenantFilter } from '../db/tenancy';
import type { BookPolicy, HedgingPolicy, RiskGroup } from './risk-group';

/** A brand's risk group (rules.md, "CFD risk"); validated by `parseRiskGroup` before it is stored. */
@Entity({ tableName: 'risk_group' })
@Filter(tenantFilter('brandId'))
export class RiskGroupRow {
  [OptionalProps]?: 'isDefault' | 'version' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'json' })
  leverage!: Record<AssetClass, number>;

  @Property({ type: 'json' })
  symbolLeverage!: Record<string, number>;

  @Property({ type: 'text', columnType: 'numeric' })
  marginCallLevel!: string;

  @Property({ type: 'text', columnType: 'numeric' })
  stopOutLevel!: string;

  @Property({ type: 'text' })
  hedging!: HedgingPolicy;

  @Property({ type: 'text' })
  book!: BookPolicy;

  @Property({ type: 'boolean' })
  negativeBalanceProtection!: boolean;

  /** The platform group accounts of this risk group are moved to (MT5 group path). */
  @Property({ type: 'text' })
  platformGroup!: string;

  @Property({ type: 'boolean' })
  isDefault = false;

  @Property({ type: 'integer' })
  version = 1;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** The pure module's view of a row. Levels come back from numeric as e.g. "100" or "50.5". */
export function toRiskGroup(row: RiskGroupRow): RiskGroup {
  return {
    id: row.id,
    brand: row.brandId,
    name: row.name,
    leverage: { ...row.leverage },
    symbolLeverage: { ...row.symbolLeverage },
    marginCallLevel: String(row.marginCallLevel),
    stopOutLevel: String(row.stopOutLevel),
    hedging: row.hedging,
    book: row.book,
    negativeBalanceProtection: row.negativeBalanceProtection,
  };
}
