import { useApolloClient } from '@apollo/client/react';
import { Alert, Anchor, Button, Center, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { type Problem, problemOf } from '../api/problems';
import {
  RequestTraderPasswordResetDocument,
  ResetTraderPasswordDocument,
  TraderSignInDocument,
  TraderSignUpDocument,
  VerifyTraderEmailDocument,
} from '../gql/graphql';
import type { AppLocale, MessageId } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { minutesToWait } from './format';
import { AccountCard, useTo } from './layout';
import { useTraderSession } from './session';

interface BrandProps {
  brandSlug: string;
  brandName: string;
}

/** A field's problem in the page's language (the API explains in English; the field says which). */
const FIELD_MESSAGES: Record<string, MessageId> = {
  email: 'account.invalid.email',
  password: 'account.passwordHint',
  newPassword: 'account.passwordHint',
  name: 'account.invalid.name',
  timeZone: 'account.invalid.timeZone',
  locale: 'account.invalid.locale',
};

export function useFieldError(problem: Problem | null) {
  const t = useT();
  return (field: string) => (problem?.fields[field] ? t(FIELD_MESSAGES[field] ?? 'account.error') : undefined);
}

export function SignInPage({ brandSlug, brandName }: BrandProps) {
  const t = useT();
  const to = useTo();
  const client = useApolloClient();
  const navigate = useNavigate();
  const { trader, signedIn } = useTraderSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  if (trader) return <Navigate to={to('/accounts')} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { data } = await client.mutate({
        mutation: TraderSignInDocument,
        variables: { brandSlug, email, password },
      });
      if (data) {
        signedIn(data.traderSignIn.trader);
        navigate(to('/accounts'));
      }
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const message =
    problem?.code === 'ACCOUNT_LOCKED'
      ? t('account.signIn.locked', { minutes: minutesToWait(problem.retryAfterSeconds) })
      : problem?.code === 'UNAUTHENTICATED'
        ? t('account.signIn.failed')
        : problem
          ? t('account.error')
          : null;

  return (
    <AccountCard title={t('account.signIn.title', { brand: brandName })} testId="sign-in-page">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {message && (
            <Alert color="red" role="alert" data-testid="sign-in-error" data-code={problem?.code}>
              {message}
            </Alert>
          )}
          <TextInput
            label={t('account.email')}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('account.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy} color="accent" data-testid="sign-in-submit">
            {t('account.signIn.submit')}
          </Button>
          <Group justify="space-between" gap="xs">
            <Anchor component={Link} to={to('/forgot-password')} size="sm">
              {t('account.signIn.forgot')}
            </Anchor>
            <Anchor component={Link} to={to('/sign-up')} size="sm">
              {t('account.signIn.noAccount')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </AccountCard>
  );
}

export function SignUpPage({ brandSlug, brandName, locale }: BrandProps & { locale: AppLocale }) {
  const t = useT();
  const to = useTo();
  const client = useApolloClient();
  const navigate = useNavigate();
  const { trader, signedIn } = useTraderSession();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(problem);

  if (trader) return <Navigate to={to('/accounts')} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { data } = await client.mutate({
        mutation: TraderSignUpDocument,
        // The language the visitor is reading in; the time zone stays the brand's until they choose one.
        variables: { input: { brandSlug, ...form, locale } },
      });
      if (data) {
        signedIn(data.traderSignUp.trader);
        navigate(to('/accounts'));
      }
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const set = (field: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [field]: value }));
  };
  const taken = problem?.code === 'CONFLICT';

  return (
    <AccountCard title={t('account.signUp.title', { brand: brandName })} testId="sign-up-page">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {taken && (
            <Alert color="orange" role="alert" data-testid="sign-up-error">
              {t('account.signUp.taken')}
            </Alert>
          )}
          {problem && !taken && problem.code !== 'BAD_USER_INPUT' && (
            <Alert color="red" role="alert" data-testid="sign-up-error">
              {t('account.error')}
            </Alert>
          )}
          <TextInput
            label={t('account.name')}
            autoComplete="name"
            required
            value={form.name}
            onChange={set('name')}
            error={fieldError('name')}
          />
          <TextInput
            label={t('account.email')}
            type="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
            error={fieldError('email')}
          />
          <PasswordInput
            label={t('account.password')}
            description={t('account.passwordHint')}
            autoComplete="new-password"
            required
            minLength={10}
            value={form.password}
            onChange={set('password')}
            error={fieldError('password')}
          />
          <Button type="submit" loading={busy} color="accent" data-testid="sign-up-submit">
            {t('account.signUp.submit')}
          </Button>
          <Anchor component={Link} to={to('/sign-in')} size="sm">
            {t('account.signUp.haveAccount')}
          </Anchor>
        </Stack>
      </form>
    </AccountCard>
  );
}

