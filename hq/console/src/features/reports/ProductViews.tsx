// The report pages about products, departments, stock and tax: product performance (top products, slow
// movers), department sales (the tree rolled up), inventory value and turnover, and the tax report per rate
// and tax mode. Each shows its key figures against the previous period, its chart and its table.
import { Badge, SimpleGrid, Stack } from '@mantine/core';
import type { DepartmentSales, InventoryTurnover, InventoryValue, ProductPerformance, TaxReport } from '../../../../../shared/api/reports';
import { useT } from '../../i18n/useT';
import { useLang } from '../../lib/hooks';
import { BarsChart } from './LazyCharts';
import { FigureTable, KpiCards, Section, TreeName } from './parts';

type Props<A> = { data: A; currency: string };

/** How many products the top-products chart shows (the table has them all). */
const TOP = 10;

export function ProductPerformanceView({ data, currency }: Props<ProductPerformance>) {
  const t = useT();
  const lang = useLang();
  const { totals: n, previousTotals: p } = data;
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: n.netSales, previous: p.netSales },
          { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: n.qtyMilli, previous: p.qtyMilli },
          { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: n.margin, previous: p.margin },
          { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: n.marginBp, previous: p.marginBp },
          { key: 'count', label: t('reports.f.productsSold'), kind: 'count', value: data.count },
        ]}
      />
      <Section title={t('reports.chart.topProducts', { count: Math.min(TOP, data.products.length) })}>
        <BarsChart horizontal data={data.products.slice(0, TOP).map((r) => ({ label: r.name[lang], now: r.figures.netSales, before: r.previous.netSales }))} kind="money" currency={currency} />
      </Section>
      <Section title={t('reports.table.products')} testId="report-products">
        <FigureTable
          label={t('reports.table.products')}
          currency={currency}
          rows={data.products}
          rowKey={(r) => r.productId}
          cols={[
            { key: 'rank', label: t('reports.f.rank'), kind: 'count', value: (r) => r.rank },
            { key: 'sku', label: t('reports.f.sku'), kind: 'text', value: (r) => r.sku },
            { key: 'name', label: t('reports.f.product'), kind: 'text', value: (r) => r.name[lang] },
            { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: (r) => r.figures.qtyMilli, previous: (r) => r.previous.qtyMilli },
            { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (r) => r.figures.netSales, previous: (r) => r.previous.netSales },
            { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: (r) => r.figures.margin },
            { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: (r) => r.figures.marginBp },
            { key: 'previousRank', label: t('reports.f.previousRank'), kind: 'text', value: (r) => (r.previousRank === null ? t('common.none') : String(r.previousRank)) },
          ]}
        />
      </Section>
      <Section title={t('reports.table.slowMovers')} help={t('reports.table.slowMoversHelp')}>
        <FigureTable
          label={t('reports.table.slowMovers')}
          currency={currency}
          rows={data.slowMovers}
          rowKey={(r) => r.productId}
          cols={[
            { key: 'sku', label: t('reports.f.sku'), kind: 'text', value: (r) => r.sku },
            { key: 'name', label: t('reports.f.product'), kind: 'text', value: (r) => r.name[lang] },
            { key: 'stockMilli', label: t('reports.f.stock'), kind: 'milli', value: (r) => r.stockMilli },
            { key: 'soldMilli', label: t('reports.f.units'), kind: 'milli', value: (r) => r.soldMilli },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function DepartmentSalesView({ data, currency }: Props<DepartmentSales>) {
  const t = useT();
  const lang = useLang();
  const { totals: n, previousTotals: p } = data;
  const top = data.departments.filter((d) => d.depth === Math.min(...data.departments.map((x) => x.depth)));
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: n.netSales, previous: p.netSales },
          { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: n.qtyMilli, previous: p.qtyMilli },
          { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: n.margin, previous: p.margin },
          { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: n.marginBp, previous: p.marginBp },
        ]}
      />
      <Section title={t('reports.chart.departments')}>
        <BarsChart horizontal data={top.map((d) => ({ label: d.name[lang], now: d.total.netSales, before: d.previousTotal.netSales }))} kind="money" currency={currency} />
      </Section>
      <Section title={t('reports.table.departmentTree')} help={t('reports.table.departmentTreeHelp')} testId="report-departments">
        <FigureTable
          label={t('reports.table.departmentTree')}
          currency={currency}
          rows={data.departments}
          rowKey={(d) => d.departmentId}
          cols={[
            { key: 'name', label: t('reports.f.department'), kind: 'text', value: (d) => d.name[lang], render: (d) => <TreeName node={d} lang={lang} /> },
            { key: 'qtyMilli', label: t('reports.f.units'), kind: 'milli', value: (d) => d.total.qtyMilli },
            { key: 'own', label: t('reports.f.ownSales'), kind: 'money', value: (d) => d.own.netSales },
            { key: 'netSales', label: t('reports.f.netSales'), kind: 'money', value: (d) => d.total.netSales, previous: (d) => d.previousTotal.netSales },
            { key: 'margin', label: t('reports.f.margin'), kind: 'money', value: (d) => d.total.margin },
            { key: 'marginBp', label: t('reports.f.marginBp'), kind: 'bp', value: (d) => d.total.marginBp },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function InventoryValueView({ data, currency }: Props<InventoryValue>) {
  const t = useT();
  const lang = useLang();
  const { totals: n, previousTotals: p } = data;
  const top = data.departments.filter((d) => d.depth === 0);
  const stores = data.byStore && data.byStore.length > 1 ? data.byStore : null;
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'costValue', label: t('reports.f.costValue'), kind: 'money', value: n.costValue, previous: p.costValue, better: 'neither' },
          { key: 'retailValue', label: t('reports.f.retailValue'), kind: 'money', value: n.retailValue, previous: p.retailValue, better: 'neither' },
          { key: 'qtyMilli', label: t('reports.f.stock'), kind: 'milli', value: n.qtyMilli, previous: p.qtyMilli, better: 'neither' },
          { key: 'noCostMilli', label: t('reports.f.noCost'), kind: 'milli', value: n.noCostMilli, previous: p.noCostMilli, better: 'less' },
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: stores ? 2 : 1 }} spacing="md">
        <Section title={t('reports.chart.departmentsValue')}>
          <BarsChart horizontal data={top.map((d) => ({ label: d.name[lang], now: d.total.costValue, before: d.previousTotal.costValue }))} kind="money" currency={currency} />
        </Section>
        {stores && (
          <Section title={t('reports.chart.stores')}>
            <BarsChart data={stores.map((s) => ({ label: s.storeId, now: s.figures.costValue, before: s.previous.costValue }))} kind="money" currency={currency} />
          </Section>
        )}
      </SimpleGrid>
      <Section title={t('reports.table.departmentTree')} testId="report-departments">
        <FigureTable
          label={t('reports.table.departmentTree')}
          currency={currency}
          rows={data.departments}
          rowKey={(d) => d.departmentId}
          total={{ ...data.departments[0]!, departmentId: 'total', depth: 0, total: n, previousTotal: p, own: n }}
          cols={[
            { key: 'name', label: t('reports.f.department'), kind: 'text', value: (d) => d.name[lang], render: (d) => <TreeName node={d} lang={lang} /> },
            { key: 'qtyMilli', label: t('reports.f.stock'), kind: 'milli', value: (d) => d.total.qtyMilli },
            { key: 'costValue', label: t('reports.f.costValue'), kind: 'money', value: (d) => d.total.costValue, previous: (d) => d.previousTotal.costValue, better: 'neither' },
            { key: 'retailValue', label: t('reports.f.retailValue'), kind: 'money', value: (d) => d.total.retailValue },
          ]}
        />
      </Section>
      {data.products.length > 0 && (
        <Section title={t('reports.table.products')}>
          <FigureTable
            label={t('reports.table.products')}
            currency={currency}
            rows={data.products}
            rowKey={(r) => r.productId}
            cols={[
              { key: 'sku', label: t('reports.f.sku'), kind: 'text', value: (r) => r.sku },
              { key: 'name', label: t('reports.f.product'), kind: 'text', value: (r) => r.name[lang] },
              { key: 'qtyMilli', label: t('reports.f.stock'), kind: 'milli', value: (r) => r.figures.qtyMilli },
              { key: 'costValue', label: t('reports.f.costValue'), kind: 'money', value: (r) => r.figures.costValue },
              { key: 'retailValue', label: t('reports.f.retailValue'), kind: 'money', value: (r) => r.figures.retailValue },
            ]}
          />
        </Section>
      )}
    </Stack>
  );
}

