import { randomUUID } from 'node:crypto';
import { Entity, Filter, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { tenantFilter } from '../db/tenancy';
import type { PlanContent } from './plan.model';

export type PlanVersionStatus = 'DRAFT' | 'PUBLISHED' | 'RETIRED';

/** A plan's identity and its place in the brand's catalogue; what it sells lives in its versions. */
@Entity({ tableName: 'plan' })
@Filter(tenantFilter('brandId'))
export class Plan {
  [OptionalProps]?: 'id' | 'archived' | 'phaseOrderRevision' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'boolean' })
  archived = false;

  /** Counts phase reorders, so that a reorder made on a stale view is refused. */
  @Property({ type: 'integer' })
  phaseOrderRevision = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * One version of a plan. Published versions never change: an account keeps the version it was sold.
 * At most one draft and one published version per plan (partial unique indexes).
 */
@Entity({ tableName: 'plan_version' })
@Filter(tenantFilter('brandId'))
export class PlanVersion {
  [OptionalProps]?: 'id' | 'createdAt' | 'publishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'integer' })
  number!: number;

  @Property({ type: 'text' })
  status!: PlanVersionStatus;

  @Property({ type: 'json' })
  content!: PlanContent;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;
}

/** The order revision of a brand's plan catalogue (a counter of its own, not a plan version). */
@Entity({ tableName: 'plan_catalogue' })
@Filter(tenantFilter('brandId'))
export class PlanCatalogue {
  @PrimaryKey({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'integer' })
  revision = 0;
}
