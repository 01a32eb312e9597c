import { randomUUID } from 'node:crypto';
import { Entity, Filter, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { tenantFilter } from '../db/tenancy';

/**
 * A trader of one brand: the same email on two brands is two traders. Staff-issued and demo
 * traders exist without a password until they claim the account (sign-up or password reset).
 */
@Entity({ tableName: 'trader' })
@Filter(tenantFilter('brandId'))
export class Trader {
  [OptionalProps]?:
    | 'id'
    | 'timeZone'
    | 'locale'
    | 'passwordHash'
    | 'emailVerifiedAt'
    | 'failedSignIns'
    | 'failedSince'
    | 'lockedUntil'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  brandId!: string;

  /** Stored lower-cased; unique per brand. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Null: the brand's time zone. */
  @Property({ type: 'text', nullable: true })
  timeZone: string | null = null;

  /** Null: the brand's default language. */
  @Property({ type: 'text', nullable: true })
  locale: string | null = null;

  @Property({ type: 'text', nullable: true, hidden: true })
  passwordHash: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null = null;

  /** Failed sign-ins since `failedSince` (a 15-minute window); five lock the trader out. */
  @Property({ type: 'integer' })
  failedSignIns = 0;

  @Property({ type: 'timestamptz', nullable: true })
  failedSince: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** A trader's signed-in session on the portal; only the SHA-256 of the token is stored. */
@Entity({ tableName: 'trader_session' })
@Filter(tenantFilter('brandId'))
export class TraderSession {
  [OptionalProps]?: 'id' | 'createdAt' | 'revokedAt' | 'userAgent' | 'ip';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  traderId!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'text', nullable: true })
  ip: string | null = null;
}

export type TraderTokenPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD';

/** A one-time link token (email verification, password reset): hashed, expiring, single use. */
@Entity({ tableName: 'trader_token' })
@Filter(tenantFilter('brandId'))
export class TraderToken {
  [OptionalProps]?: 'id' | 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  traderId!: string;

  @Property({ type: 'uuid' })
  brandId!: string;

  @Property({ type: 'text' })
  purpose!: TraderTokenPurpose;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
