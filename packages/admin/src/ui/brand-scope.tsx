import { useQuery } from '@apollo/client/react';
import { Group, Select, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PlanBrandsDocument, type PlanBrandsQuery } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { EmptyState, ErrorState, LoadingState } from './states';

export type ScopedBrand = PlanBrandsQuery['brands'][number];

/** The brand-scoped sections of the console (each at `/brands/:brandId/<section>`). */
export type BrandSection = 'platforms' | 'accounts' | 'audit' | 'api-keys' | 'risk' | 'risk-rules' | 'hedging';

const LAST_BRAND = 'brokerdeck.admin.operations.brand';

export function lastBrand(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_BRAND) ?? null;
  } catch {
    return null;
  }
}

export function rememberBrand(brandId: string) {
  try {
    globalThis.localStorage?.setItem(LAST_BRAND, brandId);
  } catch {
    // Storage disabled: the section opens the first brand.
  }
}

/** `/platforms`, `/accounts`, `/audit`: the navigation entry opens the last brand looked at, or the first. */
export function BrandSectionIndex({ section }: { section: BrandSection }) {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-and-network' });
  if (!data && loading) return <LoadingState />;
  if (!data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const last = lastBrand();
  const brand = data.brands.find((b) => b.id === last) ?? data.brands[0];
  if (!brand) return <EmptyState title={t('plans.noBrands')}>{t('scope.noBrandsHint')}</EmptyState>;
  return <Navigate to={`/brands/${brand.id}/${section}`} replace />;
}

/**
 * The frame of a brand-scoped page: title, subtitle, a brand picker that keeps the section, and
 * the page's own actions; the body is rendered once the brand is known.
 */
export function BrandScopedPage({
  section,
  title,
  subtitle,
  actions,
  children,
}: {
  section: BrandSection;
  title: string;
  subtitle: string;
  actions?(brand: ScopedBrand): ReactNode;
  children(brand: ScopedBrand): ReactNode;
}) {
  const t = useT();
  const { brandId = '' } = useParams();
  const navigate = useNavigate();
  const brands = useQuery(PlanBrandsDocument, { fetchPolicy: 'cache-and-network' });
  const brand = brands.data?.brands.find((b) => b.id === brandId);

  useEffect(() => {
    if (brand) rememberBrand(brand.id);
  }, [brand]);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>{title}</Title>
          <Text size="sm" c="dimmed">
            {subtitle}
          </Text>
        </Stack>
        <Group align="flex-end">
          <Select
            label={t('plans.brand')}
            data={(brands.data?.brands ?? []).map((b) => ({ value: b.id, label: b.name }))}
            value={brandId}
            onChange={(next) => next && navigate(`/brands/${next}/${section}`)}
            allowDeselect={false}
            w={220}
            data-testid="brand-picker"
          />
          {brand && actions?.(brand)}
        </Group>
      </Group>
      {!brands.data && brands.loading && <LoadingState />}
      {brands.error && !brands.data && <ErrorState error={brands.error} onRetry={() => void brands.refetch()} />}
      {brands.data && !brand && (
        <EmptyState title={t('plans.brandNotFound')}>{t('plans.brandNotFoundHint')}</EmptyState>
      )}
      {brand && children(brand)}
    </Stack>
  );
}
