import { createPubSub } from '@graphql-yoga/subscription';

/**
 * In-process pub/sub; the Redis event target plugs in here (createPubSub({ eventTarget }))
 * once several API processes must see each other's events.
 */
export function createEventPubSub() {
  return createPubSub<Record<string, [unknown]>>();
}
export type EventPubSub = ReturnType<typeof createEventPubSub>;
