// The report pages about sales: summary, by period, profit margin, cashiers, sales reps and discounts. Each
// shows its key figures against the previous period, the chart a person would rather look at, and the table.
import { SimpleGrid, Stack } from '@mantine/core';
import type {
  CashierPerformance, DiscountAnalysis, ProfitMargin, SalesByPeriod, SalesByRep, SalesFigures, SalesSummary,
} from '../../../../../shared/api/reports';
import { useT } from '../../i18n/useT';
import { useFormat, useLang } from '../../lib/hooks';
import { BarsChart, SeriesChart } from './LazyCharts';
import { FigureTable, KpiCards, Section, TreeName, useBucketLabel, type Col } from './parts';

type Props<A> = { data: A; currency: string };

/** The series of a figure against the previous period's, bucket by bucket (the previous by position). */
function paired<F>(series: { bucket: string; figures: F }[], previous: { figures: F }[] | undefined, pick: (f: F) => number, label: (b: string) => string) {
  return series.map((p, i) => {
    const before = previous?.[i];
    return { label: label(p.bucket), now: pick(p.figures), ...(before ? { before: pick(before.figures) } : {}) };
  });
}

function salesCols(t: ReturnType<typeof useT>): Col<SalesFigures>[] {
  return [
    { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: (f) => f.sales },
    { key: 'discounts', label: t('reports.f.discounts'), kind: 'money', value: (f) => f.discounts },
    { key: 'tax', label: t('reports.f.tax'), kind: 'money', value: (f) => f.tax },
    { key: 'total', label: t('reports.f.total'), kind: 'money', value: (f) => f.total },
    { key: 'returnsAmount', label: t('reports.f.returnsAmount'), kind: 'money', value: (f) => f.returnsAmount },
    { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (f) => f.netSales },
    { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: (f) => f.margin },
  ];
}

export function SalesSummaryView({ data, currency }: Props<SalesSummary>) {
  const t = useT();
  const label = useBucketLabel();
  const { totals: n, previousTotals: p } = data;
  const stores = data.byStore && data.byStore.length > 1 ? data.byStore : null;
  const base = salesCols(t);
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'total', label: t('reports.f.total'), kind: 'money', value: n.total, previous: p.total },
          { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: n.sales, previous: p.sales },
          { key: 'averageTicket', label: t('reports.f.averageTicket'), kind: 'money', value: n.averageTicket, previous: p.averageTicket },
          { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: n.netSales, previous: p.netSales },
          { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: n.margin, previous: p.margin },
          { key: 'discounts', label: t('reports.f.discounts'), kind: 'money', value: n.discounts, previous: p.discounts, better: 'neither' },
          { key: 'tax', label: t('reports.f.tax'), kind: 'money', value: n.tax, previous: p.tax, better: 'neither' },
          { key: 'voids', label: t('reports.f.voids'), kind: 'count', value: n.voids, previous: p.voids, better: 'less' },
          { key: 'returns', label: t('reports.f.returns'), kind: 'count', value: n.returns, previous: p.returns, better: 'less' },
          { key: 'cashVariance', label: t('reports.f.cashVariance'), kind: 'money', value: n.cashVariance, previous: p.cashVariance, better: 'neither' },
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: stores ? 2 : 1 }} spacing="md">
        <Section title={t('reports.chart.salesOverTime')} help={t('reports.chart.salesOverTimeHelp')}>
          <SeriesChart data={paired(data.series, data.previousSeries, (f) => f.total, label)} kind="money" currency={currency} />
        </Section>
        {stores && (
          <Section title={t('reports.chart.stores')}>
            <BarsChart data={stores.map((s) => ({ label: s.storeId, now: s.figures.total, before: s.previous.total }))} kind="money" currency={currency} />
          </Section>
        )}
      </SimpleGrid>
      {stores && (
        <Section title={t('reports.table.byStore')}>
          <FigureTable
            label={t('reports.table.byStore')}
            currency={currency}
            rows={stores}
            rowKey={(s) => s.storeId}
            cols={[
              { key: 'store', label: t('reports.f.store'), kind: 'text', value: (s) => s.storeId },
              ...base.map((c): Col<(typeof stores)[number]> => ({ key: c.key, label: c.label, kind: c.kind, value: (s) => c.value(s.figures), previous: (s) => c.value(s.previous) as number })),
            ]}
          />
        </Section>
      )}
      <Section title={t('reports.table.series')} testId="report-series">
        <FigureTable
          label={t('reports.table.series')}
          currency={currency}
          rows={data.series}
          rowKey={(s) => s.bucket}
          total={{ bucket: '', figures: n }}
          cols={[{ key: 'bucket', label: t('reports.f.bucket'), kind: 'text', value: (s) => label(s.bucket) }, ...base.map((c): Col<{ bucket: string; figures: SalesFigures }> => ({ key: c.key, label: c.label, kind: c.kind, value: (s) => c.value(s.figures) }))]}
        />
      </Section>
    </Stack>
  );
}

