import { useMutation } from '@apollo/client/react';
import { Alert, Button, Code, CopyButton, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { apiProblems } from '../api/errors';
import { BeginTotpEnrollmentDocument, ConfirmTotpEnrollmentDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';

/** Recovery codes, shown once: each opens one sign-in without the authenticator. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  return (
    <Stack data-testid="recovery-codes">
      <Alert color="yellow" title={t('totp.codesTitle')}>
        {t('totp.codesHint')}
      </Alert>
      <List spacing={2} style={{ columns: 2 }} listStyleType="none">
        {codes.map((code) => (
          <List.Item key={code}>
            <Code>{code}</Code>
          </List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('totp.copied') : t('totp.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('totp.savedCodes')}</Button>
      </Group>
    </Stack>
  );
}

/**
 * Two-factor enrollment: a new secret as a QR code (and as text), confirmed with a code from the
 * app; then the recovery codes, shown once.
 */
export function TotpSetup({ onDone }: { onDone: () => void }) {
  const t = useT();
  const [begin, begun] = useMutation(BeginTotpEnrollmentDocument);
  const [confirm, confirmed] = useMutation(ConfirmTotpEnrollmentDocument);
  const [code, setCode] = useState('');
  const enrollment = begun.data?.beginTotpEnrollment;
  const codes = confirmed.data?.confirmTotpEnrollment;

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;
  if (!enrollment) {
    return (
      <Stack align="flex-start">
        <Text size="sm">{t('totp.intro')}</Text>
        {begun.error && (
          <Alert color="red" role="alert">
            {apiProblems(begun.error)
              .map((p) => p.message)
              .join(' · ')}
          </Alert>
        )}
        <Button onClick={() => void begin().catch(() => undefined)} loading={begun.loading}>
          {t('totp.start')}
        </Button>
      </Stack>
    );
  }
  const problems = apiProblems(confirmed.error);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void confirm({ variables: { code: code.trim() } }).catch(() => undefined);
      }}
    >
      <Stack>
        <Text size="sm">{t('totp.scan')}</Text>
        <Group align="flex-start" wrap="wrap">
          <QRCodeSVG value={enrollment.otpauthUri} size={176} marginSize={2} title={t('totp.qrTitle')} />
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('totp.manual')}
            </Text>
            <Code data-testid="totp-secret">{enrollment.secret}</Code>
          </Stack>
        </Group>
        <TextInput
          label={t('login.totpCode')}
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={problems.length ? problems.map((p) => p.message).join(' · ') : undefined}
        />
        <Button type="submit" loading={confirmed.loading}>
          {t('totp.confirm')}
        </Button>
      </Stack>
    </form>
  );
}
