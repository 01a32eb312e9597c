import { useMutation } from '@apollo/client/react';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Autocomplete,
  Badge,
  Box,
  Button,
  ColorInput,
  Fieldset,
  FileButton,
  Grid,
  Group,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { type ApiProblem, apiProblems, mapFieldErrors } from '../api/errors';
import {
  ArchiveBrandDocument,
  type BrandFieldsFragment,
  CreateBrandDocument,
  RestoreBrandDocument,
  UpdateBrandDocument,
  UploadBrandLogoDocument,
} from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { languageName } from '../i18n/locales';
import {
  BRAND_FIELDS,
  type BrandFormValues,
  brandSchema,
  brandToForm,
  defaultAfterLocalesChange,
  emptyBrand,
  slugify,
  toCreateInput,
  toUpdateInput,
} from './brand-form';
import { BrandPreview } from './BrandPreview';
import { forgetBrandLists } from './cache';
import { checkLogo, fileToBase64, LOGO_TYPES } from './logo';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const CURRENCIES = Intl.supportedValuesOf('currency');
const SWATCHES = ['#1c7ed6', '#1c5bd6', '#0b7a53', '#2f9e44', '#c2255c', '#e03131', '#f59f00', '#7048e8', '#212529'];

interface PendingLogo {
  file: File;
  dataUrl: string;
}

const readDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * Create or edit one brand, with a live preview of its portal header. Codes, colours, URLs and host
 * names are typed left to right (`dir="ltr"`) even when the console is in Arabic.
 */
