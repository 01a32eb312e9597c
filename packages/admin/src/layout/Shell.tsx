import { useApolloClient, useMutation } from '@apollo/client/react';
import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { restartSocket } from '../api/client';
import { MeDocument, type MeFieldsFragment, SignOutDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { LoadingState } from '../ui/states';
import { LanguageMenu } from './LanguageMenu';
import { navFor } from './nav';

export function Shell({ me }: { me: MeFieldsFragment }) {
  const t = useT();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [signOut, { loading: signingOut }] = useMutation(SignOutDocument);

  const onSignOut = async () => {
    try {
      await signOut();
    } finally {
      // Whatever the server said, this browser forgets the viewer and what they could see.
      await client.clearStore();
      client.writeQuery({ query: MeDocument, data: { me: null } });
      restartSocket();
      navigate('/login', { replace: true });
    }
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('header.toggleNav')} />
            <Title order={4} component="span">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageMenu />
            <Text size="sm" data-testid="current-user" title={me.email} visibleFrom="xs">
              {me.name}
            </Text>
            <Button variant="default" size="compact-sm" onClick={() => void onSignOut()} loading={signingOut}>
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {navFor(me.grants).map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.label)}
            active={item.matches ? item.matches(pathname) : pathname === item.to || pathname.startsWith(`${item.to}/`)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
