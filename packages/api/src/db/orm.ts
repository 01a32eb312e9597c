import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ApiKeyRow } from '../apikeys/apikey.entity';
import { StaffGrant, StaffSession, StaffUser } from '../auth/auth.entity';
import { Brand, BrandHost } from '../brands/brand.entity';
import { Plan, PlanCatalogue, PlanVersion } from '../plans/plan.entity';
import { PlatformAccountRow, PlatformConnectionRow } from '../platform/platform.entity';
import { RiskGroupRow } from '../risk/risk-group.entity';
import { Trader, TraderSession, TraderToken } from '../traders/trader.entity';
import { migrationsList } from './migrations';

export const entities = [
  Brand,
  BrandHost,
  StaffUser,
  StaffGrant,
  StaffSession,
  Plan,
  PlanVersion,
  PlanCatalogue,
  PlatformConnectionRow,
  PlatformAccountRow,
  Trader,
  TraderSession,
  TraderToken,
  ApiKeyRow,
  RiskGroupRow,
];

export function ormOptions(clientUrl: string): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, snapshot: false, silent: true, transactional: true, allOrNothing: true },
    pool: { min: 0, max: 10 },
    // Entities are discovered from decorator metadata, which both tsc and swc emit.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    allowGlobalContext: false,
    metadataCache: { enabled: false },
  };
}

export async function openDatabase(clientUrl: string): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl));
}

/** Applies pending committed migrations; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
