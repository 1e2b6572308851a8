// The register reports as they print: the X (a shift so far), the Z (a closed day, never rewritten, with what
// arrived after it as a late-arrival slip beside it) and the ZZ (the Zs of a period summed, against the
// previous period, with a row per day/week/month).
import { Alert, Group, Stack, Text } from '@mantine/core';
import type { XReport, ZAnswer, ZFigures, ZZAnswer } from '../../../../../shared/api/reports';
import type { RegisterFigures } from '../../../../../shared/pos/register';
import { useT } from '../../i18n/useT';
import { useFormat } from '../../lib/hooks';
import { FigureTable, KpiCards, Section, Slip, useBucketLabel, usePeriodText, useFig, type SlipLine } from './parts';

type Props<A> = { data: A; currency: string };

const tenderName = (id: string) => id.replace(/^tender:/, '');

/** The lines of a register report, in the order the till prints them. */
function useSlipSections(currency: string) {
  const t = useT();
  const fig = useFig(currency);
  const m = (v: number) => fig('money', v);
  const c = (v: number) => fig('count', v);
  return (f: RegisterFigures & Partial<Pick<ZFigures, 'countedCash' | 'variance'>>): Array<{ heading: string; lines: SlipLine[] }> => [
    {
      heading: t('reports.slip.sales'),
      lines: [
        { label: t('reports.slip.salesCount'), value: c(f.salesCount) },
        { label: t('reports.slip.grossSales'), value: m(f.grossSales) },
        { label: t('reports.slip.discounts'), value: m(-f.discounts) },
        { label: t('reports.slip.netSales'), value: m(f.netSales) },
        { label: t('reports.slip.netSalesExTax'), value: m(f.netSalesExTax) },
        { label: t('reports.slip.taxTotal'), value: m(f.taxTotal) },
        { label: t('reports.slip.rounding'), value: m(f.rounding) },
        { label: t('reports.slip.salesTotal'), value: m(f.salesTotal), strong: true },
      ],
    },
    { heading: t('reports.slip.taxes'), lines: f.taxes.map((x) => ({ label: t('reports.slip.taxLine', { code: x.code, basis: m(x.basis) }), value: m(x.amount), indent: true })) },
    {
      heading: t('reports.slip.tenders'),
      lines: [...f.tenders.map((x) => ({ label: `${tenderName(x.tenderId)} (${c(x.count)})`, value: m(x.amount), indent: true })), { label: t('reports.slip.changeGiven'), value: m(f.changeGiven) }],
    },
    {
      heading: t('reports.slip.returnsVoids'),
      lines: [
        { label: t('reports.slip.returns', { count: f.returnsCount }), value: m(f.returnsTotal) },
        { label: t('reports.slip.returnsTax'), value: m(f.returnsTax), indent: true },
        ...f.refunds.map((x) => ({ label: `${tenderName(x.tenderId)} (${c(x.count)})`, value: m(x.amount), indent: true })),
        { label: t('reports.slip.voids', { count: f.voidsCount }), value: m(f.voidsTotal) },
      ],
    },
    {
      heading: t('reports.slip.drawer'),
      lines: [
        { label: t('reports.slip.openingFloat'), value: m(f.openingFloat) },
        { label: t('reports.slip.cashSales'), value: m(f.cashSales) },
        { label: t('reports.slip.cashRefunds'), value: m(-f.cashRefunds) },
        { label: t('reports.slip.cashIn'), value: m(f.cashIn) },
        { label: t('reports.slip.cashOut'), value: m(-f.cashOut) },
        { label: t('reports.slip.expectedCash'), value: m(f.expectedCash), strong: true },
        ...(f.countedCash !== undefined ? [{ label: t('reports.slip.countedCash'), value: m(f.countedCash) }] : []),
        ...(f.variance !== undefined ? [{ label: t('reports.slip.variance'), value: m(f.variance), strong: true }] : []),
        ...f.foreignCash.map((x) => ({ label: t('reports.slip.foreignCash', { currency: x.currency }), value: fig('money', x.amount).replace(/[^\d.,-]/g, '') + ` ${x.currency}`, indent: true })),
      ],
    },
    {
      heading: t('reports.slip.cashiers'),
      lines: f.cashiers.map((x) => ({ label: t('reports.slip.cashierLine', { cashier: x.cashierId, count: x.salesCount }), value: m(x.salesTotal), indent: true })),
    },
  ];
}

