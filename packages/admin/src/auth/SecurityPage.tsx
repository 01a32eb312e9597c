import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { apiProblems } from '../api/errors';
import {
  DisableTotpDocument,
  MySecurityDocument,
  RegenerateRecoveryCodesDocument,
  RevokeSessionDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { formatTimestamp } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/states';
import { RecoveryCodes, TotpSetup } from './TotpSetup';

/** `/security`: the signed-in member's two-factor sign-in, recovery codes and open sessions. */
export function SecurityPage() {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(MySecurityDocument, { fetchPolicy: 'cache-and-network' });
  if (loading && !data) return <LoadingState />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!data) return null;
  return (
    <Stack maw={900}>
      <Title order={2}>{t('security.title')}</Title>
      <Card withBorder>
        <Stack>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('security.twoFactor')}
            </Title>
            <Badge
              color={data.myTwoFactor.enabled ? 'green' : 'gray'}
              variant="dot"
              tt="none"
              data-testid="totp-status"
            >
              {data.myTwoFactor.enabled ? t('security.on') : t('security.off')}
            </Badge>
          </Group>
          {data.myTwoFactor.enabled ? (
            <TwoFactorOn left={data.myTwoFactor.recoveryCodesLeft} onChange={() => void refetch()} />
          ) : (
            <TotpSetup onDone={() => void refetch()} />
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3} size="h4">
            {t('security.sessions')}
          </Title>
          <Sessions sessions={data.mySessions} onChange={() => void refetch()} />
        </Stack>
      </Card>
    </Stack>
  );
}

function TwoFactorOn({ left, onChange }: { left: number; onChange: () => void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [disable, disabling] = useMutation(DisableTotpDocument);
  const [regenerate, regenerating] = useMutation(RegenerateRecoveryCodesDocument);
  const [codes, setCodes] = useState<string[] | null>(null);
  const problems = apiProblems(disabling.error ?? regenerating.error);
  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          onChange();
        }}
      />
    );
  return (
    <Stack>
      <Text size="sm">{t('security.codesLeft', { count: left })}</Text>
      <Group align="flex-end">
        <TextInput
          label={t('login.totpCode')}
          description={t('security.codeNeeded')}
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={problems.length ? problems.map((p) => p.message).join(' · ') : undefined}
        />
        <Button
          variant="default"
          loading={regenerating.loading}
          onClick={() =>
            void regenerate({ variables: { code: code.trim() } })
              .then(({ data }) => {
                setCode('');
                if (data) setCodes(data.regenerateRecoveryCodes);
              })
              .catch(() => undefined)
          }
        >
          {t('security.newCodes')}
        </Button>
        <Button
          color="red"
          variant="light"
          loading={disabling.loading}
          onClick={() =>
            void disable({ variables: { code: code.trim() } })
              .then(() => {
                setCode('');
                notify({ message: t('security.disabled') });
                onChange();
              })
              .catch(() => undefined)
          }
        >
          {t('security.disable')}
        </Button>
      </Group>
    </Stack>
  );
}

type Session = {
  id: string;
  createdAt: string;
  expiresAt: string;
  userAgent?: string | null;
  ip?: string | null;
  current: boolean;
};

function Sessions({ sessions, onChange }: { sessions: Session[]; onChange: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [revoke] = useMutation(RevokeSessionDocument);
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table data-testid="sessions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('security.session.started')}</Table.Th>
            <Table.Th>{t('security.session.expires')}</Table.Th>
            <Table.Th>{t('security.session.device')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('security.session.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((s) => (
            <Table.Tr key={s.id} data-testid={`session-${s.id}`}>
              <Table.Td>{formatTimestamp(s.createdAt, locale)}</Table.Td>
              <Table.Td>{formatTimestamp(s.expiresAt, locale)}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1} title={s.userAgent ?? ''}>
                  {[s.ip, s.userAgent].filter(Boolean).join(' · ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {s.current ? (
                  <Badge variant="dot" tt="none">
                    {t('security.session.current')}
                  </Badge>
                ) : (
                  <Button
                    size="compact-sm"
                    variant="default"
                    onClick={() => void revoke({ variables: { id: s.id } }).then(onChange, onChange)}
                  >
                    {t('security.session.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
