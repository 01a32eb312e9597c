import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { ApiKeyService } from './apikey.service';
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from './apikey.types';

const service = ({ em, viewer, requestId, meta }: RequestContext) =>
  new ApiKeyService(em, { viewer, requestId, ip: meta.ip });

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: "A brand's partner API keys, newest first (revoked ones included)" })
  apiKeys(@Arg('brandId', () => ID) brandId: string, @Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return service(ctx).list(brandId);
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates a key for one brand; the key is in this answer only' })
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKey> {
    return service(ctx).create(input);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key at once; its next request is UNAUTHENTICATED' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return service(ctx).revoke(id);
  }
}