export function BrandForm({
  brand,
  supportedLocales,
}: {
  brand: BrandFieldsFragment | null;
  supportedLocales: string[];
}) {
  const t = useT();
  const { locale: uiLocale } = useLocale();
  const navigate = useNavigate();

  // What the form was last loaded or saved with: updates send only the differences from it.
  const [baseline, setBaseline] = useState<BrandFormValues>(() => (brand ? brandToForm(brand) : emptyBrand()));
  const schema = useMemo(() => brandSchema(t), [t]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    setValue,
    getValues,
    reset,
    resetField,
    formState: { errors, isSubmitting },
  } = useForm<BrandFormValues>({ resolver: zodResolver(schema), defaultValues: baseline, mode: 'onTouched' });
  const values = useWatch({ control }) as BrandFormValues;

  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const [pendingLogo, setPendingLogo] = useState<PendingLogo | null>(null);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const slugEdited = useRef(Boolean(brand));
  const resetFile = useRef<() => void>(null);

  const mutationOptions = { update: forgetBrandLists };
  const [createBrand] = useMutation(CreateBrandDocument, mutationOptions);
  const [updateBrand] = useMutation(UpdateBrandDocument, mutationOptions);
  const [uploadLogo] = useMutation(UploadBrandLogoDocument, mutationOptions);
  const [archiveBrand, archiving] = useMutation(ArchiveBrandDocument, mutationOptions);
  const [restoreBrand, restoring] = useMutation(RestoreBrandDocument, mutationOptions);

  const localeOptions = useMemo(
    () =>
      [...new Set([...supportedLocales, ...(values.locales ?? [])])].map((code) => ({
        value: code,
        label: `${languageName(code, uiLocale)} (${code})`,
      })),
    [supportedLocales, values.locales, uiLocale],
  );
  const defaultLocaleOptions = localeOptions.filter((o) => values.locales?.includes(o.value));
  const timeZones = useMemo(
    () => (values.timeZone && !TIME_ZONES.includes(values.timeZone) ? [values.timeZone, ...TIME_ZONES] : TIME_ZONES),
    [values.timeZone],
  );

  const showServerErrors = (error: unknown) => {
    const { fieldErrors, formErrors: rest } = mapFieldErrors(apiProblems(error), BRAND_FIELDS);
    let first = true;
    for (const field of BRAND_FIELDS) {
      const message = fieldErrors[field];
      if (!message) continue;
      setError(field, { type: 'server', message }, { shouldFocus: first });
      first = false;
    }
    // Field problems sit under their fields (the first one takes focus); the rest above the buttons.
    setFormErrors(rest.map((p) => ({ ...p, fields: [] })));
  };

  /** Upload a logo to a saved brand; returns the brand as the API has it afterwards. */
  const upload = async (id: string, file: File) => {
    setUploading(true);
    try {
      const { data } = await uploadLogo({
        variables: { id, file: { contentType: file.type, base64: await fileToBase64(file) } },
      });
      return data?.uploadBrandLogo ?? null;
    } finally {
      setUploading(false);
    }
  };

  const adopt = (saved: BrandFieldsFragment) => {
    const next = brandToForm(saved);
    setBaseline(next);
    reset(next);
  };

  const onSubmit = handleSubmit(async (v) => {
    setFormErrors([]);
    let saved: BrandFieldsFragment | undefined;
    try {
      if (brand) {
        const { data } = await updateBrand({ variables: { id: brand.id, input: toUpdateInput(v, baseline) } });
        saved = data?.updateBrand;
      } else {
        const { data } = await createBrand({ variables: { input: toCreateInput(v) } });
        saved = data?.createBrand;
      }
    } catch (error) {
      showServerErrors(error);
      return;
    }
    if (!saved) return;
    notifications.show({ color: 'green', message: t('editor.saved') });
    if (pendingLogo) {
      try {
        saved = (await upload(saved.id, pendingLogo.file)) ?? saved;
        setPendingLogo(null);
      } catch (error) {
        setLogoError(apiProblems(error)[0]?.message ?? t('editor.logo.failed'));
      }
    }
    adopt(saved);
    if (!brand) navigate(`/brands/${saved.id}`, { replace: true });
  });

  const onLogoFile = async (file: File | null) => {
    resetFile.current?.();
    if (!file) return;
    setLogoError(null);
    const problem = checkLogo(file);
    if (problem) {
      setLogoError(t(problem === 'tooBig' ? 'editor.logo.tooBig' : 'editor.logo.wrongType'));
      return;
    }
    if (!brand) {
      setPendingLogo({ file, dataUrl: await readDataUrl(file) });
      return;
    }
    try {
      const saved = await upload(brand.id, file);
      if (!saved) return;
      const logoUrl = saved.logoUrl ?? '';
      setBaseline((b) => ({ ...b, logoUrl }));
      resetField('logoUrl', { defaultValue: logoUrl });
      notifications.show({ color: 'green', message: t('editor.logo.uploaded') });
    } catch (error) {
      setLogoError(apiProblems(error)[0]?.message ?? t('editor.logo.failed'));
    }
  };

  const setStatus = async (action: 'archive' | 'restore') => {
    if (!brand) return;
    try {
      const { data } =
        action === 'archive'
          ? await archiveBrand({ variables: { id: brand.id } })
          : await restoreBrand({ variables: { id: brand.id } });
      if (data) notifications.show({ message: t(action === 'archive' ? 'editor.archived' : 'editor.restored') });
    } catch (error) {
      notifications.show({ color: 'red', title: t('common.errorTitle'), message: apiProblems(error)[0]?.message });
    }
  };

  const nameField = register('name');
  const archived = brand?.status === 'ARCHIVED';
  const previewLogo = pendingLogo?.dataUrl ?? (values.logoUrl?.trim() || null);

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={2}>{brand ? t('editor.editTitle', { name: brand.name }) : t('editor.newTitle')}</Title>
        {brand && (
          <Badge color={archived ? 'gray' : 'green'} variant="light" tt="none" data-testid="brand-status">
            {t(`brands.status.${brand.status}`)}
          </Badge>
        )}
      </Group>
      {archived && (
        <Alert color="gray" data-testid="archived-notice">
          {t('editor.archivedNotice')}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <form onSubmit={onSubmit} noValidate data-testid="brand-form">
            <Stack>
              <Fieldset legend={t('editor.section.identity')}>
                <Stack>
                  <TextInput
                    label={t('editor.field.name')}
                    error={errors.name?.message}
                    {...nameField}
                    onChange={(event) => {
                      void nameField.onChange(event);
                      if (!slugEdited.current) setValue('slug', slugify(event.currentTarget.value));
                    }}
                  />
                  <TextInput
                    label={t('editor.field.slug')}
                    description={t('editor.field.slugHint')}
                    error={errors.slug?.message}
                    spellCheck={false}
                    autoCapitalize="none"
                    dir="ltr"
                    {...register('slug', { onChange: () => (slugEdited.current = true) })}
                  />
                  <TextInput
                    label={t('editor.field.logoUrl')}
                    description={t('editor.field.logoUrlHint')}
                    error={errors.logoUrl?.message}
                    inputMode="url"
                    dir="ltr"
                    {...register('logoUrl')}
                  />
                  <Group gap="sm">
                    <FileButton
                      onChange={(file) => void onLogoFile(file)}
                      accept={LOGO_TYPES.join(',')}
                      resetRef={resetFile}
                    >
                      {(props) => (
                        <Button {...props} variant="default" size="xs" loading={uploading} data-testid="logo-upload">
                          {t('editor.logo.upload')}
                        </Button>
                      )}
                    </FileButton>
                    {pendingLogo && (
                      <Text size="xs" c="dimmed">
                        {t('editor.logo.pending', { file: pendingLogo.file.name })}
                      </Text>
                    )}
                  </Group>
                  {logoError && (
                    <Text size="sm" c="red" role="alert" data-testid="logo-error">
                      {logoError}
                    </Text>
                  )}
                </Stack>
              </Fieldset>

              <Fieldset legend={t('editor.section.look')}>
                <Group grow align="flex-start">
                  <Controller
                    control={control}
                    name="colors.primary"
                    render={({ field }) => (
                      <ColorInput
                        label={t('editor.field.primary')}
                        format="hex"
                        dir="ltr"
                        swatches={SWATCHES}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        ref={field.ref}
                        error={errors.colors?.primary?.message}
                      />
                    )}
                  />
                  <Controller
                    control={control}
                    name="colors.accent"
                    render={({ field }) => (
                      <ColorInput
                        label={t('editor.field.accent')}
                        format="hex"
                        dir="ltr"
                        swatches={SWATCHES}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        ref={field.ref}
                        error={errors.colors?.accent?.message}
                      />
                    )}
                  />
                </Group>
              </Fieldset>

              <Fieldset legend={t('editor.section.locale')}>
                <Stack>
                  <Controller
                    control={control}
                    name="locales"
                    render={({ field }) => (
                      <MultiSelect
                        label={t('editor.field.locales')}
                        data={localeOptions}
                        value={field.value}
                        onChange={(next) => {
                          field.onChange(next);
                          const current = getValues('defaultLocale');
                          const fallback = defaultAfterLocalesChange(next, current);
                          if (fallback !== current) setValue('defaultLocale', fallback, { shouldDirty: true });
                        }}
                        onBlur={field.onBlur}
                        ref={field.ref}
                        error={errors.locales?.message}
                        hidePickedOptions
                      />
                    )}
                  />
                  <Controller
                    control={control}
                    name="defaultLocale"
                    render={({ field }) => (
                      <Select
                        label={t('editor.field.defaultLocale')}
                        data={defaultLocaleOptions}
                        value={field.value || null}
                        onChange={(next) => field.onChange(next ?? '')}
                        onBlur={field.onBlur}
                        ref={field.ref}
                        error={errors.defaultLocale?.message}
                        allowDeselect={false}
                      />
                    )}
                  />
                  <Group grow align="flex-start">
                    <Controller
                      control={control}
                      name="currency"
                      render={({ field }) => (
                        <Autocomplete
                          label={t('editor.field.currency')}
                          description={t('editor.field.currencyHint')}
                          data={CURRENCIES}
                          limit={30}
                          openOnFocus={false}
                          maxLength={3}
                          dir="ltr"
                          value={field.value}
                          onChange={(next) => field.onChange(next.toUpperCase())}
                          onBlur={field.onBlur}
                          ref={field.ref}
                          error={errors.currency?.message}
                        />
                      )}
                    />
                    <Controller
                      control={control}
                      name="timeZone"
                      render={({ field }) => (
                        <Autocomplete
                          label={t('editor.field.timeZone')}
                          description={t('editor.field.timeZoneHint')}
                          data={timeZones}
                          limit={50}
                          openOnFocus={false}
                          value={field.value}
                          onChange={field.onChange}
                          onBlur={field.onBlur}
                          ref={field.ref}
                          error={errors.timeZone?.message}
                          spellCheck={false}
                          dir="ltr"
                        />
                      )}
                    />
                  </Group>
                </Stack>
              </Fieldset>

              <Fieldset legend={t('editor.section.access')}>
                <Controller
                  control={control}
                  name="hosts"
                  render={({ field }) => (
                    <TagsInput
                      label={t('editor.field.hosts')}
                      description={t('editor.field.hostsHint')}
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      ref={field.ref}
                      error={errors.hosts?.message}
                      splitChars={[',', ' ']}
                      dir="ltr"
                      clearable
                    />
                  )}
                />
              </Fieldset>

              {formErrors.length > 0 && (
                <Alert color="red" title={t('editor.saveFailed')} role="alert" data-testid="form-error">
                  {formErrors.map((p) => (
                    <Text key={p.message} size="sm">
                      {p.message}
                    </Text>
                  ))}
                </Alert>
              )}

              <Group justify="space-between">
                <Button type="submit" loading={isSubmitting}>
                  {t('editor.save')}
                </Button>
                {brand &&
                  (archived ? (
                    <Button variant="light" onClick={() => void setStatus('restore')} loading={restoring.loading}>
                      {t('editor.restore')}
                    </Button>
                  ) : (
                    <Button
                      variant="light"
                      color="red"
                      onClick={() => void setStatus('archive')}
                      loading={archiving.loading}
                    >
                      {t('editor.archive')}
                    </Button>
                  ))}
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Box pos="sticky" top={72}>
            <Stack gap="xs">
              <Title order={4}>{t('preview.title')}</Title>
              <Text size="sm" c="dimmed">
                {t('preview.hint')}
              </Text>
              <BrandPreview
                brand={{
                  name: values.name ?? '',
                  primary: values.colors?.primary ?? '',
                  accent: values.colors?.accent ?? '',
                  logoUrl: previewLogo,
                  defaultLocale: values.defaultLocale ?? 'en',
                }}
              />
            </Stack>
          </Box>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
