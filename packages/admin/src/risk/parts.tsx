import { Alert, Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { apiProblems } from '../api/errors';
import type { MarginStatus } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatMoney } from '../plans/format';
import { STATUS_COLOR, signColor } from './format';

/** An account's margin state: a coloured dot and its name (colour is never the only cue). */
export function MarginStatusBadge({ status }: { status: MarginStatus }) {
  const t = useT();
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant="dot"
      tt="none"
      miw="max-content"
      data-testid="margin-status"
      data-status={status}
    >
      {t(`risk.status.${status}`)}
    </Badge>
  );
}

/** An amount with its currency, numbers aligned; signed amounts coloured (and signed). */
export function Money({
  value,
  currency,
  signed = false,
  fw,
  testId,
}: {
  value: string | null | undefined;
  currency: string;
  signed?: boolean;
  fw?: number;
  testId?: string;
}) {
  const { locale } = useLocale();
  return (
    <Text
      component="span"
      size="sm"
      fw={fw}
      c={signed ? signColor(value) : undefined}
      style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
      data-testid={testId}
      data-value={value ?? ''}
    >
      <bdi>{value === null || value === undefined ? '—' : formatMoney(value, currency, locale, true)}</bdi>
    </Text>
  );
}

/** Numbers in table cells line up in every language. */
export function Num({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Text
      component="span"
      size="sm"
      style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
      data-testid={testId}
    >
      <bdi>{children}</bdi>
    </Text>
  );
}

/** A confirmation before an action that changes many accounts at once; errors stay in the dialog. */
export function ConfirmModal({
  opened,
  title,
  body,
  confirmLabel,
  color = 'red.9',
  onConfirm,
  onClose,
  testId,
}: {
  opened: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  color?: string;
  onConfirm(): Promise<void>;
  onClose(): void;
  testId?: string;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => {
    setProblem(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm();
      close();
    } catch (error) {
      setProblem(
        apiProblems(error)
          .map((p) => p.message)
          .join(' · ') || t('common.errorTitle'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={title}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid={testId}
      zIndex={400}
    >
      <Stack>
        <Text size="sm">{body}</Text>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color={color}
            onClick={() => void confirm()}
            loading={busy}
            data-testid={testId && `${testId}-confirm`}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
