import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveApiKey } from './apikeys/apikey.service';
import { looksLikeApiKey } from './apikeys/key-material';
import { AuthService } from './auth/auth.service';
import { StaffService } from './auth/staff.service';
import { type Viewer, visibleBrandIds } from './auth/viewer';
import { BrandService } from './brands/brand.service';
import { PlanService } from './plans/plan.service';
import { ChallengeService } from './challenge/challenge.service';
import { CorrectionReviewService } from './challenge/correction-review';
import { StaffActionService } from './challenge/staff-actions';
import type { RunningRisk } from './risk/risk-app';
import { RiskService } from './risk/risk.service';
import { AssignmentRuleService } from './risk/assignment-rules.service';
import { HedgingService } from './risk/hedging.service';
import { isTraderToken, TraderService, traderViewerForToken } from './traders/trader.service';
import type { PublicCatalogue } from './plans/plan.types';
import type { Config } from './config';
import { applyTenantScope, systemScope } from './db/tenancy';
import type { EventPubSub } from './events/pubsub';
import type { Logger } from './logger';

/** What lives for the whole process and is shared by every request. */
import type { IngestionService, IngestionStats } from './ingestion/ingestion.service';
import { PlatformConnectionService } from './platform/platform-connection.service';
import type { PlatformRegistry } from './platform/registry';
import type { Mt5Connections } from './platform/mt5-connections';
import { Mt5ConnectionService } from './platform/mt5-connection.service';
import type { SecretBox } from './common/secrets';

export interface AppServices {
  orm: MikroORM;
  ingestion: IngestionService;
  ingestionStats: IngestionStats;
  platformRegistry: PlatformRegistry;
  mt5Connections: Mt5Connections;
  secrets: SecretBox;
  risk: RunningRisk;
  config: Config;
  pubsub: EventPubSub;
  log: Logger;
}

/** Per request (or per WebSocket operation): its own EntityManager scoped to the viewer's brands. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  em: EntityManager;
  log: Logger;
  pubsub: EventPubSub;
  brands: BrandService;
  plans: PlanService;
  platforms: PlatformConnectionService;
  mt5Platforms: Mt5ConnectionService;
  challenges: ChallengeService;
  /** Staff actions on challenge accounts: extend, reinstate, pass, fail, close, reset. */
  staffActions: StaffActionService;
  /** Staff decisions on deal corrections that took away the pass of an account that had advanced. */
  correctionReviews: CorrectionReviewService;
  ingestion: IngestionService;
  auth: AuthService;
  /** The staff lifecycle: invites, grants, deactivation, password resets. */
  staff: StaffService;
  traders: TraderService;
  /** Risk groups, exposure and margin changes (issue 8). */
  risk: RiskService;
  /** Behaviour-based assignment rules (issue 8). */
  riskRules: AssignmentRuleService;
  /** A-book hedges (issue 8). */
  hedging: HedgingService;
  /** Development aids (the outbox view) are on: never in production. */
  devTools: boolean;
  /** The public catalogue of an active brand, read in a system scope limited to that brand. */
  publicPlans(brandSlug: string, locale: string, timeZone: string | null): Promise<PublicCatalogue>;
  /** Set a cookie on the HTTP response; absent on WebSocket operations. */
  setCookie?: (name: string, value: string, options: { maxAgeSeconds: number }) => void;
  clearCookie?: (name: string) => void;
  /** `origin`: where the request came from (links in trader emails; trusted only as ./traders/links.ts says). */
  meta: { ip?: string; userAgent?: string; origin?: string };
}

export function buildContext(
  app: AppServices,
  viewer: Viewer,
  requestId: string,
  extras: Pick<RequestContext, 'setCookie' | 'clearCookie' | 'meta'>,
): RequestContext {
  const em = applyTenantScope(app.orm.em.fork({ clear: true }), {
    brandIds: visibleBrandIds(viewer),
    reason: `request ${requestId}`,
  });
  const actor = { viewer, requestId, ip: extras.meta.ip };
  const staffActions = new StaffActionService(em, app.pubsub, app.platformRegistry, actor);
  return {
    requestId,
    viewer,
    em,
    log: app.log.child({ requestId }),
    pubsub: app.pubsub,
    brands: new BrandService(em, app.pubsub, app.config.uploadsDir, { viewer, requestId, ip: extras.meta.ip }),
    plans: new PlanService(em, app.pubsub, { viewer, requestId, ip: extras.meta.ip }),
    platforms: new PlatformConnectionService(em, app.platformRegistry, app.ingestionStats, app.mt5Connections),
    mt5Platforms: new Mt5ConnectionService(em, app.mt5Connections, app.secrets, {
      viewer,
      requestId,
      ip: extras.meta.ip,
    }),
    ingestion: app.ingestion,
    challenges: new ChallengeService(em, app.platformRegistry, { viewer, requestId, ip: extras.meta.ip }),
    staffActions,
    correctionReviews: new CorrectionReviewService(em, app.platformRegistry, staffActions, actor),
    publicPlans: async (brandSlug, locale, timeZone) => {
      const brandId = await new BrandService(em, app.pubsub, app.config.uploadsDir).activeBrandId(brandSlug);
      const brandEm = systemScope(app.orm.em, `public catalogue of ${brandSlug}`, [brandId]);
      return new PlanService(brandEm, app.pubsub).publicCatalogue(brandId, brandSlug, locale, timeZone);
    },
    auth: new AuthService(em, app.config.SESSION_TTL_HOURS, {
      secretsKey: app.config.SECRETS_KEY,
      viewer,
      requestId,
      ip: extras.meta.ip,
    }),
    staff: new StaffService(em, {
      viewer,
      requestId,
      ip: extras.meta.ip,
      // A link must not follow a request's Host header in production (reset-link poisoning).
      publicUrl: app.config.PUBLIC_URL ?? (app.config.NODE_ENV === 'production' ? undefined : extras.meta.origin),
    }),
    traders: new TraderService(
      app.orm.em,
      em,
      { publicUrl: app.config.PUBLIC_URL, production: app.config.NODE_ENV === 'production' },
      { viewer, requestId, ...extras.meta },
    ),
    risk: new RiskService(em, app.risk.runtime, app.risk.worker, { viewer, requestId, ip: extras.meta.ip }),
    riskRules: new AssignmentRuleService(em, app.risk.runtime, app.risk.worker, app.platformRegistry, {
      viewer,
      requestId,
      ip: extras.meta.ip,
    }),
    hedging: new HedgingService(em, app.risk.runtime),
    devTools: app.config.NODE_ENV !== 'production',
    ...extras,
  };
}

/** Resolves a session token to a viewer, outside any tenant scope (sessions are not brand-owned). */
export async function viewerFromToken(app: AppServices, token: string | undefined): Promise<Viewer> {
  if (!token) return { kind: 'anonymous' };
  // Trader tokens carry their own prefix: a portal session never resolves as staff, nor the reverse.
  if (isTraderToken(token)) return (await traderViewerForToken(app.orm.em, token)) ?? { kind: 'anonymous' };
  // Partner API keys (`bdk_…`): an unknown or revoked key is UNAUTHENTICATED, not anonymous.
  if (looksLikeApiKey(token)) {
    return resolveApiKey(app.orm.em, token, (err) => app.log.error({ err }, 'recording an API key use failed'));
  }
  const auth = new AuthService(app.orm.em.fork({ clear: true }), app.config.SESSION_TTL_HOURS);
  return (await auth.viewerForToken(token)) ?? { kind: 'anonymous' };
}