export function InventoryTurnoverView({ data, currency }: Props<InventoryTurnover>) {
  const t = useT();
  const lang = useLang();
  const { totals: n, previousTotals: p } = data;
  const top = data.departments.filter((d) => d.depth === 0);
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'turnoverBp', label: t('reports.f.turnover'), kind: 'times', value: n.turnoverBp, previous: p.turnoverBp },
          { key: 'cogs', label: t('reports.f.cogs'), kind: 'money', value: n.cogs, previous: p.cogs },
          { key: 'averageValue', label: t('reports.f.averageValue'), kind: 'money', value: n.averageValue, previous: p.averageValue, better: 'neither' },
          { key: 'closingValue', label: t('reports.f.closingValue'), kind: 'money', value: n.closingValue, previous: p.closingValue, better: 'neither' },
        ]}
      />
      <Section title={t('reports.chart.turnover')}>
        <BarsChart horizontal data={top.map((d) => ({ label: d.name[lang], now: d.total.turnoverBp, before: d.previousTotal.turnoverBp }))} kind="times" currency={currency} />
      </Section>
      <Section title={t('reports.table.departmentTree')} testId="report-departments">
        <FigureTable
          label={t('reports.table.departmentTree')}
          currency={currency}
          rows={data.departments}
          rowKey={(d) => d.departmentId}
          cols={[
            { key: 'name', label: t('reports.f.department'), kind: 'text', value: (d) => d.name[lang], render: (d) => <TreeName node={d} lang={lang} /> },
            { key: 'cogs', label: t('reports.f.cogs'), kind: 'money', value: (d) => d.total.cogs },
            { key: 'openingValue', label: t('reports.f.openingValue'), kind: 'money', value: (d) => d.total.openingValue },
            { key: 'closingValue', label: t('reports.f.closingValue'), kind: 'money', value: (d) => d.total.closingValue },
            { key: 'averageValue', label: t('reports.f.averageValue'), kind: 'money', value: (d) => d.total.averageValue },
            { key: 'turnoverBp', label: t('reports.f.turnover'), kind: 'times', value: (d) => d.total.turnoverBp, previous: (d) => d.previousTotal.turnoverBp },
          ]}
        />
      </Section>
    </Stack>
  );
}

