import { Box, Card, Container, Stack, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useLocation } from 'react-router';
import { portalLink } from '../catalogue/format';

/** A narrow page with one card: sign-in, sign-up, password pages. */
export function AccountCard({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <Box component="main" py={{ base: 32, sm: 56 }}>
      <Container size={460}>
        <Card withBorder radius="md" padding="xl" data-testid={testId}>
          <Stack gap="md">
            <Title order={1} size="h2">
              {title}
            </Title>
            {children}
          </Stack>
        </Card>
      </Container>
    </Box>
  );
}

/** A link target inside the portal that keeps `?brand=` (development). */
export function useTo() {
  const { search } = useLocation();
  return (pathname: string) => portalLink(pathname, search);
}
