import { randomUUID } from 'node:crypto';
import { Collection, Entity, ManyToOne, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Back-office roles, granted per brand (a grant without a brand covers every brand). */
export const STAFF_ROLES = [
  'OWNER',
  'ADMIN',
  'RISK_MANAGER',
  'COMPLIANCE',
  'MARKETING',
  'SUPPORT',
  'READ_ONLY',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity({ tableName: 'staff_user' })
export class StaffUser {
  [OptionalProps]?:
    | 'id'
    | 'active'
    | 'createdAt'
    | 'passwordHash'
    | 'totpSecret'
    | 'totpPendingSecret'
    | 'totpEnabledAt'
    | 'totpLastStep'
    | 'deactivatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased; unique. */
  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Null while an invite is not yet accepted. */
  @Property({ type: 'text', hidden: true, nullable: true })
  passwordHash: string | null = null;

  @Property({ type: 'boolean' })
  active = true;

  @Property({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null = null;

  /** The TOTP secret, sealed with SecretBox; null when two-factor is off. */
  @Property({ type: 'text', hidden: true, nullable: true })
  totpSecret: string | null = null;

  /** A secret handed out by beginTotpEnrollment, sealed, until a code from it confirms the enrollment. */
  @Property({ type: 'text', hidden: true, nullable: true })
  totpPendingSecret: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null = null;

  /** The last accepted TOTP time step: a code of this step or an earlier one is a replay. */
  @Property({ type: 'bigint', nullable: true, hidden: true })
  totpLastStep: string | null = null;

  @OneToMany(
    () => StaffGrant,
    (grant) => grant.staff,
  )
  grants = new Collection<StaffGrant>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'staff_grant' })
export class StaffGrant {
  [OptionalProps]?: 'id' | 'brandId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => StaffUser, { deleteRule: 'cascade' })
  staff!: StaffUser;

  /** Null: the grant covers every brand (owners). */
  @Property({ type: 'uuid', nullable: true })
  brandId: string | null = null;

  @Property({ type: 'text' })
  role!: StaffRole;
}

/** A signed-in session. Only the SHA-256 of the token is stored, so a database leak yields no sessions. */
@Entity({ tableName: 'staff_session' })
export class StaffSession {
  [OptionalProps]?: 'id' | 'createdAt' | 'revokedAt' | 'userAgent' | 'ip';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @ManyToOne(() => StaffUser, { deleteRule: 'cascade' })
  staff!: StaffUser;

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
