import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@apollo/client/react';
import {
  ActionIcon,
  Alert,
  Button,
  Fieldset,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, type FieldPath, useFieldArray, useForm } from 'react-hook-form';
import { type ApiProblem, showServerErrors } from '../api/errors';
import {
  CreateRiskGroupDocument,
  type RiskGroupFieldsFragment,
  RiskGroupsDocument,
  UpdateRiskGroupDocument,
} from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import type { ScopedBrand } from '../ui/brand-scope';
import { ASSET_CLASSES, MAX_LEVERAGE } from './format';
import {
  emptyGroupForm,
  type GroupFormValues,
  groupFields,
  groupFormValues,
  groupSchema,
  toCreateGroupInput,
  toUpdateGroupInput,
} from './group-form';

/** Creates or edits a risk group; the API's field errors land on the matching inputs. */
export function RiskGroupModal({
  brand,
  group,
  opened,
  onClose,
}: {
  brand: ScopedBrand;
  group: RiskGroupFieldsFragment | null;
  opened: boolean;
  onClose(): void;
}) {
  const t = useT();
  const schema = useMemo(() => groupSchema(t), [t]);
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<GroupFormValues>({
    resolver: zodResolver(schema),
    defaultValues: group ? groupFormValues(group) : emptyGroupForm(),
    mode: 'onTouched',
  });
  const overrides = useFieldArray({ control, name: 'symbolLeverage' });
  const [formErrors, setFormErrors] = useState<ApiProblem[]>([]);
  const refetch = { refetchQueries: [{ query: RiskGroupsDocument, variables: { brandId: brand.id } }] };
  const [create] = useMutation(CreateRiskGroupDocument, refetch);
  const [update] = useMutation(UpdateRiskGroupDocument, refetch);

  const close = () => {
    setFormErrors([]);
    onClose();
  };

  const submit = handleSubmit(async (values) => {
    setFormErrors([]);
    try {
      if (group) await update({ variables: { id: group.id, input: toUpdateGroupInput(values) } });
      else await create({ variables: { input: toCreateGroupInput(brand.id, values) } });
      notify({
        color: 'green',
        message: t(group ? 'risk.groups.saved' : 'risk.groups.created', { name: values.name.trim() }),
        'data-testid': 'risk-group-saved',
      });
      close();
    } catch (error) {
      const fields = groupFields(values.symbolLeverage.length);
      setFormErrors(
        showServerErrors(error, fields, (field, e, options) =>
          setError(field as FieldPath<GroupFormValues>, e, options),
        ),
      );
    }
  });

  const leverageInput = (name: FieldPath<GroupFormValues>, label: string, error?: string, ariaLabel?: string) => (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={label}
          aria-label={ariaLabel}
          leftSection={<Text size="sm">1:</Text>}
          min={1}
          max={MAX_LEVERAGE}
          allowDecimal={false}
          allowNegative={false}
          value={field.value as number}
          onChange={(v) => field.onChange(v === '' ? Number.NaN : Number(v))}
          onBlur={field.onBlur}
          error={error}
          required
        />
      )}
    />
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="xl"
      title={
        group ? t('risk.groups.editTitle', { name: group.name }) : t('risk.groups.newTitle', { brand: brand.name })
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="risk-group-modal"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('risk.groupForm.name')} required error={errors.name?.message} {...register('name')} />
            <TextInput
              label={t('risk.groupForm.platformGroup')}
              description={t('risk.groupForm.platformGroupHint')}
              error={errors.platformGroup?.message}
              {...register('platformGroup')}
            />
          </SimpleGrid>

          <Fieldset legend={t('risk.groupForm.leverage')}>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              {ASSET_CLASSES.map((c) => (
                <div key={c}>
                  {leverageInput(`leverage.${c}`, t(`risk.assetClass.${c}`), errors.leverage?.[c]?.message)}
                </div>
              ))}
            </SimpleGrid>
          </Fieldset>

          <Fieldset legend={t('risk.groupForm.overrides')}>
            <Stack gap="xs">
              <Text size="xs" c="dimmed">
                {t('risk.groupForm.overridesHint')}
              </Text>
              {overrides.fields.map((row, index) => (
                <Group key={row.id} align="flex-start" gap="xs" data-testid={`override-${index}`}>
                  <TextInput
                    label={t('risk.groupForm.symbol')}
                    w={160}
                    required
                    error={errors.symbolLeverage?.[index]?.symbol?.message}
                    {...register(`symbolLeverage.${index}.symbol`)}
                  />
                  <div style={{ width: 160 }}>
                    {leverageInput(
                      `symbolLeverage.${index}.leverage`,
                      t('risk.groupForm.symbolLeverage'),
                      errors.symbolLeverage?.[index]?.leverage?.message,
                    )}
                  </div>
                  <ActionIcon
                    variant="subtle"
                    color="red.9"
                    mt={28}
                    onClick={() => overrides.remove(index)}
                    aria-label={t('risk.groupForm.removeOverride', { position: index + 1 })}
                  >
                    ✕
                  </ActionIcon>
                </Group>
              ))}
              {errors.symbolLeverage?.message && (
                <Text size="sm" c="red.9" role="alert">
                  {errors.symbolLeverage.message}
                </Text>
              )}
              <Group>
                <Button variant="default" size="xs" onClick={() => overrides.append({ symbol: '', leverage: 10 })}>
                  {t('risk.groupForm.addOverride')}
                </Button>
              </Group>
            </Stack>
          </Fieldset>

          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('risk.groupForm.marginCallLevel')}
              description={t('risk.groupForm.marginCallHint')}
              rightSection={<Text size="sm">%</Text>}
              inputMode="decimal"
              required
              error={errors.marginCallLevel?.message}
              {...register('marginCallLevel')}
            />
            <TextInput
              label={t('risk.groupForm.stopOutLevel')}
              description={t('risk.groupForm.stopOutHint')}
              rightSection={<Text size="sm">%</Text>}
              inputMode="decimal"
              required
              error={errors.stopOutLevel?.message}
              {...register('stopOutLevel')}
            />
          </SimpleGrid>

          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Controller
              control={control}
              name="hedging"
              render={({ field }) => (
                <Stack gap={4}>
                  <Text size="sm" fw={500} id="group-hedging-label">
                    {t('risk.groupForm.hedging')}
                  </Text>
                  <SegmentedControl
                    aria-labelledby="group-hedging-label"
                    data={[
                      { value: 'HEDGING', label: t('risk.hedging.HEDGING') },
                      { value: 'NETTING', label: t('risk.hedging.NETTING') },
                    ]}
                    value={field.value}
                    onChange={field.onChange}
                  />
                </Stack>
              )}
            />
            <Controller
              control={control}
              name="book"
              render={({ field }) => (
                <Select
                  label={t('risk.groupForm.book')}
                  data={(['A', 'B', 'BY_RULE'] as const).map((b) => ({ value: b, label: t(`risk.bookPolicy.${b}`) }))}
                  value={field.value}
                  onChange={(v) => v && field.onChange(v)}
                  allowDeselect={false}
                  error={errors.book?.message}
                />
              )}
            />
            <Controller
              control={control}
              name="negativeBalanceProtection"
              render={({ field }) => (
                <Switch
                  mt={28}
                  label={t('risk.groupForm.protection')}
                  checked={field.value}
                  onChange={(e) => field.onChange(e.currentTarget.checked)}
                  error={errors.negativeBalanceProtection?.message}
                />
              )}
            />
          </SimpleGrid>

          {formErrors.length > 0 && (
            <Alert color="red" role="alert" title={t('risk.groups.saveFailed')}>
              {formErrors.map((p) => p.message).join(' · ')}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSubmitting} data-testid="save-risk-group">
              {t('risk.groups.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
