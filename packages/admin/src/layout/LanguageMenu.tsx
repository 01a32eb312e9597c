import { Button, Menu } from '@mantine/core';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { languageName } from '../i18n/locales';

/** The console's own language (not a brand's): each option named in its own language. */
export function LanguageMenu() {
  const t = useT();
  const { locale, available, setLocale } = useLocale();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          aria-label={`${languageName(locale)} · ${t('header.language')}`}
          data-testid="admin-language-menu"
        >
          {languageName(locale)}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('header.language')}</Menu.Label>
        {available.map((code) => (
          <Menu.Item
            key={code}
            lang={code}
            onClick={() => void setLocale(code)}
            aria-current={code === locale ? 'true' : undefined}
            fw={code === locale ? 700 : undefined}
          >
            {languageName(code)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