// One request per token, even when React runs an effect twice in development.
const verifications = new Map<string, Promise<boolean>>();

export function VerifyEmailPage() {
  const t = useT();
  const to = useTo();
  const client = useApolloClient();
  const { token = '' } = useParams();
  const { refresh } = useTraderSession();
  const [state, setState] = useState<'checking' | 'done' | 'failed'>('checking');

  useEffect(() => {
    let current = true;
    let request = verifications.get(token);
    if (!request) {
      request = client
        .mutate({ mutation: VerifyTraderEmailDocument, variables: { token } })
        .then(({ data }) => data?.verifyTraderEmail === true)
        .catch(() => false);
      verifications.set(token, request);
    }
    void request.then(async (ok) => {
      if (ok) await refresh().catch(() => undefined);
      if (current) setState(ok ? 'done' : 'failed');
    });
    return () => {
      current = false;
    };
  }, [client, token, refresh]);

  return (
    <AccountCard title={t('account.verify.title')} testId="verify-page">
      {state === 'checking' && (
        <Center role="status">
          <Loader size="sm" aria-label={t('account.verify.checking')} />
        </Center>
      )}
      {state === 'done' && (
        <Stack gap="sm" data-testid="verify-done">
          <Alert color="green">{t('account.verify.done')}</Alert>
          <Button component={Link} to={to('/accounts')} color="accent">
            {t('account.verify.continue')}
          </Button>
        </Stack>
      )}
      {state === 'failed' && (
        <Alert color="red" role="alert" data-testid="verify-failed">
          {t('account.verify.failed')}
        </Alert>
      )}
    </AccountCard>
  );
}

export function ForgotPasswordPage({ brandSlug }: { brandSlug: string }) {
  const t = useT();
  const to = useTo();
  const client = useApolloClient();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailed(false);
    try {
      await client.mutate({ mutation: RequestTraderPasswordResetDocument, variables: { brandSlug, email } });
      setSent(email);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AccountCard title={t('account.forgot.title')} testId="forgot-page">
      {sent ? (
        <Alert color="green" data-testid="forgot-sent">
          {t('account.forgot.sent', { email: sent })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text c="dimmed" size="sm">
              {t('account.forgot.body')}
            </Text>
            {failed && (
              <Alert color="red" role="alert">
                {t('account.error')}
              </Alert>
            )}
            <TextInput
              label={t('account.email')}
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} color="accent">
              {t('account.forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to={to('/sign-in')} size="sm">
        {t('account.signUp.haveAccount')}
      </Anchor>
    </AccountCard>
  );
}

export function ResetPasswordPage() {
  const t = useT();
  const to = useTo();
  const client = useApolloClient();
  const { token = '' } = useParams();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(problem);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    setBusy(true);
    try {
      await client.mutate({ mutation: ResetTraderPasswordDocument, variables: { token, newPassword: password } });
      setDone(true);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  const badLink = problem?.fields.token !== undefined;

  return (
    <AccountCard title={t('account.reset.title')} testId="reset-page">
      {done ? (
        <Stack gap="sm" data-testid="reset-done">
          <Alert color="green">{t('account.reset.done')}</Alert>
          <Button component={Link} to={to('/sign-in')} color="accent">
            {t('account.signIn.submit')}
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {badLink && (
              <Alert color="red" role="alert" data-testid="reset-failed">
                {t('account.reset.failed')}{' '}
                <Anchor component={Link} to={to('/forgot-password')}>
                  {t('account.signIn.forgot')}
                </Anchor>
              </Alert>
            )}
            {problem && !badLink && problem.code !== 'BAD_USER_INPUT' && (
              <Alert color="red" role="alert">
                {t('account.error')}
              </Alert>
            )}
            <PasswordInput
              label={t('account.reset.newPassword')}
              description={t('account.passwordHint')}
              autoComplete="new-password"
              required
              minLength={10}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError('newPassword')}
            />
            <PasswordInput
              label={t('account.reset.confirm')}
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              error={mismatch ? t('account.reset.mismatch') : undefined}
            />
            <Button type="submit" loading={busy} color="accent">
              {t('account.reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AccountCard>
  );
}
