import { skipToken, useQuery } from '@apollo/client/react';
import { Anchor, Group, Stack } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { hasCode } from '../api/errors';
import { BrandDocument, SupportedLocalesDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { BrandForm } from './BrandForm';

/** `/brands/new` and `/brands/:id`. */
export function BrandEditorPage() {
  const t = useT();
  const { id } = useParams();
  const locales = useQuery(SupportedLocalesDocument);
  const brand = useQuery(BrandDocument, id ? { variables: { id } } : skipToken);

  let body: React.ReactNode;
  if ((id && !brand.data && brand.loading) || (!locales.data && locales.loading)) {
    body = <LoadingState />;
  } else if (id && brand.error && !brand.data) {
    body = hasCode(brand.error, 'NOT_FOUND') ? (
      <EmptyState title={t('editor.notFound')}>{t('editor.notFoundBody')}</EmptyState>
    ) : (
      <ErrorState title={t('editor.loadFailed')} error={brand.error} onRetry={() => void brand.refetch()} />
    );
  } else if (!locales.data) {
    body = <ErrorState error={locales.error} onRetry={() => void locales.refetch()} />;
  } else {
    body = (
      <BrandForm key={id ?? 'new'} brand={brand.data?.brand ?? null} supportedLocales={locales.data.supportedLocales} />
    );
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Anchor component={Link} to="/brands" size="sm">
          {t('editor.back')}
        </Anchor>
        {id && (
          <Anchor component={Link} to={`/brands/${id}/plans`} size="sm" data-testid="brand-plans-link">
            {t('editor.plans')}
          </Anchor>
        )}
      </Group>
      {body}
    </Stack>
  );
}
