import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { type ApiProblem, apiProblems, showServerErrors } from '../api/errors';
import {
  type ApiKeyFieldsFragment,
  ApiKeysDocument,
  CreateApiKeyDocument,
  MeDocument,
  RevokeApiKeyDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import {
  API_SCOPES,
  canManageKeys,
  curlExample,
  emptyKeyForm,
  KEY_FIELDS,
  type KeyFormValues,
  keySchema,
  MAX_RATE_PER_MINUTE,
  SCOPE_HINTS,
  toCreateInput,
} from './api-keys';

type Key = ApiKeyFieldsFragment;

/** `/brands/:brandId/api-keys`: a brand's partner API keys (OWNER and ADMIN of the brand). */
export function ApiKeysPage() {
  const t = useT();
  const me = useQuery(MeDocument, { fetchPolicy: 'cache-first' }).data?.me;
  const [creating, setCreating] = useState(false);
  return (
    <BrandScopedPage
      section="api-keys"
      title={t('apiKeys.title')}
      subtitle={t('apiKeys.subtitle')}
      actions={(brand) =>
        me && canManageKeys(me.grants, brand.id) ? (
          <Button onClick={() => setCreating(true)} data-testid="create-api-key">
            {t('apiKeys.create')}
          </Button>
        ) : null
      }
    >
      {(brand) =>
        me && !canManageKeys(me.grants, brand.id) ? (
          <EmptyState title={t('apiKeys.notAllowed')}>{t('apiKeys.notAllowedHint')}</EmptyState>
        ) : (
          <>
            <KeyList key={brand.id} brand={brand} />
            <CreateKeyModal opened={creating} onClose={() => setCreating(false)} brand={brand} />
          </>
        )
      }
    </BrandScopedPage>
  );
}

function KeyList({ brand }: { brand: ScopedBrand }) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(ApiKeysDocument, {
    variables: { brandId: brand.id },
    fetchPolicy: 'cache-and-network',
  });
  const [revoking, setRevoking] = useState<Key | null>(null);
  const keys = data?.apiKeys;
  if (!keys && loading) return <LoadingState />;
  if (!keys) return <ErrorState title={t('apiKeys.loadFailed')} error={error} onRetry={() => void refetch()} />;
  if (keys.length === 0) return <EmptyState title={t('apiKeys.empty')}>{t('apiKeys.emptyHint')}</EmptyState>;
  const when = (value: string | null | undefined) =>
    value ? formatTimestamp(value, locale, brand.timeZone) : t('apiKeys.never');

  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover data-testid="api-keys-table" aria-label={t('apiKeys.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.column.name')}</Table.Th>
              <Table.Th>{t('apiKeys.column.key')}</Table.Th>
              <Table.Th>{t('apiKeys.column.scopes')}</Table.Th>
              <Table.Th>{t('apiKeys.column.rate')}</Table.Th>
              <Table.Th>{t('apiKeys.column.created')}</Table.Th>
              <Table.Th>{t('apiKeys.column.lastUsed')}</Table.Th>
              <Table.Th>{t('apiKeys.column.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => (
              <Table.Tr key={key.id} data-testid={`api-key-${key.prefix}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {key.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code>{`bdk_${key.prefix}_…`}</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {key.scopes.map((scope) => (
                      <Badge key={scope} size="sm" variant="light" tt="none">
                        {scope}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('apiKeys.perMinute', { count: key.ratePerMinute })}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{when(key.createdAt)}</Text>
                  <Text size="xs" c="dimmed">
                    {key.createdBy ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{when(key.lastUsedAt)}</Text>
                </Table.Td>
                <Table.Td>
                  {key.revokedAt ? (
                    <Stack gap={0}>
                      <Badge color="gray" variant="light">
                        {t('apiKeys.revoked')}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {when(key.revokedAt)}
                      </Text>
                    </Stack>
                  ) : (
                    <Group gap="xs" wrap="nowrap">
                      <Badge color="green" variant="light">
                        {t('apiKeys.active')}
                      </Badge>
                      <Button
                        size="compact-sm"
                        variant="light"
                        color="red"
                        onClick={() => setRevoking(key)}
                        aria-label={t('apiKeys.revokeAria', { name: key.name })}
                        data-testid="revoke-api-key"
                      >
                        {t('apiKeys.revoke')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <RevokeModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeModal({ apiKey, onClose }: { apiKey: Key | null; onClose(): void }) {
  const t = useT();
  const [revoke, { loading }] = useMutation(RevokeApiKeyDocument);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => {
    setProblem(null);
    onClose();
  };
  const confirm = async () => {
    if (!apiKey) return;
    try {
      // The answer updates the cached row (same id): the list shows it revoked at once.
      await revoke({ variables: { id: apiKey.id } });
      notify({ color: 'green', message: t('apiKeys.revokedNotice', { name: apiKey.name }) });
      close();
    } catch (error) {
      setProblem(apiProblems(error)[0]?.message ?? t('common.errorTitle'));
    }
  };
  return (
    <Modal
      opened={apiKey !== null}
      onClose={close}
      title={t('apiKeys.revokeTitle', { name: apiKey?.name ?? '' })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="revoke-api-key-modal"
    >
      <Stack>
        <Text size="sm">{t('apiKeys.revokeBody')}</Text>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={loading} data-testid="confirm-revoke">
            {t('apiKeys.revokeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CreateKeyModal({ opened, onClose, brand }: { opened: boolean; onClose(): void; brand: ScopedBrand }) {
  const t = useT();
  const schema = useMemo(() => keySchema(t), [t]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<KeyFormValues>({ resolver: zodResolver(schema), defaultValues: emptyKeyForm(), mode: 'onTouched' });
  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [create] = useMutation(CreateApiKeyDocument, {
    refetchQueries: [{ query: ApiKeysDocument, variables: { brandId: brand.id } }],
    awaitRefetchQueries: true,
  });

  const close = () => {
    // The key leaves memory with the dialog: it cannot be shown again.
    setCreated(null);
    reset(emptyKeyForm());
    setFormErrors([]);
    onClose();
  };

  const submit = handleSubmit(async (values) => {
    setFormErrors([]);
    try {
      const { data } = await create({ variables: { input: toCreateInput(brand.id, values) } });
      if (data) setCreated({ key: data.createApiKey.key, name: data.createApiKey.apiKey.name });
    } catch (error) {
      setFormErrors(showServerErrors(error, KEY_FIELDS, setError));
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        created ? t('apiKeys.createdTitle', { name: created.name }) : t('apiKeys.createTitle', { brand: brand.name })
      }
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      closeOnClickOutside={!created}
      data-testid="create-api-key-modal"
    >
      {created ? (
        <Stack>
          <Alert color="yellow" title={t('apiKeys.onceTitle')} role="alert">
            {t('apiKeys.onceBody')}
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="new-api-key">
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'light' : 'filled'} color={copied ? 'green' : undefined} onClick={copy}>
                  {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            {t('apiKeys.tryIt')}
          </Text>
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {curlExample(window.location.origin, created.key, brand.id)}
          </Code>
          <Group justify="flex-end">
            <Button onClick={close} data-testid="close-new-key">
              {t('apiKeys.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <TextInput
              label={t('apiKeys.form.name')}
              description={t('apiKeys.form.nameHint')}
              required
              autoComplete="off"
              error={errors.name?.message}
              {...register('name')}
            />
            <Controller
              control={control}
              name="scopes"
              render={({ field }) => (
                <Checkbox.Group
                  label={t('apiKeys.form.scopes')}
                  description={t('apiKeys.form.scopesHint')}
                  required
                  value={field.value}
                  onChange={(next) => field.onChange(next)}
                  error={errors.scopes?.message}
                >
                  <Stack gap="xs" mt="xs">
                    {API_SCOPES.map((scope) => (
                      <Checkbox
                        key={scope}
                        value={scope}
                        label={<Code>{scope}</Code>}
                        description={t(SCOPE_HINTS[scope])}
                        data-testid={`scope-${scope}`}
                      />
                    ))}
                  </Stack>
                </Checkbox.Group>
              )}
            />
            <Controller
              control={control}
              name="ratePerMinute"
              render={({ field }) => (
                <NumberInput
                  label={t('apiKeys.form.rate')}
                  description={t('apiKeys.form.rateHint')}
                  min={1}
                  max={MAX_RATE_PER_MINUTE}
                  allowDecimal={false}
                  allowNegative={false}
                  value={field.value}
                  onChange={(next) => field.onChange(typeof next === 'number' ? next : Number.NaN)}
                  onBlur={field.onBlur}
                  error={errors.ratePerMinute?.message}
                  w={220}
                />
              )}
            />
            {formErrors.map((p) => (
              <Alert key={p.message} color="red" role="alert">
                {p.message}
              </Alert>
            ))}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={isSubmitting} data-testid="submit-api-key">
                {t('apiKeys.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
