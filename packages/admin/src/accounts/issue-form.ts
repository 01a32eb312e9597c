import { z } from 'zod';
import type { IssueAccountInput } from '../gql/graphql';
import type { Translate } from '../i18n/LocaleProvider';

export interface IssueFormValues {
  traderEmail: string;
  traderName: string;
  planId: string;
  sizeId: string;
}

/** Form fields, which are also the API's input paths without the leading `input`. */
export const ISSUE_FIELDS = ['traderEmail', 'traderName', 'planId', 'sizeId'] as const;

export const emptyIssueForm = (): IssueFormValues => ({ traderEmail: '', traderName: '', planId: '', sizeId: '' });

/** Quick checks in the browser; the API validates again and its field errors land on the same fields. */
export function issueSchema(t: Translate) {
  return z.object({
    traderEmail: z.string().trim().min(1, t('validation.required')).email(t('validation.email')),
    traderName: z
      .string()
      .trim()
      .min(1, t('validation.required'))
      .max(120, t('validation.tooLong', { max: 120 })),
    planId: z.string().min(1, t('validation.required')),
    sizeId: z.string().min(1, t('validation.required')),
  });
}

export function toIssueInput(brandId: string, v: IssueFormValues): IssueAccountInput {
  return {
    brandId,
    traderEmail: v.traderEmail.trim(),
    traderName: v.traderName.trim(),
    planId: v.planId,
    sizeId: v.sizeId,
  };
}

/** Plans an account can be issued on: published and not archived, with at least one size. */
export function issuablePlans<
  P extends { id: string; name: string; status: string; published?: { sizes: readonly unknown[] } | null },
>(plans: readonly P[]): P[] {
  return plans.filter((p) => p.status !== 'ARCHIVED' && p.published && p.published.sizes.length > 0);
}