export function SalesByPeriodView({ data, currency }: Props<SalesByPeriod>) {
  const t = useT();
  const label = useBucketLabel();
  const f = useFormat();
  const weekdayName = (d: number) => new Intl.DateTimeFormat(f.lang === 'es' ? 'es-MX' : 'en-US', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + d)));
  const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const sum = (rows: { sales: number; total: number }[]) => rows.reduce((a, r) => ({ sales: a.sales + r.sales, total: a.total + r.total }), { sales: 0, total: 0 });
  const now = sum(data.hours);
  const before = sum(data.previousHours);
  const hours = data.hours.filter((h, i) => h.sales > 0 || (data.previousHours[i]?.sales ?? 0) > 0);
  const from = Math.min(8, ...hours.map((h) => h.hour));
  const to = Math.max(20, ...hours.map((h) => h.hour));
  const shown = data.hours.filter((h) => h.hour >= from && h.hour <= to);
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'total', label: t('reports.f.total'), kind: 'money', value: now.total, previous: before.total },
          { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: now.sales, previous: before.sales },
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title={t('reports.chart.byHour')}>
          <BarsChart data={shown.map((h) => ({ label: hour(h.hour), now: h.total, before: data.previousHours[h.hour]?.total ?? 0 }))} kind="money" currency={currency} />
        </Section>
        <Section title={t('reports.chart.byWeekday')}>
          <BarsChart data={data.weekdays.map((w, i) => ({ label: weekdayName(w.weekday), now: w.total, before: data.previousWeekdays[i]?.total ?? 0 }))} kind="money" currency={currency} />
        </Section>
      </SimpleGrid>
      <Section title={t('reports.chart.salesOverTime')}>
        <SeriesChart data={paired(data.series, data.previousSeries, (x) => x.total, label)} kind="money" currency={currency} />
      </Section>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title={t('reports.table.byHour')} testId="report-hours">
          <FigureTable
            label={t('reports.table.byHour')}
            currency={currency}
            rows={hours}
            rowKey={(h) => String(h.hour)}
            cols={[
              { key: 'hour', label: t('reports.f.hour'), kind: 'text', value: (h) => hour(h.hour) },
              { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: (h) => h.sales },
              { key: 'total', label: t('reports.f.total'), kind: 'money', value: (h) => h.total, previous: (h) => data.previousHours[h.hour]?.total ?? 0 },
            ]}
          />
        </Section>
        <Section title={t('reports.table.byWeekday')}>
          <FigureTable
            label={t('reports.table.byWeekday')}
            currency={currency}
            rows={data.weekdays}
            rowKey={(w) => String(w.weekday)}
            cols={[
              { key: 'weekday', label: t('reports.f.weekday'), kind: 'text', value: (w) => weekdayName(w.weekday) },
              { key: 'days', label: t('reports.f.days'), kind: 'count', value: (w) => w.days },
              { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: (w) => w.sales },
              { key: 'total', label: t('reports.f.total'), kind: 'money', value: (w) => w.total },
            ]}
          />
        </Section>
      </SimpleGrid>
      <Section title={t('reports.table.series')} testId="report-series">
        <FigureTable
          label={t('reports.table.series')}
          currency={currency}
          rows={data.series}
          rowKey={(s) => s.bucket}
          cols={[
            { key: 'bucket', label: t('reports.f.bucket'), kind: 'text', value: (s) => label(s.bucket) },
            { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: (s) => s.figures.sales },
            { key: 'netExTax', label: t('reports.f.netExTax'), kind: 'money', value: (s) => s.figures.netExTax },
            { key: 'total', label: t('reports.f.total'), kind: 'money', value: (s) => s.figures.total },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function ProfitMarginView({ data, currency }: Props<ProfitMargin>) {
  const t = useT();
  const lang = useLang();
  const label = useBucketLabel();
  const { totals: n, previousTotals: p } = data;
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: n.netSales, previous: p.netSales },
          { key: 'cost', label: t('reports.f.cost'), kind: 'money', value: n.cost, previous: p.cost, better: 'neither' },
          { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: n.margin, previous: p.margin },
          { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: n.marginBp, previous: p.marginBp },
        ]}
      />
      <Section title={t('reports.chart.marginOverTime')}>
        <SeriesChart data={paired(data.series, data.previousSeries, (x) => x.margin, label)} kind="money" currency={currency} />
      </Section>
      <Section title={t('reports.table.departments')} testId="report-departments">
        <FigureTable
          label={t('reports.table.departments')}
          currency={currency}
          rows={data.departments}
          rowKey={(d) => d.departmentId}
          cols={[
            { key: 'name', label: t('reports.f.department'), kind: 'text', value: (d) => d.name[lang], render: (d) => <TreeName node={d} lang={lang} /> },
            { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (d) => d.total.netSales, previous: (d) => d.previousTotal.netSales },
            { key: 'cost', label: t('reports.f.cost'), kind: 'money', value: (d) => d.total.cost },
            { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: (d) => d.total.margin, previous: (d) => d.previousTotal.margin },
            { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: (d) => d.total.marginBp },
          ]}
        />
      </Section>
      <Section title={t('reports.table.series')} testId="report-series">
        <FigureTable
          label={t('reports.table.series')}
          currency={currency}
          rows={data.series}
          rowKey={(s) => s.bucket}
          total={{ bucket: '', figures: n }}
          cols={[
            { key: 'bucket', label: t('reports.f.bucket'), kind: 'text', value: (s) => label(s.bucket) },
            { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (s) => s.figures.netSales },
            { key: 'cost', label: t('reports.f.cost'), kind: 'money', value: (s) => s.figures.cost },
            { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: (s) => s.figures.margin },
            { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: (s) => s.figures.marginBp },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function CashierPerformanceView({ data, currency }: Props<CashierPerformance>) {
  const t = useT();
  const { totals: n, previousTotals: p } = data;
  type Row = CashierPerformance['cashiers'][number];
  const name = (c: Row) => (c.name && c.name !== c.cashierId ? c.name : c.cashierId);
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'total', label: t('reports.f.total'), kind: 'money', value: n.total, previous: p.total },
          { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: n.sales, previous: p.sales },
          { key: 'averageTicket', label: t('reports.f.averageTicket'), kind: 'money', value: n.averageTicket, previous: p.averageTicket },
          { key: 'voids', label: t('reports.f.voids'), kind: 'count', value: n.voids, previous: p.voids, better: 'less' },
          { key: 'returns', label: t('reports.f.returns'), kind: 'count', value: n.returns, previous: p.returns, better: 'less' },
          { key: 'cashVariance', label: t('reports.f.cashVariance'), kind: 'money', value: n.cashVariance, previous: p.cashVariance, better: 'neither' },
        ]}
      />
      <Section title={t('reports.chart.cashiers')}>
        <BarsChart horizontal data={data.cashiers.slice(0, 15).map((c) => ({ label: name(c), now: c.figures.total, before: c.previous.total }))} kind="money" currency={currency} />
      </Section>
      <Section title={t('reports.table.cashiers')} testId="report-cashiers">
        <FigureTable
          label={t('reports.table.cashiers')}
          currency={currency}
          rows={data.cashiers}
          rowKey={(c) => c.cashierId}
          total={{ cashierId: '', name: '', figures: n, previous: p }}
          cols={[
            { key: 'cashier', label: t('reports.f.cashier'), kind: 'text', value: name },
            { key: 'sales', label: t('reports.f.sales'), kind: 'count', value: (c) => c.figures.sales },
            { key: 'total', label: t('reports.f.total'), kind: 'money', value: (c) => c.figures.total, previous: (c) => c.previous.total },
            { key: 'averageTicket', label: t('reports.f.averageTicket'), kind: 'money', value: (c) => c.figures.averageTicket },
            { key: 'voids', label: t('reports.f.voids'), kind: 'count', value: (c) => c.figures.voids },
            { key: 'returns', label: t('reports.f.returns'), kind: 'count', value: (c) => c.figures.returns },
            { key: 'discountAmount', label: t('reports.f.discounts'), kind: 'money', value: (c) => c.figures.discountAmount },
            { key: 'cashVariance', label: t('reports.f.cashVariance'), kind: 'money', value: (c) => c.figures.cashVariance },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function SalesByRepView({ data, currency }: Props<SalesByRep>) {
  const t = useT();
  const { totals: n, previousTotals: p } = data;
  type Row = SalesByRep['reps'][number];
  const name = (r: Row) => r.name || r.repId;
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: n.netSales, previous: p.netSales },
          { key: 'commission', label: t('reports.f.commission'), kind: 'money', value: n.commission, previous: p.commission, better: 'neither' },
          { key: 'lines', label: t('reports.f.lines'), kind: 'count', value: n.lines, previous: p.lines },
          { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: n.qtyMilli, previous: p.qtyMilli },
        ]}
      />
      <Section title={t('reports.chart.reps')}>
        <BarsChart horizontal data={data.reps.map((r) => ({ label: name(r), now: r.figures.netSales, before: r.previous.netSales }))} kind="money" currency={currency} />
      </Section>
      <Section title={t('reports.table.reps')} testId="report-reps">
        <FigureTable
          label={t('reports.table.reps')}
          currency={currency}
          rows={data.reps}
          rowKey={(r) => r.repId}
          total={{ repId: '', name: '', commissionBp: 0, figures: n, previous: p }}
          cols={[
            { key: 'rep', label: t('reports.f.rep'), kind: 'text', value: name },
            { key: 'lines', label: t('reports.f.lines'), kind: 'count', value: (r) => r.figures.lines },
            { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: (r) => r.figures.qtyMilli },
            { key: 'returnedExTax', label: t('reports.f.returnsAmount'), kind: 'money', value: (r) => r.figures.returnedExTax },
            { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (r) => r.figures.netSales, previous: (r) => r.previous.netSales },
            { key: 'commissionBp', label: t('reports.f.commissionRate'), kind: 'bp', value: (r) => r.commissionBp },
            { key: 'commission', label: t('reports.f.commission'), kind: 'money', value: (r) => r.figures.commission },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function DiscountAnalysisView({ data, currency }: Props<DiscountAnalysis>) {
  const t = useT();
  const label = useBucketLabel();
  const { totals: n, previousTotals: p } = data;
  const kindLabel = (k: string) => t(`reports.discountKind.${k.replace(':', '_')}` as Parameters<typeof t>[0]);
  const approvalLabel = (a: string) => t(`reports.approval.${a}` as Parameters<typeof t>[0]);
  const countAmount = <R,>(first: Col<R>): Col<R & { count: number; amount: number }>[] => [
    first,
    { key: 'count', label: t('reports.f.count'), kind: 'count', value: (r) => r.count },
    { key: 'amount', label: t('reports.f.discounts'), kind: 'money', value: (r) => r.amount },
  ];
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'amount', label: t('reports.f.discounts'), kind: 'money', value: n.amount, previous: p.amount, better: 'less' },
          { key: 'count', label: t('reports.f.count'), kind: 'count', value: n.count, previous: p.count, better: 'neither' },
          { key: 'shareBp', label: t('reports.f.share'), kind: 'bp', value: n.shareBp, previous: p.shareBp, better: 'less' },
          { key: 'gross', label: t('reports.f.gross'), kind: 'money', value: n.gross, previous: p.gross },
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title={t('reports.chart.discountsOverTime')}>
          <SeriesChart data={paired(data.series, undefined, (x) => x.amount, label)} kind="money" currency={currency} />
        </Section>
        <Section title={t('reports.chart.byKind')}>
          <BarsChart data={data.byKind.map((k) => ({ label: kindLabel(k.kind), now: k.amount }))} kind="money" currency={currency} />
        </Section>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2, xl: 3 }} spacing="md">
        <Section title={t('reports.table.byKind')} testId="report-kinds">
          <FigureTable label={t('reports.table.byKind')} currency={currency} rows={data.byKind} rowKey={(k) => k.kind} cols={countAmount({ key: 'kind', label: t('reports.f.kind'), kind: 'text', value: (k: { kind: string }) => kindLabel(k.kind) })} />
        </Section>
        <Section title={t('reports.table.byApproval')}>
          <FigureTable label={t('reports.table.byApproval')} currency={currency} rows={data.byApproval} rowKey={(k) => k.approval} cols={countAmount({ key: 'approval', label: t('reports.f.approval'), kind: 'text', value: (k: { approval: string }) => approvalLabel(k.approval) })} />
        </Section>
        <Section title={t('reports.table.byCashier')}>
          <FigureTable label={t('reports.table.byCashier')} currency={currency} rows={data.byCashier} rowKey={(k) => k.cashierId} cols={countAmount({ key: 'cashier', label: t('reports.f.cashier'), kind: 'text', value: (k: { cashierId: string; name: string }) => k.name || k.cashierId })} />
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
