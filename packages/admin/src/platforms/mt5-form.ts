import { z } from 'zod';
import type { Translate } from '../i18n/LocaleProvider';

export const MT5_FIELDS = [
  'name',
  'url',
  'managerLogin',
  'password',
  'server',
  'accountGroup',
  'caCertificate',
  'settings',
] as const;

export interface Mt5FormValues {
  name: string;
  url: string;
  managerLogin: string;
  password: string;
  server: string;
  accountGroup: string;
  caCertificate: string;
  /** JSON object of overrides of the unconfirmed Web API points; empty for none. */
  settings: string;
}

export const emptyMt5Form = (): Mt5FormValues => ({
  name: '',
  url: 'https://',
  managerLogin: '',
  password: '',
  server: '',
  accountGroup: 'demo\\prop',
  caCertificate: '',
  settings: '',
});

const isJsonObject = (text: string) => {
  if (text.trim() === '') return true;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** The same checks the API makes, so most mistakes show before the server is contacted. */
export const mt5Schema = (t: Translate) =>
  z.object({
    name: z.string().trim().min(1, t('mt5.error.required')),
    url: z
      .string()
      .trim()
      .refine((u) => /^https:\/\/[^/\s]+/.test(u), t('mt5.error.https')),
    managerLogin: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, t('mt5.error.login')),
    password: z.string().min(1, t('mt5.error.required')),
    server: z.string().trim(),
    accountGroup: z.string().trim().min(1, t('mt5.error.required')),
    caCertificate: z
      .string()
      .refine((pem) => pem.trim() === '' || pem.includes('-----BEGIN CERTIFICATE-----'), t('mt5.error.pem')),
    settings: z.string().refine(isJsonObject, t('mt5.error.json')),
  });

/** The mutation input: blanks left out, so the API applies its defaults. */
export function toMt5Input(brandId: string, values: Mt5FormValues) {
  return {
    brandId,
    name: values.name.trim(),
    url: values.url.trim(),
    managerLogin: values.managerLogin.trim(),
    password: values.password,
    server: values.server.trim() || null,
    accountGroup: values.accountGroup.trim(),
    caCertificate: values.caCertificate.trim() || null,
    settings: values.settings.trim() ? (JSON.parse(values.settings) as Record<string, unknown>) : null,
  };
}
