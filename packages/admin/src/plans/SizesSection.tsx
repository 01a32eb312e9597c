import { ActionIcon, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { FormDecimal, FormSelect, FormText, useFieldError } from './fields';
import { formatMoney } from './format';
import { useEnumOptions } from './PhaseEditor';
import { newSize, OVERRIDABLE_AMOUNTS, type PlanBrand, type PlanForm } from './plan-form';

/** Account sizes: balance, price and currency, and per size the absolute amounts that differ. */
export function SizesSection({ brand }: { brand: PlanBrand }) {
  const t = useT();
  const { control } = useFormContext<PlanForm>();
  const sizes = useFieldArray({ control, name: 'sizes', keyName: 'key' });
  const sectionError = useFieldError('sizesError');
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('plan.sizes.hint')}
      </Text>
      {sectionError && (
        <Text c="red" size="sm" role="alert">
          {sectionError}
        </Text>
      )}
      {sizes.fields.map((size, i) => (
        <SizeCard key={size.key} index={i} onRemove={sizes.fields.length > 1 ? () => sizes.remove(i) : undefined} />
      ))}
      <Group>
        <Button variant="light" onClick={() => sizes.append(newSize(brand))}>
          {t('plan.sizes.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function SizeCard({ index, onRemove }: { index: number; onRemove?: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const options = useEnumOptions();
  const { control } = useFormContext<PlanForm>();
  const overrides = useFieldArray({ control, name: `sizes.${index}.overrides` });
  const size = useWatch({ control, name: `sizes.${index}` });
  const phases = useWatch({ control, name: 'phases' });
  const n = index + 1;
  const title =
    size?.balance && Number(size.balance) > 0 && /^[A-Za-z]{3}$/.test(size.currency)
      ? formatMoney(size.balance, size.currency.toUpperCase(), locale)
      : t('plan.sizes.untitled', { number: n });

  return (
    <Paper withBorder p="md" radius="md" data-testid={`size-${index}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} size="h5">
            {title}
          </Title>
          {onRemove && (
            <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
              {t('plan.sizes.remove', { number: n })}
            </Button>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <FormDecimal
            name={`sizes.${index}.balance`}
            label={t('plan.sizes.balance', { number: n })}
            unit={size?.currency}
          />
          <FormDecimal
            name={`sizes.${index}.price`}
            label={t('plan.sizes.price', { number: n })}
            unit={size?.currency}
          />
          <FormText
            name={`sizes.${index}.currency`}
            label={t('plan.sizes.currency', { number: n })}
            maxLength={3}
            ltr
            autoCapitalize="characters"
          />
        </SimpleGrid>
        <Text fw={500} size="sm">
          {t('plan.sizes.overrides')}
        </Text>
        <Text size="xs" c="dimmed" mt={-8}>
          {t('plan.sizes.overridesHint')}
        </Text>
        {overrides.fields.map((o, j) => (
          <Group key={o.id} align="flex-end" wrap="nowrap">
            <div style={{ flex: 1 }}>
              <FormSelect
                name={`sizes.${index}.overrides.${j}.phaseId`}
                label={t('plan.sizes.overridePhase', { number: j + 1 })}
                data={(phases ?? []).map((p) => ({ value: p.id, label: p.name || '—' }))}
              />
            </div>
            <div style={{ flex: 1 }}>
              <FormSelect
                name={`sizes.${index}.overrides.${j}.field`}
                label={t('plan.sizes.overrideField', { number: j + 1 })}
                data={options('OverridableAmount', OVERRIDABLE_AMOUNTS)}
              />
            </div>
            <div style={{ flex: 1 }}>
              <FormDecimal
                name={`sizes.${index}.overrides.${j}.amount`}
                label={t('plan.sizes.overrideAmount', { number: j + 1 })}
                unit={size?.currency}
              />
            </div>
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              mb={2}
              onClick={() => overrides.remove(j)}
              aria-label={t('plan.sizes.removeOverride', { number: j + 1 })}
            >
              <span aria-hidden>×</span>
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            size="xs"
            disabled={!phases?.length}
            onClick={() => overrides.append({ phaseId: phases![0]!.id, field: 'DAILY_LOSS_AMOUNT', amount: '' })}
          >
            {t('plan.sizes.addOverride')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
