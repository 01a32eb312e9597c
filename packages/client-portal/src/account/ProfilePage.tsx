import { useApolloClient } from '@apollo/client/react';
import { Alert, Box, Button, Card, Container, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { type Problem, problemOf } from '../api/problems';
import { type TraderFieldsFragment, UpdateMyProfileDocument } from '../gql/graphql';
import { type AppLocale, nativeLanguageName } from '../i18n/locales';
import { useT } from '../i18n/useT';
import { useFieldError } from './AuthPages';
import { useTraderSession } from './session';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/** `/profile`: the trader's name, language and time zone (the brand's until they choose). */
export function ProfilePage({ trader, locales }: { trader: TraderFieldsFragment; locales: AppLocale[] }) {
  const t = useT();
  const client = useApolloClient();
  const { updated } = useTraderSession();
  const [form, setForm] = useState({ name: trader.name, locale: trader.locale, timeZone: trader.timeZone });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(problem);
  const zones = useMemo(
    () => (TIME_ZONES.includes(trader.timeZone) ? TIME_ZONES : [trader.timeZone, ...TIME_ZONES]),
    [trader.timeZone],
  );

  useEffect(() => {
    document.title = t('account.profile.title');
  }, [t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setSaved(false);
    try {
      const { data } = await client.mutate({ mutation: UpdateMyProfileDocument, variables: { input: form } });
      if (data) {
        updated(data.updateMyProfile);
        setSaved(true);
      }
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="main" py={{ base: 32, sm: 56 }}>
      <Container size={560}>
        <Card withBorder radius="md" padding="xl" data-testid="profile-page">
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <Title order={1} size="h2">
                {t('account.profile.title')}
              </Title>
              {saved && (
                <Alert color="green" role="status" data-testid="profile-saved">
                  {t('account.profile.saved')}
                </Alert>
              )}
              {problem && problem.code !== 'BAD_USER_INPUT' && (
                <Alert color="red" role="alert">
                  {t('account.error')}
                </Alert>
              )}
              <TextInput label={t('account.email')} value={trader.email} readOnly variant="filled" />
              <TextInput
                label={t('account.name')}
                autoComplete="name"
                required
                value={form.name}
                onChange={(e) => {
                  const name = e.currentTarget.value;
                  setForm((f) => ({ ...f, name }));
                }}
                error={fieldError('name')}
              />
              <NativeSelect
                label={t('account.profile.language')}
                data-testid="profile-locale"
                value={form.locale}
                onChange={(e) => {
                  const locale = e.currentTarget.value;
                  setForm((f) => ({ ...f, locale }));
                }}
                data={locales.map((code) => ({ value: code, label: nativeLanguageName(code) }))}
                error={fieldError('locale')}
              />
              <NativeSelect
                label={t('account.profile.timeZone')}
                description={t('account.profile.timeZoneHint')}
                data-testid="profile-time-zone"
                value={form.timeZone}
                onChange={(e) => {
                  const timeZone = e.currentTarget.value;
                  setForm((f) => ({ ...f, timeZone }));
                }}
                data={zones}
                error={fieldError('timeZone')}
              />
              <Button type="submit" loading={busy} color="accent" data-testid="profile-save">
                {t('account.profile.save')}
              </Button>
            </Stack>
          </form>
        </Card>
      </Container>
    </Box>
  );
}
