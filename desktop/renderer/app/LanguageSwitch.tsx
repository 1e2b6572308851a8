// English / Spanish, switched at runtime on every screen; the choice is this terminal's and survives restarts.
import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '../i18n';
import { useAppDispatch, useAppSelector } from './store';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const lang = useAppSelector((s) => s.ui.lang);
  return (
    <SegmentedControl
      aria-label={t('shell.language')}
      value={lang}
      onChange={(v) => dispatch(chooseLanguage(v))}
      data={[
        { value: 'en', label: 'EN' },
        { value: 'es', label: 'ES' },
      ]}
      size="md"
      transitionDuration={0}
    />
  );
}
