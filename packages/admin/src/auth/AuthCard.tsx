import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageMenu } from '../layout/LanguageMenu';

/** The centred card of the pages before the console: sign-in, invites, password resets, TOTP enrollment. */
export function AuthCard({
  title,
  subtitle,
  children,
  maw = 400,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  maw?: number;
}) {
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Group justify="flex-end" p="md">
        <LanguageMenu />
      </Group>
      <Center px="md" pb="xl" component="main">
        <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={maw}>
          <Stack>
            <div>
              <Title order={2} id="auth-card-title">
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" size="sm">
                  {subtitle}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
