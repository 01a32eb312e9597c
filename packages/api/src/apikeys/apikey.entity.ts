import { randomUUID } from 'node:crypto';
import { Entity, Filter, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ApiScope } from '../auth/viewer';
import { tenantFilter } from '../db/tenancy';

/** A partner's API key. The key itself is never stored: `keyHash` is its SHA-256, `prefix` finds it. */
@Entity({ tableName: 'api_key' })
@Filter(tenantFilter('brandId'))
export class ApiKeyRow {
  [OptionalProps]?: 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'createdById' | 'createdByLabel';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', unique: true })
  prefix!: string;

  @Property({ type: 'text', hidden: true })
  keyHash!: string;

  @Property({ type: 'text[]' })
  scopes!: ApiScope[];

  @Property({ type: 'integer' })
  ratePerMinute!: number;

  @Property({ type: 'text', nullable: true })
  createdById: string | null = null;

  @Property({ type: 'text', nullable: true })
  createdByLabel: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
