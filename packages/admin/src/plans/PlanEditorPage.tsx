import { useQuery } from '@apollo/client/react';
import { Anchor, Stack } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { hasCode } from '../api/errors';
import { BrandDocument, PlanDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { PlanEditor } from './PlanEditor';

/** `/plans/:planId`: the plan designer. */
export function PlanEditorPage() {
  const t = useT();
  const { planId = '' } = useParams();
  const plan = useQuery(PlanDocument, { variables: { id: planId }, fetchPolicy: 'cache-and-network' });
  const brandId = plan.data?.plan.brandId;
  const brand = useQuery(BrandDocument, { variables: { id: brandId ?? '' }, skip: !brandId });

  let body: React.ReactNode;
  if ((!plan.data && plan.loading) || (brandId && !brand.data && brand.loading)) {
    body = <LoadingState />;
  } else if (!plan.data) {
    body = hasCode(plan.error, 'NOT_FOUND') ? (
      <EmptyState title={t('plan.notFound')}>{t('plan.notFoundBody')}</EmptyState>
    ) : (
      <ErrorState title={t('plan.loadFailed')} error={plan.error} onRetry={() => void plan.refetch()} />
    );
  } else if (!brand.data) {
    body = <ErrorState title={t('plan.loadFailed')} error={brand.error} onRetry={() => void brand.refetch()} />;
  } else {
    body = (
      <PlanEditor
        key={plan.data.plan.id}
        plan={plan.data.plan}
        brand={brand.data.brand}
        refetch={async () => (await plan.refetch()).data?.plan}
      />
    );
  }

  return (
    <Stack>
      <Anchor component={Link} to={brandId ? `/brands/${brandId}/plans` : '/plans'} size="sm">
        {brand.data ? t('plan.back', { brand: brand.data.brand.name }) : t('plan.backAll')}
      </Anchor>
      {body}
    </Stack>
  );
}
