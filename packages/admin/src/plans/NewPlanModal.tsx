import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { apiProblems } from '../api/errors';
import { CreatePlanDocument, CreatePlanFromPresetDocument, PlanPresetsDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { ErrorState, LoadingState } from '../ui/states';
import { forgetCatalogues } from './cache';
import { blankPlanInput, type PlanBrand } from './plan-form';

const BLANK = 'blank';

/**
 * "New plan from preset": pick a card, press Create, and the editor of the new draft opens — three
 * clicks from the plans page. A blank plan is one of the cards.
 */
export function NewPlanModal({
  opened,
  onClose,
  brand,
  onCreated,
}: {
  opened: boolean;
  onClose(): void;
  brand: PlanBrand & { id: string; name: string };
  onCreated(planId: string): void;
}) {
  const t = useT();
  const presets = useQuery(PlanPresetsDocument, { skip: !opened });
  const [selected, setSelected] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fromPreset, presetState] = useMutation(CreatePlanFromPresetDocument, { update: forgetCatalogues });
  const [createBlank, blankState] = useMutation(CreatePlanDocument, { update: forgetCatalogues });

  const create = async () => {
    if (!selected) return;
    setProblem(null);
    try {
      let planId: string | undefined;
      if (selected === BLANK) {
        const input = blankPlanInput(brand, {
          plan: t('plans.blankName'),
          evaluation: t('plan.phase.defaultEvaluation'),
          funded: t('plan.phase.defaultFunded'),
        });
        const { data } = await createBlank({ variables: { brandId: brand.id, input } });
        planId = data?.createPlan.id;
      } else {
        const { data } = await fromPreset({ variables: { brandId: brand.id, presetId: selected } });
        planId = data?.createPlanFromPreset.id;
      }
      if (planId) {
        setSelected(null);
        onClose();
        onCreated(planId);
      }
    } catch (error) {
      setProblem(apiProblems(error)[0]?.message ?? t('common.errorTitle'));
    }
  };

  const cards = [
    ...(presets.data?.planPresets ?? []).map((p) => ({
      id: p.id,
      title: p.title,
      kind: t(`plan.enum.PlanKind.${p.kind}`),
      detail: t('plans.phaseCount', { count: p.phaseCount }),
    })),
    { id: BLANK, title: t('plans.blankTitle'), kind: t('plan.enum.PlanKind.ONE_STEP'), detail: t('plans.blankHint') },
  ];

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('plans.newTitle', { brand: brand.name })}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="new-plan-modal"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('plans.newHint')}
        </Text>
        {presets.loading && !presets.data && <LoadingState />}
        {presets.error && <ErrorState error={presets.error} onRetry={() => void presets.refetch()} />}
        {presets.data && (
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} role="group" aria-label={t('plans.presets')}>
            {cards.map((card) => {
              const active = card.id === selected;
              return (
                <UnstyledButton
                  key={card.id}
                  onClick={() => setSelected(card.id)}
                  aria-pressed={active}
                  data-testid={`preset-${card.id}`}
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                >
                  <Paper
                    withBorder
                    p="md"
                    radius="md"
                    h="100%"
                    style={{
                      borderColor: active ? 'var(--mantine-primary-color-filled)' : undefined,
                      boxShadow: active ? '0 0 0 1px var(--mantine-primary-color-filled)' : undefined,
                      background: active ? 'var(--mantine-primary-color-light)' : undefined,
                    }}
                  >
                    <Stack gap={6}>
                      <Text fw={600}>{card.title}</Text>
                      <Group gap={6}>
                        <Badge variant="outline" color="gray" tt="none" size="sm">
                          {card.kind}
                        </Badge>
                      </Group>
                      <Text size="sm" c="dimmed">
                        {card.detail}
                      </Text>
                    </Stack>
                  </Paper>
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            onClick={() => void create()}
            disabled={!selected}
            loading={presetState.loading || blankState.loading}
          >
            {t('plans.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
