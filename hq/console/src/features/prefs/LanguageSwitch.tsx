// English / Español, switchable at any time; the choice applies at once to every screen.
import { SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useT } from '../../i18n/useT';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { isLang } from '../../i18n';
import { languageChosen } from './prefsSlice';

export function LanguageSwitch() {
  const t = useT();
  const lang = useAppSelector((s) => s.prefs.lang);
  const dispatch = useAppDispatch();
  return (
    <SegmentedControl
      aria-label={t('app.language')}
      value={lang}
      onChange={(value) => {
        if (!isLang(value)) return;
        // Messages already on screen were written in the other language.
        notifications.clean();
        dispatch(languageChosen(value));
      }}
      data={[
        // Each language is named in itself, so someone who reads only one can find it.
        { value: 'en', label: <span lang="en">English</span> },
        { value: 'es', label: <span lang="es">Español</span> },
      ]}
    />
  );
}
