import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { AuditService } from './audit.service';
import { AuditEntry, AuditFilter, StaffAuditFilter } from './audit.types';

@Resolver()
export class AuditResolver {
  @Query(() => [AuditEntry], { description: "A brand's audit trail, newest first" })
  auditTrail(@Arg('filter') filter: AuditFilter, @Ctx() { em }: RequestContext): Promise<AuditEntry[]> {
    return new AuditService(em).entries(filter);
  }

  @Query(() => String, { description: 'The same entries as CSV, for export' })
  auditTrailCsv(@Arg('filter') filter: AuditFilter, @Ctx() { em }: RequestContext): Promise<string> {
    return new AuditService(em).csv(filter);
  }

  @Query(() => [AuditEntry], {
    description:
      'Staff and security entries outside any brand (sign-ins, lockouts, two-factor, invites, roles), newest first',
  })
  staffAuditTrail(@Arg('filter') filter: StaffAuditFilter, @Ctx() { em }: RequestContext): Promise<AuditEntry[]> {
    return new AuditService(em).staffEntries(filter);
  }

  @Query(() => String, { description: 'The staff and security entries as CSV, for export' })
  staffAuditTrailCsv(@Arg('filter') filter: StaffAuditFilter, @Ctx() { em }: RequestContext): Promise<string> {
    return new AuditService(em).staffCsv(filter);
  }
}
