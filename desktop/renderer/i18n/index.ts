// i18next for the till's screens: English and Spanish, every string in i18n/en.ts and i18n/es.ts. The Spanish
// table is typed by the English one, so a missing key is a type error; `t()` keys are checked the same way.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { AppThunk } from '../app/store';
import { languageChosen, type Lang } from '../app/uiSlice';
import { en } from './en';
import { es } from './es';

const KEY = 'caja.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    keySeparator: false;
  }
}

/** The language this terminal last used, else the browser's (Spanish for any es-*), else English. */
export function initialLanguage(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export async function initI18n(lang: Lang): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: lang,
    fallbackLng: 'en',
    keySeparator: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = lang;
  return i18next;
}

/** Switches the language of every screen now, and for the next start. */
export const chooseLanguage =
  (lang: Lang): AppThunk =>
  (dispatch) => {
    localStorage.setItem(KEY, lang);
    document.documentElement.lang = lang;
    void i18next.changeLanguage(lang);
    dispatch(languageChosen(lang));
  };
