import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiKeyResolver } from './apikeys/apikey.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { authorizeRootFields } from './auth/authorize';
import { BrandResolver } from './brands/brand.resolver';
import { PlanResolver, PlanVersionResolver } from './plans/plan.resolver';
import { PlatformResolver } from './platform/platform.resolver';
import { ChallengeResolver } from './challenge/challenge.resolver';
import { StaffActionResolver } from './challenge/staff-actions.resolver';
import { AccountInsightsResolver } from './challenge/account-insights.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { MessageResolver } from './messages/message.resolver';
import { StaffResolver } from './auth/staff.resolver';
import { TraderResolver } from './traders/trader.resolver';
import { RiskResolver } from './risk/risk.resolver';
import { AssignmentRuleResolver } from './risk/assignment-rules.resolver';
import { HedgingResolver } from './risk/hedging.resolver';
import type { EventPubSub } from './events/pubsub';

export const resolvers = [
  AuthResolver,
  BrandResolver,
  PlanResolver,
  PlanVersionResolver,
  PlatformResolver,
  ChallengeResolver,
  StaffActionResolver,
  AccountInsightsResolver,
  AuditResolver,
  MessageResolver,
  StaffResolver,
  ApiKeyResolver,
  TraderResolver,
  RiskResolver,
  AssignmentRuleResolver,
  HedgingResolver,
] as const;

export function buildApiSchema(pubSub: EventPubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    pubSub,
    // Inputs are validated in the services (common/validation.ts) so the seed and every other
    // caller get the same rules; validating here too would only repeat it.
    validate: false,
    globalMiddlewares: [authorizeRootFields],
  });
}
