import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Modal, NumberInput, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import {
  type ChallengeAccountFieldsFragment,
  CloseChallengeAccountDocument,
  ExtendChallengeTimeLimitDocument,
  FailChallengeAccountDocument,
  PassChallengeAccountDocument,
  ReinstateChallengeAccountDocument,
  ResetChallengeAccountDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import type { MessageId } from '../i18n/locales';
import { formatMoney } from '../plans/format';
import { notify } from '../plans/notify';
import { isolate } from '../ui/format';
import { forgetAccountLists } from './cache';
import { DialogProblems } from './DialogProblems';
import { useDialogForm } from './dialog-form';
import {
  emptyStaffActionForm,
  NEEDS_REASON,
  newActionId,
  REASON_MAX,
  STAFF_ACTION_FIELDS,
  type StaffAction,
  type StaffActionValues,
  staffActionSchema,
  toStaffActionVariables,
} from './staff-actions';

const COLORS: Record<StaffAction, string> = {
  EXTEND: 'indigo.8',
  REINSTATE: 'teal.9',
  PASS: 'teal.9',
  FAIL: 'red.9',
  CLOSE: 'gray.8',
  RESET: 'violet.8',
};

const msg = (action: StaffAction, part: 'button' | 'title' | 'consequence' | 'done') =>
  `staffAction.${action}.${part}` as MessageId;

/**
 * The "Staff actions" group of the account page: a button per action that applies now and that the
 * member's roles may call, each opening its dialog. `onDone` gets the account the API answered
 * (after a reset, the new attempt).
 */
export function StaffActions({
  account,
  actions,
  onDone,
}: {
  account: ChallengeAccountFieldsFragment;
  actions: readonly StaffAction[];
  onDone(result: { id: string }, action: StaffAction): void;
}) {
  const t = useT();
  // The dialog's action and the idempotency key chosen when it opened: a double click, or a retry
  // after an answer that never arrived, does the action once.
  const [open, setOpen] = useState<{ action: StaffAction; actionId: string } | null>(null);
  if (actions.length === 0) return null;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="staff-actions-heading"
      data-testid="staff-actions"
    >
      <Stack gap="xs">
        <Title order={3} size="h4" id="staff-actions-heading">
          {t('staffAction.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('staffAction.hint')}
        </Text>
        <Group gap="sm">
          {actions.map((action) => (
            <Button
              key={action}
              variant={action === 'EXTEND' || action === 'REINSTATE' ? 'filled' : 'outline'}
              color={COLORS[action]}
              onClick={() => setOpen({ action, actionId: newActionId() })}
              data-testid={`staff-action-${action}`}
            >
              {t(msg(action, 'button'))}
            </Button>
          ))}
        </Group>
      </Stack>
      {open && (
        <StaffActionDialog
          key={open.actionId}
          account={account}
          action={open.action}
          actionId={open.actionId}
          onClose={() => setOpen(null)}
          onDone={(result) => {
            setOpen(null);
            onDone(result, open.action);
          }}
        />
      )}
    </Paper>
  );
}

function StaffActionDialog({
  account,
  action,
  actionId,
  onClose,
  onDone,
}: {
  account: ChallengeAccountFieldsFragment;
  action: StaffAction;
  actionId: string;
  onClose(): void;
  onDone(result: { id: string }): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [values, setValues] = useState<StaffActionValues>(() => emptyStaffActionForm(action));
  const { errors, problems, submit: check, clearError } = useDialogForm(STAFF_ACTION_FIELDS);
  const options = { update: forgetAccountLists };
  const [extend, extending] = useMutation(ExtendChallengeTimeLimitDocument, options);
  const [reinstate, reinstating] = useMutation(ReinstateChallengeAccountDocument, options);
  const [pass, passing] = useMutation(PassChallengeAccountDocument, options);
  const [fail, failing] = useMutation(FailChallengeAccountDocument, options);
  const [close, closing] = useMutation(CloseChallengeAccountDocument, options);
  const [reset, resetting] = useMutation(ResetChallengeAccountDocument, options);
  const busy = [extending, reinstating, passing, failing, closing, resetting].some((m) => m.loading);

  const run = async (): Promise<{ id: string } | undefined> => {
    const v = toStaffActionVariables(action, account.id, actionId, values);
    const reason = v.reason ?? '';
    switch (action) {
      case 'EXTEND':
        return (await extend({ variables: { ...v, days: v.days ?? 0 } })).data?.extendChallengeTimeLimit;
      case 'REINSTATE':
        return (await reinstate({ variables: { ...v, reason } })).data?.reinstateChallengeAccount;
      case 'PASS':
        return (await pass({ variables: v })).data?.passChallengeAccount;
      case 'FAIL':
        return (await fail({ variables: { ...v, reason } })).data?.failChallengeAccount;
      case 'CLOSE':
        return (await close({ variables: { ...v, reason } })).data?.closeChallengeAccount;
      case 'RESET':
        return (await reset({ variables: { ...v, reason } })).data?.resetChallengeAccount;
    }
  };

  const submit = async () => {
    if (busy) return;
    await check(staffActionSchema(t, action), values, async () => {
      const result = await run();
      if (!result) throw new Error(t('common.errorTitle'));
      notify({
        color: action === 'FAIL' || action === 'CLOSE' ? 'orange' : 'green',
        message: t(msg(action, 'done'), { name: account.traderName, days: Number(values.days) || 0 }),
        // Its close button needs a name too (axe: button-name).
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      onDone(result);
    });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t(msg(action, 'title'), { name: account.traderName })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid={`staff-dialog-${action}`}
      >
        <Stack>
          <Alert
            color={action === 'FAIL' || action === 'CLOSE' ? 'red' : 'blue'}
            variant="light"
            data-testid="staff-consequence"
          >
            <Text size="sm">
              {t(msg(action, 'consequence'), {
                amount: isolate(formatMoney(account.initialBalance, account.currency, locale, true), locale),
              })}
            </Text>
          </Alert>
          {action === 'EXTEND' && (
            <NumberInput
              label={t('staffAction.days')}
              required
              min={1}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              value={values.days}
              onChange={(days) => {
                setValues((v) => ({ ...v, days: typeof days === 'number' ? days : days === '' ? '' : Number(days) }));
                clearError('days');
              }}
              error={errors.days}
              data-autofocus
            />
          )}
          <Textarea
            label={t('staffAction.reason')}
            description={t('staffAction.reasonHint')}
            required={NEEDS_REASON.has(action)}
            autosize
            minRows={3}
            maxLength={REASON_MAX}
            value={values.reason}
            onChange={(e) => {
              const reason = e.currentTarget.value;
              setValues((v) => ({ ...v, reason }));
              clearError('reason');
            }}
            error={errors.reason}
            data-autofocus={action !== 'EXTEND' || undefined}
          />
          <DialogProblems problems={problems} conflictTitle={t('staffAction.refused')} testId="staff" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={COLORS[action]} loading={busy} data-testid="staff-confirm">
              {t(msg(action, 'button'))}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
