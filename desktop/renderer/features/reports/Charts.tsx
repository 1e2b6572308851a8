// The charts of the report screens (@mantine/charts over recharts; loaded with the Reports screen's own chunk,
// never at the till's start): a series over time beside the previous period, and a ranked bar list. Charts are
// pictures of figures the tables on the same screen already read out, so they are hidden from screen readers.
import '@mantine/charts/styles.css';
import { AreaChart, BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';

interface Point {
  label: string;
  current: number;
  previous?: number;
}

/** Money as the axis shows it (major units, no decimals) and as a tooltip does (the store's currency). */
function useMoneyAxis() {
  const fmt = useFormat();
  return {
    toMajor: (minor: number) => minor / 100,
    format: (major: number) => fmt.money(Math.round(major * 100)),
    tick: (major: number) => new Intl.NumberFormat(fmt.lang, { notation: 'compact', maximumFractionDigits: 1 }).format(major),
  };
}

/** A money figure over time (or over hours), this period's bars beside the previous period's. */
export function SeriesChart({ points, bars = true, h = 240 }: { points: Point[]; bars?: boolean; h?: number }) {
  const { t } = useTranslation();
  const { toMajor, format, tick } = useMoneyAxis();
  if (!points.some((p) => p.current !== 0 || (p.previous ?? 0) !== 0)) {
    return (
      <Text c="dimmed" py="lg" ta="center">
        {t('reports.empty')}
      </Text>
    );
  }
  const withPrevious = points.some((p) => p.previous !== undefined);
  const data = points.map((p) => ({ label: p.label, current: toMajor(p.current), previous: toMajor(p.previous ?? 0) }));
  const series = [{ name: 'current', label: t('reports.thisPeriod'), color: 'blue.6' }, ...(withPrevious ? [{ name: 'previous', label: t('reports.previousPeriod'), color: 'gray.5' }] : [])];
  const common = {
    h,
    data,
    dataKey: 'label',
    series,
    withLegend: withPrevious,
    legendProps: { verticalAlign: 'top' as const, height: 32 },
    valueFormatter: format,
    yAxisProps: { width: 64, tickFormatter: tick },
    xAxisProps: { minTickGap: 12 },
    'aria-hidden': true,
  };
  return bars ? <BarChart {...common} maxBarWidth={28} /> : <AreaChart {...common} curveType="monotone" fillOpacity={0.15} withDots={points.length < 40} />;
}

/** A ranked list as horizontal bars (top products, departments): the first `max` rows. */
export function RankChart({ rows, max = 10 }: { rows: Array<{ label: string; value: number }>; max?: number }) {
  const { t } = useTranslation();
  const { toMajor, format, tick } = useMoneyAxis();
  const top = rows.slice(0, max);
  if (top.length === 0) return null;
  return (
    <BarChart
      h={Math.max(180, 40 + top.length * 34)}
      data={top.map((r) => ({ label: r.label.length > 26 ? r.label.slice(0, 25) + '…' : r.label, value: toMajor(r.value) }))}
      dataKey="label"
      orientation="vertical"
      series={[{ name: 'value', label: t('reports.col.netSales'), color: 'blue.6' }]}
      valueFormatter={format}
      yAxisProps={{ width: 180 }}
      xAxisProps={{ tickFormatter: tick }}
      gridAxis="x"
      maxBarWidth={20}
      aria-hidden
    />
  );
}
