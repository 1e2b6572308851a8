// The name and one-line description of each report in the till's language (i18n keys `reports.name.*` and
// `reports.what.*`), typed so a report without its strings is a compile error.
import { useTranslation } from 'react-i18next';
import type { ReportName } from '../../../../shared/api/reports';

type TitleKey = `reports.name.${ReportName}`;
type WhatKey = `reports.what.${ReportName}`;

export function useReportText(): { title(name: ReportName): string; what(name: ReportName): string } {
  const { t } = useTranslation();
  return {
    title: (name) => t(`reports.name.${name}` satisfies TitleKey),
    what: (name) => t(`reports.what.${name}` satisfies WhatKey),
  };
}
