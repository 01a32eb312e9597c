import { Entity, Filter, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { tenantFilter } from '../db/tenancy';

/** A brand's connection to a trading platform; its events arrive through ingestion. */
@Entity({ tableName: 'platform_connection' })
@Filter(tenantFilter('brandId'))
export class PlatformConnectionRow {
  [OptionalProps]?: 'settings' | 'lastEventAt' | 'lastReceivedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text' })
  kind!: 'SIMULATOR' | 'MT5';

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  server!: string;

  @Property({ type: 'json' })
  settings: Record<string, unknown> = {};

  @Property({ type: 'timestamptz', nullable: true })
  lastEventAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastReceivedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A trading account on a platform, by its login; the journal's sequence lives here. */
@Entity({ tableName: 'platform_account' })
@Filter(tenantFilter('brandId'))
export class PlatformAccountRow {
  [OptionalProps]?: 'lastSeq' | 'lastEventAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  platformId!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text' })
  login!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'bigint' })
  lastSeq = '0';

  @Property({ type: 'timestamptz', nullable: true })
  lastEventAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
