// The report pages' charts (@mantine/charts, loaded with the first report page that draws one, like the
// dashboard's): a series over time against the previous period, and bars (top products, stores compared,
// departments, hours). Money is plotted in major units and read back through the console's formatter; each
// chart is hidden from screen readers, whose table is the figures table beside it.
import { BarChart, LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Text } from '@mantine/core';
import { useT } from '../../i18n/useT';
import { intlLocale, minorDigits } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import { useFig, type Kind } from './parts';

interface SeriesDatum {
  label: string;
  now: number;
  before?: number;
}

function useAxis(kind: Kind, currency: string) {
  const f = useFormat();
  const fig = useFig(currency);
  const scale = kind === 'money' ? 10 ** minorDigits(currency) : kind === 'milli' ? 1000 : kind === 'bp' || kind === 'times' ? 10000 : 1;
  const compact = new Intl.NumberFormat(intlLocale(f.lang), kind === 'money' ? { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 } : { notation: 'compact', maximumFractionDigits: 2 });
  return {
    toAxis: (v: number) => v / scale,
    format: (v: number) => fig(kind, Math.round(v * scale)),
    tick: (v: number) => (kind === 'bp' ? f.percentBp(Math.round(v * scale)) : compact.format(v)),
  };
}

/** A figure over the period's buckets, the previous period dashed beside it. */
export function SeriesChart({ data, kind, currency }: { data: SeriesDatum[]; kind: Kind; currency: string }) {
  const t = useT();
  const { toAxis, format, tick } = useAxis(kind, currency);
  if (data.length === 0) return <Text c="dimmed">{t('reports.noRows')}</Text>;
  const withBefore = data.some((d) => d.before !== undefined);
  return (
    <LineChart
      h={260}
      data={data.map((d) => ({ label: d.label, now: toAxis(d.now), ...(d.before !== undefined ? { before: toAxis(d.before) } : {}) }))}
      dataKey="label"
      series={[{ name: 'now', label: t('reports.thisPeriod'), color: 'blue.6' }, ...(withBefore ? [{ name: 'before', label: t('reports.previousPeriod'), color: 'gray.6', strokeDasharray: '6 4' }] : [])]}
      curveType="monotone"
      withLegend
      legendProps={{ verticalAlign: 'top', height: 36 }}
      valueFormatter={format}
      yAxisProps={{ width: 80, tickFormatter: tick }}
      xAxisProps={{ minTickGap: 16 }}
      withDots={data.length <= 31}
      aria-hidden
      className="report-chart"
    />
  );
}

/** Bars, one per item (vertical for a few, horizontal for long names), with the previous period beside. */
export function BarsChart({ data, kind, currency, horizontal = false }: { data: SeriesDatum[]; kind: Kind; currency: string; horizontal?: boolean }) {
  const t = useT();
  const { toAxis, format, tick } = useAxis(kind, currency);
  if (data.length === 0) return <Text c="dimmed">{t('reports.noRows')}</Text>;
  const withBefore = data.some((d) => d.before !== undefined);
  return (
    <BarChart
      h={horizontal ? Math.max(200, 36 * data.length + 60) : 260}
      data={data.map((d) => ({ label: d.label, now: toAxis(d.now), ...(d.before !== undefined ? { before: toAxis(d.before) } : {}) }))}
      dataKey="label"
      orientation={horizontal ? 'vertical' : 'horizontal'}
      series={[{ name: 'now', label: t('reports.thisPeriod'), color: 'blue.6' }, ...(withBefore ? [{ name: 'before', label: t('reports.previousPeriod'), color: 'gray.4' }] : [])]}
      withLegend={withBefore}
      legendProps={{ verticalAlign: 'top', height: 36 }}
      valueFormatter={format}
      yAxisProps={horizontal ? { width: 180 } : { width: 80, tickFormatter: tick }}
      xAxisProps={horizontal ? { tickFormatter: tick } : { minTickGap: 8 }}
      aria-hidden
      className="report-chart"
    />
  );
}
