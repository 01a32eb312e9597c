import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { apiProblems } from '../api/errors';
import { ApprovePassDocument, RejectPassDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { forgetAccountLists } from './cache';

/** A pass waiting for staff: Approve opens the next phase; Reject closes the account, with a reason. */
export function ReviewPanel({
  accountId,
  traderName,
  onDone,
}: {
  accountId: string;
  traderName: string;
  onDone(): void;
}) {
  const t = useT();
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [approve, approving] = useMutation(ApprovePassDocument, { update: forgetAccountLists });
  const [reject, rejecting] = useMutation(RejectPassDocument, { update: forgetAccountLists });

  const close = () => {
    setDialog(null);
    setReason('');
    setReasonError(null);
    setProblem(null);
  };

  const onApprove = async () => {
    setProblem(null);
    try {
      await approve({ variables: { accountId } });
      notify({ color: 'green', message: t('review.approved', { name: traderName }) });
      close();
      onDone();
    } catch (error) {
      setProblem(apiProblems(error)[0]?.message ?? t('common.errorTitle'));
    }
  };

  const onReject = async () => {
    const text = reason.trim();
    if (!text) {
      setReasonError(t('review.reasonRequired'));
      return;
    }
    setProblem(null);
    try {
      await reject({ variables: { accountId, reason: text } });
      notify({ color: 'orange', message: t('review.rejected', { name: traderName }) });
      close();
      onDone();
    } catch (error) {
      setProblem(apiProblems(error)[0]?.message ?? t('common.errorTitle'));
    }
  };

  return (
    <>
      <Alert color="blue" title={t('review.title')} data-testid="review-panel">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('review.body')}</Text>
          <Group>
            <Button color="teal.9" onClick={() => setDialog('approve')} data-testid="approve-pass">
              {t('review.approve')}
            </Button>
            <Button color="red.9" variant="white" onClick={() => setDialog('reject')} data-testid="reject-pass">
              {t('review.reject')}
            </Button>
          </Group>
        </Stack>
      </Alert>
      <Modal
        opened={dialog === 'approve'}
        onClose={close}
        title={t('review.approveTitle', { name: traderName })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text size="sm">{t('review.approveBody')}</Text>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="teal.9" onClick={() => void onApprove()} loading={approving.loading}>
              {t('review.approve')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={dialog === 'reject'}
        onClose={close}
        title={t('review.rejectTitle', { name: traderName })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Textarea
            label={t('review.reason')}
            description={t('review.reasonHint')}
            required
            autosize
            minRows={3}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(null);
            }}
            error={reasonError}
            data-autofocus
          />
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red.8" onClick={() => void onReject()} loading={rejecting.loading}>
              {t('review.reject')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
