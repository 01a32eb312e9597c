import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { type ApiProblem, showServerErrors } from '../api/errors';
import { IssuablePlansDocument, IssueChallengeAccountDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import { notify } from '../plans/notify';
import type { ScopedBrand } from '../ui/brand-scope';
import { ErrorState, LoadingState } from '../ui/states';
import { forgetAccountLists } from './cache';
import {
  emptyIssueForm,
  ISSUE_FIELDS,
  type IssueFormValues,
  issuablePlans,
  issueSchema,
  toIssueInput,
} from './issue-form';

/** "Issue account": a trader (by email; created when new), a published plan and one of its sizes. */
export function IssueAccountModal({
  opened,
  onClose,
  brand,
  onIssued,
}: {
  opened: boolean;
  onClose(): void;
  brand: ScopedBrand;
  onIssued(accountId: string): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const plans = useQuery(IssuablePlansDocument, {
    variables: { brandId: brand.id },
    skip: !opened,
    fetchPolicy: 'cache-and-network',
  });
  const schema = useMemo(() => issueSchema(t), [t]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    setValue,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<IssueFormValues>({ resolver: zodResolver(schema), defaultValues: emptyIssueForm(), mode: 'onTouched' });
  const planId = useWatch({ control, name: 'planId' });
  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const [issue] = useMutation(IssueChallengeAccountDocument, { update: forgetAccountLists });

  const options = useMemo(() => issuablePlans(plans.data?.planCatalogue.plans ?? []), [plans.data]);
  const sizes = options.find((p) => p.id === planId)?.published?.sizes ?? [];

  const close = () => {
    reset(emptyIssueForm());
    setFormErrors([]);
    onClose();
  };

  const submit = handleSubmit(async (values) => {
    setFormErrors([]);
    try {
      const { data } = await issue({ variables: { input: toIssueInput(brand.id, values) } });
      const account = data?.issueChallengeAccount;
      if (!account) return;
      notify({
        color: 'green',
        message: t('issue.issued', { name: account.traderName, login: account.login }),
        'data-testid': 'account-issued',
      });
      close();
      onIssued(account.id);
    } catch (error) {
      setFormErrors(showServerErrors(error, ISSUE_FIELDS, setError));
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('issue.title', { brand: brand.name })}
      size="md"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="issue-account-modal"
    >
      {plans.loading && !plans.data && <LoadingState />}
      {plans.error && !plans.data && <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />}
      {plans.data && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <TextInput
              label={t('issue.traderEmail')}
              type="email"
              autoComplete="off"
              required
              error={errors.traderEmail?.message}
              {...register('traderEmail')}
            />
            <TextInput
              label={t('issue.traderName')}
              autoComplete="off"
              required
              error={errors.traderName?.message}
              {...register('traderName')}
            />
            <Controller
              control={control}
              name="planId"
              render={({ field }) => (
                <Select
                  label={t('issue.plan')}
                  required
                  data={options.map((p) => ({ value: p.id, label: p.name }))}
                  value={field.value || null}
                  onChange={(next) => {
                    field.onChange(next ?? '');
                    setValue('sizeId', '');
                  }}
                  onBlur={field.onBlur}
                  error={errors.planId?.message}
                  nothingFoundMessage={t('issue.noPlans')}
                  placeholder={options.length === 0 ? t('issue.noPlans') : undefined}
                />
              )}
            />
            <Controller
              control={control}
              name="sizeId"
              render={({ field }) => (
                <Select
                  label={t('issue.size')}
                  required
                  disabled={!planId}
                  data={sizes.map((s) => ({ value: s.id, label: formatMoney(s.balance, s.currency, locale) }))}
                  value={field.value || null}
                  onChange={(next) => field.onChange(next ?? '')}
                  onBlur={field.onBlur}
                  error={errors.sizeId?.message}
                />
              )}
            />
            {formErrors.length > 0 && (
              <Alert color="red" role="alert" title={t('issue.failed')}>
                {formErrors.map((p) => p.message).join(' · ')}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={isSubmitting}>
                {t('issue.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
