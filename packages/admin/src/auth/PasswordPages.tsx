import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiProblems } from '../api/errors';
import {
  AcceptStaffInviteDocument,
  RequestStaffPasswordResetDocument,
  ResetStaffPasswordDocument,
} from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { AuthCard } from './AuthCard';

const MIN_PASSWORD = 10;

function Problems({ error }: { error: unknown }) {
  const problems = apiProblems(error);
  if (problems.length === 0) return null;
  return (
    <Alert color="red" role="alert">
      {problems.map((p) => p.message).join(' · ')}
    </Alert>
  );
}

function SignInLink() {
  const t = useT();
  return (
    <Anchor component={Link} to="/login" size="sm">
      {t('password.toSignIn')}
    </Anchor>
  );
}

/** A new password, typed twice, at least ten characters; `onSubmit` gets it once both agree. */
function NewPassword({
  label,
  loading,
  onSubmit,
  children,
}: {
  label: string;
  loading: boolean;
  onSubmit: (password: string) => void;
  children?: React.ReactNode;
}) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (password.length < MIN_PASSWORD) return setProblem(t('password.tooShort', { min: MIN_PASSWORD }));
        if (password !== again) return setProblem(t('password.mismatch'));
        setProblem(null);
        onSubmit(password);
      }}
    >
      <Stack>
        {children}
        <PasswordInput
          label={t('password.new')}
          description={t('password.rule', { min: MIN_PASSWORD })}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={problem && password.length < MIN_PASSWORD ? problem : undefined}
        />
        <PasswordInput
          label={t('password.again')}
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.currentTarget.value)}
          error={problem && password.length >= MIN_PASSWORD ? problem : undefined}
        />
        <Button type="submit" loading={loading}>
          {label}
        </Button>
      </Stack>
    </form>
  );
}

/** `/invite/:token`: the link of an invite email; the new member chooses a password (and may fix their name). */
export function AcceptInvitePage() {
  const t = useT();
  const { token = '' } = useParams();
  const [name, setName] = useState('');
  const [accept, { data, loading, error }] = useMutation(AcceptStaffInviteDocument);
  return (
    <AuthCard title={t('invite.title')} subtitle={t('invite.subtitle')}>
      {data?.acceptStaffInvite ? (
        <Stack>
          <Alert color="green" role="status">
            {t('invite.done')}
          </Alert>
          <SignInLink />
        </Stack>
      ) : (
        <NewPassword
          label={t('invite.submit')}
          loading={loading}
          onSubmit={(password) =>
            void accept({ variables: { token, password, name: name.trim() || null } }).catch(() => undefined)
          }
        >
          <Problems error={error} />
          <TextInput
            label={t('invite.name')}
            description={t('invite.nameHint')}
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
        </NewPassword>
      )}
    </AuthCard>
  );
}

/** `/reset/:token`: the link of a reset email. Every session of the member ends. */
export function ResetPasswordPage() {
  const t = useT();
  const { token = '' } = useParams();
  const [reset, { data, loading, error }] = useMutation(ResetStaffPasswordDocument);
  return (
    <AuthCard title={t('reset.title')}>
      {data?.resetStaffPassword ? (
        <Stack>
          <Alert color="green" role="status">
            {t('reset.done')}
          </Alert>
          <SignInLink />
        </Stack>
      ) : (
        <NewPassword
          label={t('reset.submit')}
          loading={loading}
          onSubmit={(newPassword) => void reset({ variables: { token, newPassword } }).catch(() => undefined)}
        >
          <Problems error={error} />
        </NewPassword>
      )}
    </AuthCard>
  );
}

/** `/forgot`: asks for a reset link. The answer is the same whether or not the email is a member's. */
export function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [request, { data, loading, error }] = useMutation(RequestStaffPasswordResetDocument);
  return (
    <AuthCard title={t('forgot.title')} subtitle={t('forgot.subtitle')}>
      {data?.requestStaffPasswordReset ? (
        <Stack>
          <Alert color="green" role="status">
            {t('forgot.sent')}
          </Alert>
          <SignInLink />
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (email.trim()) void request({ variables: { email: email.trim() } }).catch(() => undefined);
          }}
        >
          <Stack>
            <Problems error={error} />
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <Button type="submit" loading={loading}>
              {t('forgot.submit')}
            </Button>
            <Text size="sm">
              <SignInLink />
            </Text>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
