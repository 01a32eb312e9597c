import type { StaffRole } from './auth.entity';

/**
 * Who is asking. Every request and every unit of system work carries one; authorisation and the
 * data-layer tenant scope are both derived from it. Traders and API keys join with the access issue.
 */
export type Viewer = AnonymousViewer | StaffViewer | SystemViewer;

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
    case 'staff':
      if (viewer.grants.some((g) => g.brandId === null)) return null;
      return [...new Set(viewer.grants.map((g) => g.brandId as string))];
  }
}
