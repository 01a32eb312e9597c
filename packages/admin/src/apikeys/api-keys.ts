import { z } from 'zod';
import type { CreateApiKeyInput } from '../gql/graphql';
import type { MessageId } from '../i18n/locales';
import type { Translate } from '../i18n/LocaleProvider';

/** The partner scopes (the API's `API_SCOPES`), each with what it opens. */
export const API_SCOPES = ['accounts:read', 'exposure:read', 'plans:read', 'events:ingest', 'risk:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const SCOPE_HINTS: Record<ApiScope, MessageId> = {
  'accounts:read': 'apiKeys.scope.accountsRead',
  'exposure:read': 'apiKeys.scope.exposureRead',
  'plans:read': 'apiKeys.scope.plansRead',
  'events:ingest': 'apiKeys.scope.eventsIngest',
  'risk:write': 'apiKeys.scope.riskWrite',
};

export const DEFAULT_RATE_PER_MINUTE = 600;
export const MAX_RATE_PER_MINUTE = 100_000;

/** Who may manage a brand's keys: the API's permission table says the same (OWNER, ADMIN). */
const KEY_MANAGERS = new Set(['OWNER', 'ADMIN']);
type Grant = { brandId?: string | null; role: string };

export const canManageKeys = (grants: readonly Grant[], brandId: string) =>
  grants.some((g) => (g.brandId == null || g.brandId === brandId) && KEY_MANAGERS.has(g.role));

/** Whether the navigation shows "API keys" at all: a manager role on some brand. */
export const managesKeysSomewhere = (grants: readonly Grant[]) => grants.some((g) => KEY_MANAGERS.has(g.role));

export interface KeyFormValues {
  name: string;
  scopes: ApiScope[];
  ratePerMinute: number;
}

/** Form fields, which are also the API's input paths without the leading `input`. */
export const KEY_FIELDS = ['name', 'scopes', 'ratePerMinute'] as const;

export const emptyKeyForm = (): KeyFormValues => ({ name: '', scopes: [], ratePerMinute: DEFAULT_RATE_PER_MINUTE });

export function keySchema(t: Translate) {
  return z.object({
    name: z
      .string()
      .trim()
      .min(1, t('validation.required'))
      .max(80, t('validation.tooLong', { max: 80 })),
    scopes: z.array(z.enum(API_SCOPES)).min(1, t('apiKeys.form.scopesRequired')),
    ratePerMinute: z
      .number({ invalid_type_error: t('apiKeys.form.rateInvalid', { max: MAX_RATE_PER_MINUTE }) })
      .int(t('apiKeys.form.rateInvalid', { max: MAX_RATE_PER_MINUTE }))
      .min(1, t('apiKeys.form.rateInvalid', { max: MAX_RATE_PER_MINUTE }))
      .max(MAX_RATE_PER_MINUTE, t('apiKeys.form.rateInvalid', { max: MAX_RATE_PER_MINUTE })),
  });
}

export function toCreateInput(brandId: string, values: KeyFormValues): CreateApiKeyInput {
  return {
    brandId,
    name: values.name.trim(),
    // In the canonical order, whatever order they were ticked in.
    scopes: API_SCOPES.filter((s) => values.scopes.includes(s)),
    ratePerMinute: values.ratePerMinute,
  };
}

/** The curl line a partner can try at once, with the brand's real id. */
export function curlExample(origin: string, key: string, brandId: string) {
  const body = JSON.stringify({ query: `{ challengeAccounts(brandId: "${brandId}") { id status } }` });
  return `curl -H "Authorization: Bearer ${key}" -H 'content-type: application/json' -d '${body}' ${origin}/graphql`;
}
