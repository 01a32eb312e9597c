import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isIanaTimeZone, isIsoCurrency, isSupportedLocale, SUPPORTED_LOCALES } from './locales';

function simple(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: test },
    });
}

export const IsIanaTimeZone = simple(
  'isIanaTimeZone',
  (v) => typeof v === 'string' && isIanaTimeZone(v),
  'must be an IANA time zone such as Europe/Prague',
);
export const IsIsoCurrency = simple(
  'isIsoCurrency',
  (v) => typeof v === 'string' && isIsoCurrency(v),
  'must be an ISO 4217 currency code such as USD',
);
export const IsSupportedLocale = simple(
  'isSupportedLocale',
  (v) => typeof v === 'string' && isSupportedLocale(v),
  `must be one of the supported languages: ${SUPPORTED_LOCALES.join(', ')}`,
);
export const AreSupportedLocales = simple(
  'areSupportedLocales',
  (v) => Array.isArray(v) && v.every((l) => typeof l === 'string' && isSupportedLocale(l)),
  `every language must be one of the supported ones: ${SUPPORTED_LOCALES.join(', ')}`,
);
