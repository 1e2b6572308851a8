// The dashboard's two charts for one currency: the chain's revenue per local hour, this day against the same
// day last week, and the stores side by side. Amounts are plotted in major units (the axis reads 1,200 not
// 120,000) and shown back through the console's money formatter; each chart has its figures in a table
// screen readers reach, since a picture of bars says nothing to them.
import { AreaChart, BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Table, Text, VisuallyHidden } from '@mantine/core';
import { TitledSection } from '../../components/TitledSection';
import { useT } from '../../i18n/useT';
import { intlLocale, minorDigits } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import type { ChainBlock, StoreRow } from './dashboardApi';

/** The most stores the comparison chart shows (the table below has them all). */
export const CHART_STORES = 12;

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Amounts in major units for the axes (exact in tooltips, compact on ticks: MX$22K). */
function useMajor(currency: string) {
  const f = useFormat();
  const scale = 10 ** minorDigits(currency);
  const compact = new Intl.NumberFormat(intlLocale(f.lang), { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  return {
    toMajor: (minor: number) => minor / scale,
    format: (major: number) => f.money(Math.round(major * scale), currency),
    tick: (major: number) => compact.format(major),
  };
}


/** Revenue per local hour, this day against last week, over the hours either traded (08:00-20:00 at least). */
export function HourChart({ block }: { block: ChainBlock }) {
  const t = useT();
  const f = useFormat();
  const { toMajor, format, tick } = useMajor(block.currency);
  const traded = block.hours.filter((h) => h.salesCount > 0 || h.lastWeekCount > 0).map((h) => h.hour);
  const from = Math.min(8, ...traded);
  const to = Math.max(20, ...traded);
  const hours = block.hours.filter((h) => h.hour >= from && h.hour <= to);
  const data = hours.map((h) => ({ hour: hourLabel(h.hour), day: toMajor(h.revenue), lastWeek: toMajor(h.lastWeekRevenue) }));
  return (
    <TitledSection title={t('dashboard.byHour')} help={t('dashboard.byHourHelp')}>
      {traded.length === 0 ? (
        <Text c="dimmed" py="xl" ta="center">
          {t('dashboard.noSales')}
        </Text>
      ) : (
        <AreaChart
          h={260}
          data={data}
          dataKey="hour"
          series={[
            { name: 'day', label: t('dashboard.thisDay'), color: 'blue.6' },
            { name: 'lastWeek', label: t('dashboard.lastWeek'), color: 'gray.6', strokeDasharray: '6 4' },
          ]}
          curveType="monotone"
          withLegend
          legendProps={{ verticalAlign: 'top', height: 36 }}
          valueFormatter={format}
          yAxisProps={{ width: 72, tickFormatter: tick }}
          xAxisProps={{ minTickGap: 16 }}
          fillOpacity={0.15}
          withDots={false}
          aria-hidden
        />
      )}
      <VisuallyHidden>
        <Table aria-label={t('dashboard.byHour')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.hour')}</Table.Th>
              <Table.Th>{t('dashboard.thisDay')}</Table.Th>
              <Table.Th>{t('dashboard.lastWeek')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {hours.map((h) => (
              <Table.Tr key={h.hour}>
                <Table.Td>{hourLabel(h.hour)}</Table.Td>
                <Table.Td>{`${f.money(h.revenue, block.currency)} (${f.count(h.salesCount)})`}</Table.Td>
                <Table.Td>{`${f.money(h.lastWeekRevenue, block.currency)} (${f.count(h.lastWeekCount)})`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </TitledSection>
  );
}

/** The stores with the most revenue this day, each beside its own last week (the table reads out the figures). */
export function StoresChart({ block, stores }: { block: ChainBlock; stores: readonly StoreRow[] }) {
  const t = useT();
  const { toMajor, format, tick } = useMajor(block.currency);
  const top = [...stores].sort((a, b) => b.day.revenue - a.day.revenue || a.code.localeCompare(b.code)).slice(0, CHART_STORES);
  const data = top.map((s) => ({ store: s.code, day: toMajor(s.day.revenue), lastWeek: toMajor(s.lastWeek.revenue) }));
  const traded = top.some((s) => s.day.revenue !== 0 || s.lastWeek.revenue !== 0);
  return (
    <TitledSection title={t('dashboard.byStore')} {...(stores.length > CHART_STORES ? { help: t('dashboard.topStores', { count: CHART_STORES }) } : {})}>
      {!traded ? (
        <Text c="dimmed" py="xl" ta="center">
          {t('dashboard.noSales')}
        </Text>
      ) : (
        <BarChart
          h={Math.max(260, 56 + top.length * 44)}
          data={data}
          dataKey="store"
          orientation="vertical"
          series={[
            { name: 'day', label: t('dashboard.thisDay'), color: 'blue.6' },
            { name: 'lastWeek', label: t('dashboard.lastWeek'), color: 'gray.5' },
          ]}
          withLegend
          legendProps={{ verticalAlign: 'top', height: 36 }}
          valueFormatter={format}
          yAxisProps={{ width: 56 }}
          xAxisProps={{ tickFormatter: tick }}
          gridAxis="x"
          maxBarWidth={18}
          aria-hidden
        />
      )}
    </TitledSection>
  );
}
