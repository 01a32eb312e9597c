import { useQuery } from '@apollo/client/react';
import { Anchor, Badge, Button, ColorSwatch, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { BrandsDocument } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { languageName } from '../i18n/locales';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';

export function BrandListPage() {
  const t = useT();
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const includeArchived = params.get('archived') === '1';
  const { data, loading, error, refetch } = useQuery(BrandsDocument, {
    variables: { includeArchived },
    fetchPolicy: 'cache-and-network',
  });
  const brands = data?.brands;

  const toggleArchived = (checked: boolean) =>
    setParams(
      (p) => {
        if (checked) p.set('archived', '1');
        else p.delete('archived');
        return p;
      },
      { replace: true },
    );

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="sm" align="baseline">
          <Title order={2}>{t('brands.title')}</Title>
          {brands && (
            <Text c="dimmed" size="sm">
              {t('brands.count', { count: brands.length })}
            </Text>
          )}
        </Group>
        <Group>
          <Switch
            label={t('brands.showArchived')}
            checked={includeArchived}
            onChange={(e) => toggleArchived(e.currentTarget.checked)}
          />
          <Button component={Link} to="/brands/new">
            {t('brands.new')}
          </Button>
        </Group>
      </Group>

      {!brands && loading && <LoadingState />}
      {error && !brands && <ErrorState title={t('brands.loadFailed')} error={error} onRetry={() => void refetch()} />}
      {brands && brands.length === 0 && (
        <EmptyState
          title={t('brands.empty')}
          action={
            <Button component={Link} to="/brands/new" variant="light">
              {t('brands.new')}
            </Button>
          }
        >
          {t('brands.emptyHint')}
        </EmptyState>
      )}
      {brands && brands.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="brands-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('brands.column.name')}</Table.Th>
                <Table.Th>{t('brands.column.slug')}</Table.Th>
                <Table.Th>{t('brands.column.currency')}</Table.Th>
                <Table.Th>{t('brands.column.timeZone')}</Table.Th>
                <Table.Th>{t('brands.column.languages')}</Table.Th>
                <Table.Th>{t('brands.column.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {brands.map((brand) => (
                <Table.Tr key={brand.id} data-testid={`brand-row-${brand.slug}`}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <ColorSwatch color={brand.colors.primary} size={14} aria-hidden />
                      <Anchor component={Link} to={`/brands/${brand.id}`} fw={500}>
                        {brand.name}
                      </Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {brand.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>{brand.currency}</Table.Td>
                  <Table.Td>{brand.timeZone}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {brand.locales.map((code) => {
                        const isDefault = code === brand.defaultLocale;
                        const name = languageName(code, locale);
                        return (
                          <Badge
                            key={code}
                            variant={isDefault ? 'filled' : 'light'}
                            color="gray"
                            size="sm"
                            title={isDefault ? t('brands.defaultLanguage', { language: name }) : name}
                          >
                            {code}
                          </Badge>
                        );
                      })}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={brand.status === 'ACTIVE' ? 'green' : 'gray'} variant="light" tt="none">
                      {t(`brands.status.${brand.status}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
