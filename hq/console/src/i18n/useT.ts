// The console's typed `t`: keys are the dot paths of the English table (plural forms `_one`/`_other` by
// their base key), values are interpolated by i18next in the current language.
import { useTranslation } from 'react-i18next';
import type { en } from './en';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type BaseKey<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

export type TKey = BaseKey<Leaves<typeof en>>;
export type TVars = Record<string, string | number>;
export type T = (key: TKey, vars?: TVars) => string;

export function useT(): T {
  const { t } = useTranslation();
  // i18next's own key typing follows whichever app augments CustomTypeOptions in this TypeScript program
  // (the till does); the console's keys are checked by TKey instead, so call the untyped signature.
  const untyped = t as unknown as (key: string, vars?: TVars) => string;
  return (key, vars) => untyped(key, vars);
}
