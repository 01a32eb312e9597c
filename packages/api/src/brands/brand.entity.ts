import { randomUUID } from 'node:crypto';
import { Collection, Entity, Filter, ManyToOne, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { tenantFilter } from '../db/tenancy';

export type BrandStatus = 'ACTIVE' | 'ARCHIVED';

export interface BrandPalette {
  /** Main brand colour (buttons, header), `#rrggbb`. */
  primary: string;
  /** Secondary highlight colour, `#rrggbb`. */
  accent: string;
}

@Entity({ tableName: 'brand' })
@Filter(tenantFilter('id'))
export class Brand {
  [OptionalProps]?: 'id' | 'logoUrl' | 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', unique: true })
  slug!: string;

  @Property({ type: 'text', nullable: true })
  logoUrl: string | null = null;

  @Property({ type: 'json' })
  colors!: BrandPalette;

  @Property({ type: 'text[]' })
  locales!: string[];

  @Property({ type: 'text' })
  defaultLocale!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  timeZone!: string;

  @Property({ type: 'text' })
  status: BrandStatus = 'ACTIVE';

  /** Host names live in their own table so that the database keeps them unique across brands. */
  @OneToMany(
    () => BrandHost,
    (host) => host.brand,
    { orphanRemoval: true, orderBy: { host: 'asc' } },
  )
  hosts = new Collection<BrandHost>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'brand_host' })
export class BrandHost {
  @PrimaryKey({ type: 'text' })
  host!: string;

  @ManyToOne(() => Brand, { deleteRule: 'cascade' })
  brand!: Brand;
}