export function XView({ data, currency, timeZone }: Props<XReport> & { timeZone: string }) {
  const t = useT();
  const f = useFormat();
  const sections = useSlipSections(currency);
  return (
    <Stack gap="md" align="flex-start">
      {data.shiftIds.length === 0 && <Alert color="gray">{t('reports.x.noShifts')}</Alert>}
      <Slip
        testId="report-slip"
        title={t('reports.x.title', { store: data.storeId })}
        subtitle={`${t('reports.x.at', { time: f.dateTime(data.at, timeZone) })} · ${t('reports.x.shifts', { count: data.shiftIds.length, open: data.openShiftIds.length })}`}
        sections={sections(data.figures)}
      />
    </Stack>
  );
}

export function ZView({ data, currency }: Props<ZAnswer>) {
  const t = useT();
  const period = usePeriodText();
  const sections = useSlipSections(currency);
  const where = data.stores ? data.stores.join(', ') : t('reports.chain');
  if (data.closedDays === 0) {
    return <Alert color="gray">{t('reports.z.notClosed', { day: period(data.businessDate, data.businessDate) })}</Alert>;
  }
  return (
    <Group align="flex-start" gap="md">
      <Slip testId="report-slip" title={t('reports.z.title', { where })} subtitle={`${period(data.businessDate, data.businessDate)} · ${t('reports.z.closedDays', { count: data.closedDays })}`} sections={sections(data.figures)} />
      {data.lateArrivals && (
        <Stack gap="xs" maw={560}>
          <Alert color="orange" title={t('reports.z.lateTitle')}>
            {t('reports.z.lateBody', { count: data.lateDays })}
          </Alert>
          <Slip testId="report-late" title={t('reports.z.lateTitle')} sections={sections(data.lateArrivals)} />
        </Stack>
      )}
    </Group>
  );
}

export function ZZView({ data, currency }: Props<ZZAnswer>) {
  const t = useT();
  const period = usePeriodText();
  const label = useBucketLabel();
  const sections = useSlipSections(currency);
  const { figures: n, previousFigures: p } = data;
  const where = data.stores ? data.stores.join(', ') : t('reports.chain');
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'salesTotal', label: t('reports.slip.salesTotal'), kind: 'money', value: n.salesTotal, previous: p.salesTotal },
          { key: 'salesCount', label: t('reports.slip.salesCount'), kind: 'count', value: n.salesCount, previous: p.salesCount },
          { key: 'taxTotal', label: t('reports.slip.taxTotal'), kind: 'money', value: n.taxTotal, previous: p.taxTotal, better: 'neither' },
          { key: 'returnsTotal', label: t('reports.f.returnsAmount'), kind: 'money', value: n.returnsTotal, previous: p.returnsTotal, better: 'less' },
          { key: 'variance', label: t('reports.slip.variance'), kind: 'money', value: n.variance, previous: p.variance, better: 'neither' },
        ]}
      />
      <Group align="flex-start" gap="md">
        <Slip testId="report-slip" title={t('reports.zz.title', { where })} subtitle={`${period(data.from, data.to)} · ${t('reports.z.closedDays', { count: data.closedDays })}`} sections={sections(n)} />
        {data.lateArrivals && (
          <Stack gap="xs" maw={560}>
            <Alert color="orange" title={t('reports.z.lateTitle')}>
              {t('reports.z.lateBody', { count: data.lateDays })}
            </Alert>
            <Slip testId="report-late" title={t('reports.z.lateTitle')} sections={sections(data.lateArrivals)} />
          </Stack>
        )}
      </Group>
      <Section title={t('reports.table.series')} testId="report-series">
        <FigureTable
          label={t('reports.table.series')}
          currency={currency}
          rows={data.series}
          rowKey={(s) => s.bucket}
          cols={[
            { key: 'bucket', label: t('reports.f.bucket'), kind: 'text', value: (s) => label(s.bucket) },
            { key: 'closedDays', label: t('reports.f.closedDays'), kind: 'count', value: (s) => s.closedDays },
            { key: 'salesCount', label: t('reports.slip.salesCount'), kind: 'count', value: (s) => s.figures.salesCount },
            { key: 'taxTotal', label: t('reports.slip.taxTotal'), kind: 'money', value: (s) => s.figures.taxTotal },
            { key: 'salesTotal', label: t('reports.slip.salesTotal'), kind: 'money', value: (s) => s.figures.salesTotal },
            { key: 'expectedCash', label: t('reports.slip.expectedCash'), kind: 'money', value: (s) => s.figures.expectedCash },
            { key: 'variance', label: t('reports.slip.variance'), kind: 'money', value: (s) => s.figures.variance },
            { key: 'late', label: t('reports.f.late'), kind: 'money', value: (s) => s.lateArrivals?.salesTotal ?? 0 },
          ]}
        />
      </Section>
      {data.series.length === 0 && <Text c="dimmed">{t('reports.noRows')}</Text>}
    </Stack>
  );
}
