import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ResolveCorrectionReviewDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { forgetAccountLists } from './cache';
import { DialogProblems } from './DialogProblems';
import { useDialogForm } from './dialog-form';
import {
  CORRECTION_REVIEW_FIELDS,
  type CorrectionReviewValues,
  correctionReviewSchema,
  emptyCorrectionReviewForm,
  REVIEW_DECISIONS,
  REVIEW_REASON_MAX,
  type ReviewDecision,
  toCorrectionReviewInput,
} from './correction-review';

/**
 * Staff decide on a deal correction that took away the pass of an account that had advanced: keep
 * the pass, or revoke it (the next phase is failed and trading on it stops), with a reason. The
 * API's field errors show on their fields, a CONFLICT (already reviewed) above the buttons.
 */
export function CorrectionReviewDialog({
  accountId,
  transitionId,
  traderName,
  onClose,
  onDone,
}: {
  accountId: string;
  transitionId: string;
  traderName: string;
  onClose(): void;
  onDone(): void;
}) {
  const t = useT();
  const [values, setValues] = useState<CorrectionReviewValues>(emptyCorrectionReviewForm);
  const { errors, problems, submit: check, clearError } = useDialogForm(CORRECTION_REVIEW_FIELDS);
  const [resolve, resolving] = useMutation(ResolveCorrectionReviewDocument, { update: forgetAccountLists });

  const submit = async () => {
    if (resolving.loading) return;
    await check(correctionReviewSchema(t), values, async (parsed) => {
      const input = toCorrectionReviewInput(accountId, transitionId, { ...values, decision: parsed.decision });
      const result = await resolve({ variables: { input } });
      if (!result.data?.resolveCorrectionReview) throw new Error(t('common.errorTitle'));
      notify({
        color: input.decision === 'REVOKE_PASS' ? 'orange' : 'green',
        message: t('correctionReview.done', { name: traderName }),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      onDone();
    });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('correctionReview.title', { name: traderName })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="correction-review-dialog"
      >
        <Stack>
          <Text size="sm">{t('correctionReview.intro')}</Text>
          <Radio.Group
            label={t('correctionReview.decision')}
            required
            value={values.decision}
            onChange={(decision) => {
              setValues((v) => ({ ...v, decision: decision as ReviewDecision }));
              clearError('decision');
            }}
            error={errors.decision}
          >
            <Stack gap="sm" mt="xs">
              {REVIEW_DECISIONS.map((decision) => (
                <Radio
                  key={decision}
                  value={decision}
                  label={t(`correctionReview.${decision}.label`)}
                  description={t(`correctionReview.${decision}.hint`)}
                  color={decision === 'REVOKE_PASS' ? 'red.9' : 'teal.9'}
                  data-testid={`correction-review-${decision}`}
                />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('correctionReview.reason')}
            description={t('correctionReview.reasonHint')}
            required
            autosize
            minRows={3}
            maxLength={REVIEW_REASON_MAX}
            value={values.reason}
            onChange={(e) => {
              const reason = e.currentTarget.value;
              setValues((v) => ({ ...v, reason }));
              clearError('reason');
            }}
            error={errors.reason}
            data-testid="correction-review-reason"
          />
          <DialogProblems problems={problems} conflictTitle={t('correctionReview.refused')} testId="correction" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={values.decision === 'REVOKE_PASS' ? 'red.9' : 'teal.9'}
              loading={resolving.loading}
              data-testid="correction-review-submit"
            >
              {t('correctionReview.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
