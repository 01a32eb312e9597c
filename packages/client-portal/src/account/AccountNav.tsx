import { Button, Group, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useT } from '../i18n/useT';
import { useTo } from './layout';
import { useTraderSession } from './session';

/** The header's sign-in button, or, signed in, the trader's pages and sign-out. */
export function AccountNav({ onPrimary }: { onPrimary: string }) {
  const t = useT();
  const to = useTo();
  const navigate = useNavigate();
  const { trader, signOut } = useTraderSession();
  const quiet = { root: { color: onPrimary } };

  if (!trader) {
    return (
      <Button component={Link} to={to('/sign-in')} color="accent" size="sm" data-testid="sign-in">
        {t('portal.signIn')}
      </Button>
    );
  }
  return (
    <Group gap={4} wrap="nowrap" component="nav" aria-label={trader.name}>
      <Text component="span" size="sm" fw={600} visibleFrom="md" me="xs" data-testid="trader-name">
        {trader.name}
      </Text>
      <Button
        component={Link}
        to={to('/accounts')}
        variant="subtle"
        size="sm"
        styles={quiet}
        data-testid="nav-accounts"
      >
        {t('account.myAccounts')}
      </Button>
      <Button component={Link} to={to('/profile')} variant="subtle" size="sm" styles={quiet} data-testid="nav-profile">
        {t('account.profile')}
      </Button>
      <Button
        color="accent"
        size="sm"
        data-testid="sign-out"
        onClick={() => void signOut().then(() => navigate(to('/')))}
      >
        {t('account.signOut')}
      </Button>
    </Group>
  );
}
