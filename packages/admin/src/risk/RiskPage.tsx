import { useQuery } from '@apollo/client/react';
import { Button, Stack, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { MeDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { BrandScopedPage, type ScopedBrand } from '../ui/brand-scope';
import { ExposurePanel } from './ExposurePanel';
import { canWriteRisk } from './format';
import { MarginChangesPanel } from './MarginChangesPanel';
import { MarginChangeWizard } from './MarginChangeWizard';
import { RiskAccountsPanel } from './RiskAccountsPanel';
import { RiskGroupsPanel } from './RiskGroupsPanel';

const TABS = ['exposure', 'groups', 'accounts', 'changes'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string | null): v is Tab => TABS.includes(v as Tab);

/**
 * `/brands/:brandId/risk`: live exposure, risk groups, accounts' margin and margin changes of a
 * brand; "Change margin requirement" for those who may change risk on it.
 */
export function RiskPage() {
  const t = useT();
  const me = useQuery(MeDocument, { fetchPolicy: 'cache-first' }).data?.me;
  const [changing, setChanging] = useState(false);
  return (
    <BrandScopedPage
      section="risk"
      title={t('risk.title')}
      subtitle={t('risk.subtitle')}
      actions={(brand) =>
        me && canWriteRisk(me.grants, brand.id) ? (
          <>
            <Button onClick={() => setChanging(true)} data-testid="open-margin-change">
              {t('risk.change.open')}
            </Button>
            <MarginChangeWizard brand={brand} opened={changing} onClose={() => setChanging(false)} />
          </>
        ) : null
      }
    >
      {(brand) => <RiskTabs key={brand.id} brand={brand} canWrite={Boolean(me && canWriteRisk(me.grants, brand.id))} />}
    </BrandScopedPage>
  );
}

function RiskTabs({ brand, canWrite }: { brand: ScopedBrand; canWrite: boolean }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'exposure';
  return (
    <Tabs
      value={tab}
      onChange={(next) =>
        setParams(
          (p) => {
            if (!next || next === 'exposure') p.delete('tab');
            else p.set('tab', next);
            return p;
          },
          { replace: true },
        )
      }
      keepMounted={false}
    >
      <Tabs.List>
        {TABS.map((id) => (
          <Tabs.Tab key={id} value={id} data-testid={`risk-tab-${id}`}>
            {t(`risk.tab.${id}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Stack pt="md">
        <Tabs.Panel value="exposure">
          <ExposurePanel brand={brand} />
        </Tabs.Panel>
        <Tabs.Panel value="groups">
          <RiskGroupsPanel brand={brand} canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="accounts">
          <RiskAccountsPanel brand={brand} canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="changes">
          <MarginChangesPanel brand={brand} canWrite={canWrite} />
        </Tabs.Panel>
      </Stack>
    </Tabs>
  );
}
