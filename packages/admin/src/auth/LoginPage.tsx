import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { restartSocket } from '../api/client';
import { apiProblems, mapFieldErrors } from '../api/errors';
import { MeDocument, SignInDocument } from '../gql/graphql';
import { type Translate, useT } from '../i18n/LocaleProvider';
import { AuthCard } from './AuthCard';
import { safeNext } from './redirect';

const schema = (t: Translate) =>
  z.object({
    email: z.string().trim().min(1, t('validation.required')),
    password: z.string().min(1, t('validation.required')),
    code: z.string().trim(),
  });
type Values = z.infer<ReturnType<typeof schema>>;

/**
 * Staff sign-in in two steps: email and password, then — for staff with two-factor on, when the API
 * answers TOTP_REQUIRED — the authenticator code or a recovery code. An owner without two-factor
 * goes straight to enrolling it.
 */
export function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useQuery(MeDocument);
  const [signIn, { error, reset }] = useMutation(SignInDocument);
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [recovery, setRecovery] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema(t)), defaultValues: { email: '', password: '', code: '' } });

  if (me.data?.me) {
    return <Navigate to={me.data.me.totpEnrollmentRequired ? '/enroll-totp' : next} replace />;
  }

  const onSubmit = handleSubmit(async ({ email, password, code }) => {
    if (step === 'code' && !code) {
      setError('code', { type: 'required', message: t('validation.required') });
      return;
    }
    const second = step === 'code' ? (recovery ? { recoveryCode: code } : { totpCode: code }) : {};
    try {
      const { data } = await signIn({ variables: { input: { email, password, ...second } } });
      if (!data) return;
      // A new viewer: drop whatever the previous one had cached, and reopen the socket as them.
      await client.clearStore();
      client.writeQuery({ query: MeDocument, data: { me: data.signIn.me } });
      restartSocket();
      navigate(data.signIn.me.totpEnrollmentRequired ? '/enroll-totp' : next, { replace: true });
    } catch (e) {
      const problems = apiProblems(e);
      if (problems.some((p) => p.code === 'TOTP_REQUIRED')) {
        reset();
        setStep('code');
        return;
      }
      const { fieldErrors } = mapFieldErrors(problems, ['email', 'password'] as const);
      for (const [field, message] of Object.entries(fieldErrors)) {
        setError(field as keyof Values, { type: 'server', message: message as string });
      }
    }
  });

  const problems = apiProblems(error);

  return (
    <AuthCard title={t('login.title')} subtitle={step === 'code' ? t('login.codeSubtitle') : t('login.subtitle')}>
      <form onSubmit={onSubmit} noValidate aria-labelledby="auth-card-title">
        <Stack>
          {problems.length > 0 && (
            <Alert color="red" title={t('login.failed')} role="alert" data-testid="login-error">
              {problems.some((p) => p.code === 'NETWORK')
                ? t('common.networkError')
                : problems.map((p) => p.message).join(' · ')}
            </Alert>
          )}
          <div hidden={step === 'code'}>
            <Stack>
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
            </Stack>
          </div>
          {step === 'code' && (
            <TextInput
              key={recovery ? 'recovery' : 'totp'}
              label={recovery ? t('login.recoveryCode') : t('login.totpCode')}
              description={recovery ? t('login.recoveryCodeHint') : t('login.totpCodeHint')}
              autoComplete="one-time-code"
              inputMode={recovery ? 'text' : 'numeric'}
              autoFocus
              error={errors.code?.message}
              {...register('code')}
            />
          )}
          <Button type="submit" loading={isSubmitting} fullWidth>
            {step === 'code' ? t('login.verify') : t('login.submit')}
          </Button>
          {step === 'code' ? (
            <Anchor component="button" type="button" size="sm" onClick={() => setRecovery((r) => !r)}>
              {recovery ? t('login.useTotp') : t('login.useRecovery')}
            </Anchor>
          ) : (
            <Anchor component={Link} to="/forgot" size="sm">
              {t('login.forgot')}
            </Anchor>
          )}
        </Stack>
      </form>
    </AuthCard>
  );
}
