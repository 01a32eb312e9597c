import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { type ApiProblem, showServerErrors } from '../api/errors';
import { ConnectMt5PlatformDocument, PlatformsDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import type { ScopedBrand } from '../ui/brand-scope';
import { emptyMt5Form, MT5_FIELDS, type Mt5FormValues, mt5Schema, toMt5Input } from './mt5-form';

/** "Connect MT5 server": the API checks the credentials against the server before it saves anything. */
export function ConnectMt5Modal({ opened, onClose, brand }: { opened: boolean; onClose(): void; brand: ScopedBrand }) {
  const t = useT();
  const schema = useMemo(() => mt5Schema(t), [t]);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Mt5FormValues>({ resolver: zodResolver(schema), defaultValues: emptyMt5Form(), mode: 'onTouched' });
  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const [connect] = useMutation(ConnectMt5PlatformDocument, {
    refetchQueries: [{ query: PlatformsDocument, variables: { brandId: brand.id } }],
  });

  const close = () => {
    reset(emptyMt5Form());
    setFormErrors([]);
    onClose();
  };

  const submit = handleSubmit(async (values) => {
    setFormErrors([]);
    try {
      const { data } = await connect({ variables: { input: toMt5Input(brand.id, values) } });
      if (!data?.connectMt5Platform) return;
      notify({ color: 'green', message: t('mt5.connected', { name: data.connectMt5Platform.name }) });
      close();
    } catch (error) {
      setFormErrors(showServerErrors(error, MT5_FIELDS, setError));
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('mt5.title', { brand: brand.name })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="connect-mt5-modal"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('mt5.intro')}
          </Text>
          <TextInput label={t('mt5.name')} required error={errors.name?.message} {...register('name')} />
          <TextInput
            label={t('mt5.url')}
            description={t('mt5.urlHint')}
            required
            error={errors.url?.message}
            {...register('url')}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('mt5.managerLogin')}
              required
              inputMode="numeric"
              autoComplete="off"
              error={errors.managerLogin?.message}
              {...register('managerLogin')}
            />
            <PasswordInput
              label={t('mt5.password')}
              description={t('mt5.passwordHint')}
              required
              autoComplete="new-password"
              error={errors.password?.message}
              {...register('password')}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label={t('mt5.server')}
              description={t('mt5.serverHint')}
              error={errors.server?.message}
              {...register('server')}
            />
            <TextInput
              label={t('mt5.accountGroup')}
              description={t('mt5.accountGroupHint')}
              required
              error={errors.accountGroup?.message}
              {...register('accountGroup')}
            />
          </Group>
          <Textarea
            label={t('mt5.caCertificate')}
            description={t('mt5.caCertificateHint')}
            autosize
            minRows={2}
            maxRows={6}
            styles={{ input: { fontFamily: 'monospace' } }}
            error={errors.caCertificate?.message}
            {...register('caCertificate')}
          />
          <Textarea
            label={t('mt5.settings')}
            description={t('mt5.settingsHint')}
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'monospace' } }}
            error={errors.settings?.message}
            {...register('settings')}
          />
          {formErrors.length > 0 && (
            <Alert color="red" role="alert" title={t('mt5.failed')}>
              {formErrors.map((p) => p.message).join(' · ')}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSubmitting}>
              {t('mt5.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