export function TaxView({ data, currency }: Props<TaxReport>) {
  const t = useT();
  const lang = useLang();
  const { totals: n, previousTotals: p } = data;
  type Row = TaxReport['rates'][number];
  const key = (r: Row) => `${r.rateId}|${r.mode}`;
  const totalRow: Row = {
    rateId: '', code: '', name: { en: '', es: '' }, mode: 'exclusive',
    salesBasis: sum(data.rates, (r) => r.salesBasis), salesTax: n.salesTax, returnsBasis: sum(data.rates, (r) => r.returnsBasis), returnsTax: n.returnsTax,
    netBasis: sum(data.rates, (r) => r.netBasis), netTax: n.netTax,
  } as Row;
  const previousOf = (r: Row) => data.previousRates.find((x) => key(x) === key(r));
  return (
    <Stack gap="md">
      <KpiCards
        currency={currency}
        items={[
          { key: 'netTax', label: t('reports.f.netTax'), kind: 'money', value: n.netTax, previous: p.netTax, better: 'neither' },
          { key: 'salesTax', label: t('reports.f.salesTax'), kind: 'money', value: n.salesTax, previous: p.salesTax, better: 'neither' },
          { key: 'returnsTax', label: t('reports.f.returnsTax'), kind: 'money', value: n.returnsTax, previous: p.returnsTax, better: 'neither' },
        ]}
      />
      <Section title={t('reports.table.taxRates')} help={t('reports.table.taxRatesHelp')} testId="report-tax">
        <FigureTable
          label={t('reports.table.taxRates')}
          currency={currency}
          rows={data.rates}
          rowKey={key}
          total={totalRow}
          cols={[
            { key: 'code', label: t('reports.f.taxRate'), kind: 'text', value: (r) => r.name[lang] || r.code },
            {
              key: 'mode', label: t('reports.f.taxMode'), kind: 'text', value: (r) => r.mode,
              render: (r) => (r.rateId ? <Badge variant="light" color={r.mode === 'inclusive' ? 'grape' : 'blue'} style={{ overflow: 'visible' }} miw="fit-content">{t(`reports.mode.${r.mode}`)}</Badge> : null),
            },
            { key: 'salesBasis', label: t('reports.f.salesBasis'), kind: 'money', value: (r) => r.salesBasis },
            { key: 'salesTax', label: t('reports.f.salesTax'), kind: 'money', value: (r) => r.salesTax },
            { key: 'returnsBasis', label: t('reports.f.returnsBasis'), kind: 'money', value: (r) => r.returnsBasis },
            { key: 'returnsTax', label: t('reports.f.returnsTax'), kind: 'money', value: (r) => r.returnsTax },
            { key: 'netBasis', label: t('reports.f.netBasis'), kind: 'money', value: (r) => r.netBasis },
            { key: 'netTax', label: t('reports.f.netTax'), kind: 'money', value: (r) => r.netTax, previous: (r) => previousOf(r)?.netTax ?? (r.rateId ? 0 : p.netTax), better: 'neither' },
          ]}
        />
      </Section>
      <Section title={t('reports.chart.taxRates')}>
        <BarsChart data={data.rates.map((r) => ({ label: `${r.code} (${t(`reports.mode.${r.mode}`)})`, now: r.netTax, before: previousOf(r)?.netTax ?? 0 }))} kind="money" currency={currency} />
      </Section>
    </Stack>
  );
}

function sum<R>(rows: readonly R[], pick: (r: R) => number): number {
  return rows.reduce((a, r) => a + pick(r), 0);
}
