import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { restartSocket } from '../api/client';
import { apiProblems, mapFieldErrors } from '../api/errors';
import { MeDocument, SignInDocument } from '../gql/graphql';
import { type Translate, useT } from '../i18n/LocaleProvider';
import { LanguageMenu } from '../layout/LanguageMenu';
import { safeNext } from './redirect';

const schema = (t: Translate) =>
  z.object({
    email: z.string().trim().min(1, t('validation.required')),
    password: z.string().min(1, t('validation.required')),
  });
type Values = z.infer<ReturnType<typeof schema>>;

export function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useQuery(MeDocument);
  const [signIn, { error }] = useMutation(SignInDocument);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema(t)), defaultValues: { email: '', password: '' } });

  if (me.data?.me) return <Navigate to={next} replace />;

  const onSubmit = handleSubmit(async (input) => {
    try {
      const { data } = await signIn({ variables: { input } });
      if (!data) return;
      // A new viewer: drop whatever the previous one had cached, and reopen the socket as them.
      await client.clearStore();
      client.writeQuery({ query: MeDocument, data: { me: data.signIn.me } });
      restartSocket();
      navigate(next, { replace: true });
    } catch (e) {
      const { fieldErrors } = mapFieldErrors(apiProblems(e), ['email', 'password'] as const);
      for (const [field, message] of Object.entries(fieldErrors)) {
        setError(field as keyof Values, { type: 'server', message: message as string });
      }
    }
  });

  const problems = apiProblems(error);

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Group justify="flex-end" p="md">
        <LanguageMenu />
      </Group>
      <Center px="md" pb="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
          <form onSubmit={onSubmit} noValidate aria-labelledby="login-title">
            <Stack>
              <div>
                <Title order={2} id="login-title">
                  {t('login.title')}
                </Title>
                <Text c="dimmed" size="sm">
                  {t('login.subtitle')}
                </Text>
              </div>
              {problems.length > 0 && (
                <Alert color="red" title={t('login.failed')} role="alert" data-testid="login-error">
                  {problems.some((p) => p.code === 'NETWORK')
                    ? t('common.networkError')
                    : problems.map((p) => p.message).join(' · ')}
                </Alert>
              )}
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                autoFocus
                error={errors.email?.message}
                {...register('email')}
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                error={errors.password?.message}
                {...register('password')}
              />
              <Button type="submit" loading={isSubmitting} fullWidth>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
