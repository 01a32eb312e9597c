import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from './locales';

export type Translate = (id: MessageId, values?: Record<string, string | number | Date>) => string;

/** `t('portal.signIn')`, with message ids checked against the English catalogue at compile time. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
