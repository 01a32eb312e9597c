import type { StaffRole } from './auth.entity';

/**
 * Who is asking. Every request and every unit of system work carries one; authorisation and the
 * data-layer tenant scope are both derived from it.
 */
export type Viewer = AnonymousViewer | StaffViewer | TraderViewer | ApiKeyViewer | SystemViewer;

export interface AnonymousViewer {
  kind: 'anonymous';
}

export interface StaffViewer {
  kind: 'staff';
  staffId: string;
  sessionId: string;
  email: string;
  name: string;
  /** brandId null: the role applies to every brand. */
  grants: { brandId: string | null; role: StaffRole }[];
  /**
   * An OWNER without two-factor: the session may only enroll TOTP (and read `me`, sign out) until
   * they do. Derived on every request, so enrolling unlocks the same session at once.
   */
  totpEnrollmentRequired?: boolean;
}

/** A trader signed in on their brand's portal: one brand, and only their own data within it. */
export interface TraderViewer {
  kind: 'trader';
  traderId: string;
  brandId: string;
  sessionId: string;
  email: string;
}

/** The partner API scopes; the permission table maps each operation to the scopes that may call it. */
export const API_SCOPES = ['accounts:read', 'exposure:read', 'plans:read', 'events:ingest', 'risk:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A partner's API key: one brand, the scopes it was created with. */
export interface ApiKeyViewer {
  kind: 'apiKey';
  keyId: string;
  brandId: string;
  name: string;
  scopes: ApiScope[];
}

/** Work without a person behind it (engine, scheduler, ingestion, seed); names its reason. */
export interface SystemViewer {
  kind: 'system';
  reason: string;
}

export const anonymous: AnonymousViewer = { kind: 'anonymous' };

export function systemViewer(reason: string): SystemViewer {
  return { kind: 'system', reason };
}

/** The brands a viewer may see: null means all of them. */
export function visibleBrandIds(viewer: Viewer): string[] | null {
  switch (viewer.kind) {
    case 'system':
      return null;
    case 'anonymous':
      return [];
    case 'trader':
    case 'apiKey':
      return [viewer.brandId];
    case 'staff':
      if (viewer.grants.some((g) => g.brandId === null)) return null;
      return [...new Set(viewer.grants.map((g) => g.brandId as string))];
  }
}
