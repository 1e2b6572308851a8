// i18next for the console: English and Spanish tables bundled (no loading step), switchable at run time.
// Keys are typed from the English table by `useT` (i18n/useT.ts), so `t('stores.titel')` is a compile
// error. Not by augmenting i18next's CustomTypeOptions: that augmentation is global to the TypeScript
// program, which the console shares with the till (desktop/ declares its own), so the console keeps its
// own instance and its own typing.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { es } from './es';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'es';
}

/** The language to start in: the one chosen before in this browser, else the browser's, else English. */
export function initialLang(saved: string | null, preferred: readonly string[]): Lang {
  if (isLang(saved)) return saved;
  const spoken = preferred.map((l) => l.slice(0, 2).toLowerCase()).find(isLang);
  return spoken ?? 'en';
}

export const i18n = i18next.createInstance();

export function initI18n(lang: Lang): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: LANGS,
    // Resources are bundled: initialise synchronously so the first render is already translated.
    initAsync: false,
    // React escapes what it renders; escaping here too would show &amp; in the page.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}
