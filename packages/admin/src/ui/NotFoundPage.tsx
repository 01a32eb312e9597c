import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../i18n/LocaleProvider';
import { EmptyState } from './states';

export function NotFoundPage() {
  const t = useT();
  return (
    <EmptyState
      title={t('common.notFoundTitle')}
      action={
        <Button component={Link} to="/" variant="light">
          {t('common.backToStart')}
        </Button>
      }
    >
      {t('common.notFoundBody')}
    </EmptyState>
  );
}
