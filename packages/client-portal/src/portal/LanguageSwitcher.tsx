import { NativeSelect } from '@mantine/core';
import { type AppLocale, isAppLocale, nativeLanguageName } from '../i18n/locales';
import { useT } from '../i18n/useT';

/** The brand's languages, each named in itself. A native select: works with every keyboard and screen reader. */
export function LanguageSwitcher({
  locales,
  value,
  onChange,
}: {
  locales: AppLocale[];
  value: AppLocale;
  onChange(locale: AppLocale): void;
}) {
  const t = useT();
  if (locales.length < 2) return null;
  return (
    <NativeSelect
      aria-label="Language"
      title={t('portal.language')}
      data-testid="language-switcher"
      size="xs"
      value={value}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isAppLocale(next)) onChange(next);
      }}
      data={locales.map((code) => ({ value: code, label: nativeLanguageName(code) }))}
    />
  );
}
