import { useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Anchor, Badge, Box, Center, Container, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useEffect, useState } from 'react';
import { connection } from '../api/client';
import { formatMoney } from '../catalogue/format';
import {
  MyAccountMetricsDocument,
  MyAccountStatusDocument,
  type MyAccountFieldsFragment,
  MyChallengeAccountsDocument,
  type TraderFieldsFragment,
} from '../gql/graphql';
import type { MessageId } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { formatDateTime, statusColor } from './format';

const LIVE = new Set(['ACTIVE', 'FUNDED']);

/** `/accounts`: the trader's own challenge accounts, with live balance and equity. */
export function MyAccountsPage({ trader, locale }: { trader: TraderFieldsFragment; locale: string }) {
  const t = useT();
  const query = useQuery(MyChallengeAccountsDocument, { fetchPolicy: 'cache-and-network' });
  const { refetch } = query;
  const accounts = (query.data ?? query.previousData)?.myChallengeAccounts;

  useEffect(() => {
    document.title = t('account.accounts.title');
  }, [t]);
  // A dropped socket may have missed a status change: read the list again when it is back.
  useEffect(() => connection.onReconnected(() => void refetch()), [refetch]);
  // Verifying the email (in another tab, say) makes the accounts visible.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch when verification changes only
  useEffect(() => {
    void refetch();
  }, [trader.emailVerified]);

  return (
    <Box component="main" py={{ base: 32, sm: 56 }}>
      <Container size="lg">
        <Stack gap="lg">
          <Title order={1}>{t('account.accounts.title')}</Title>
          {!trader.emailVerified && <Text c="dimmed">{t('account.accounts.unverified')}</Text>}
          {!accounts && query.loading && (
            <Center py="xl" role="status">
              <Loader size="sm" aria-label={t('account.accounts.loading')} />
            </Center>
          )}
          {!accounts && query.error && (
            <Alert color="red" role="alert">
              {t('account.error')}
            </Alert>
          )}
          {accounts && accounts.length === 0 && trader.emailVerified && (
            <Text c="dimmed" data-testid="my-accounts-empty">
              {t('account.accounts.empty')}
            </Text>
          )}
          {accounts && accounts.length > 0 && (
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" striped data-testid="my-accounts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('account.accounts.plan')}</Table.Th>
                    <Table.Th scope="col">{t('account.accounts.phase')}</Table.Th>
                    <Table.Th scope="col">{t('account.accounts.status')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('account.accounts.balance')}
                    </Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('account.accounts.equity')}
                    </Table.Th>
                    <Table.Th scope="col">{t('account.accounts.login')}</Table.Th>
                    <Table.Th scope="col">{t('account.accounts.started')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {accounts.map((account) => (
                    <AccountRow
                      key={account.id}
                      account={account}
                      locale={locale}
                      timeZone={trader.timeZone}
                      onStatus={() => void refetch()}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Container>
    </Box>
  );
}

/** One account; while it trades, its figures follow `accountMetrics` and a breach or pass `challengeStatus`. */
function AccountRow({
  account,
  locale,
  timeZone,
  onStatus,
}: {
  account: MyAccountFieldsFragment;
  locale: string;
  timeZone: string;
  onStatus(): void;
}) {
  const t = useT();
  const [pushed, setLive] = useState<{
    of: MyAccountFieldsFragment;
    status: string;
    balance: string;
    equity: string;
  }>();
  // A newer read of the list replaces what the subscription said.
  const live = pushed?.of === account ? pushed : null;
  const status = live?.status ?? account.status;
  const tracking = LIVE.has(account.status);

  useSubscription(MyAccountMetricsDocument, {
    variables: { accountId: account.id },
    skip: !tracking,
    onData: ({ data }) => {
      const m = data.data?.accountMetrics;
      if (m) setLive({ of: account, status: m.status, balance: m.balance, equity: m.equity });
    },
  });
  useSubscription(MyAccountStatusDocument, {
    variables: { accountId: account.id },
    skip: !tracking,
    onData: () => onStatus(),
  });

  const balance = live?.balance ?? account.metrics?.balance ?? account.initialBalance;
  const equity = live?.equity ?? account.metrics?.equity ?? account.initialBalance;
  return (
    <Table.Tr data-testid="account-row" data-account-id={account.id}>
      <Table.Td>
        <Anchor
          component={Link}
          to={`/accounts/${account.id}`}
          fw={600}
          aria-label={t('dashboard.open', { name: `${account.planName} ${account.login}` })}
          data-testid="account-open"
        >
          {account.planName}
        </Anchor>
      </Table.Td>
      <Table.Td>{t('portal.catalogue.phase', { number: account.phaseIndex + 1, name: account.phaseName })}</Table.Td>
      <Table.Td>
        <Badge color={statusColor(status)} variant="light" tt="none" data-testid="account-status" data-status={status}>
          {t(`account.status.${status}` as MessageId)}
        </Badge>
      </Table.Td>
      <Table.Td ta="end" data-testid="account-balance" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatMoney(balance, account.currency, locale)}
      </Table.Td>
      <Table.Td ta="end" data-testid="account-equity" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatMoney(equity, account.currency, locale)}
      </Table.Td>
      <Table.Td dir="ltr">{account.login}</Table.Td>
      <Table.Td>{formatDateTime(account.createdAt, locale, timeZone)}</Table.Td>
    </Table.Tr>
  );
}
