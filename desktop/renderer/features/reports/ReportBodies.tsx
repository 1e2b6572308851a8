// What each report shows under its filters: the headline figures against the previous period, the chart a
// manager would rather look at, and the tables (the same rows the CSV export holds). One small component per
// report of shared/api/reports.ts; the answers arrive as JSON from the store server and are only formatted here.
import { SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Wire } from '../../../../shared/api/client';
import type { ReportAnswers, ReportName } from '../../../../shared/api/reports';
import type { I18nText } from '../../../../shared/model/types';
import { useFormat } from '../../app/format';
import { useAppSelector } from '../../app/store';
import { RankChart, SeriesChart } from './Charts';
import { Block, FigureTable, stat, StatCards } from './parts';
import { FigureLines, Paperslip } from './Printed';

type A<N extends ReportName> = Wire<ReportAnswers[N]>;

function useName() {
  const lang = useAppSelector((s) => s.ui.lang);
  return (n: I18nText | { en: string; es: string }) => n[lang];
}

/** A department's name indented by its depth in the tree. */
function TreeName({ name, depth }: { name: string; depth: number }) {
  return (
    <Text span pl={depth * 16} fw={depth === 0 ? 600 : undefined}>
      {name}
    </Text>
  );
}

export function SalesSummaryBody({ a, charts }: { a: A<'sales-summary'>; charts: boolean }) {
  const { t } = useTranslation();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.total'), 'money', x, p, 'total'),
          stat(t('reports.col.sales'), 'count', x, p, 'sales'),
          stat(t('reports.col.averageTicket'), 'money', x, p, 'averageTicket'),
          stat(t('reports.col.netSales'), 'money', x, p, 'netSales'),
          stat(t('reports.col.tax'), 'money', x, p, 'tax'),
          stat(t('reports.col.discounts'), 'money', x, p, 'discounts', true),
          stat(t('reports.col.returnsAmount'), 'money', x, p, 'returnsAmount', true),
          stat(t('reports.col.margin'), 'money', x, p, 'margin'),
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.overTime')} className="caja-report-chart">
          <SeriesChart points={a.series.map((s, i) => ({ label: s.bucket, current: s.figures.total, previous: a.previousSeries[i]?.figures.total ?? 0 }))} />
        </Block>
      )}
      <Block title={t('reports.table.byPeriod')}>
        <FigureTable
          label={t('reports.table.byPeriod')}
          rowKey={(r) => r.bucket}
          rows={a.series}
          total={{ bucket: t('reports.total'), figures: x }}
          columns={[
            { label: t('reports.col.period'), get: (r) => r.bucket },
            { label: t('reports.col.sales'), kind: 'count', get: (r) => r.figures.sales },
            { label: t('reports.col.gross'), kind: 'money', get: (r) => r.figures.gross },
            { label: t('reports.col.discounts'), kind: 'money', get: (r) => r.figures.discounts },
            { label: t('reports.col.tax'), kind: 'money', get: (r) => r.figures.tax },
            { label: t('reports.col.total'), kind: 'money', get: (r) => r.figures.total },
            { label: t('reports.col.returnsAmount'), kind: 'money', get: (r) => r.figures.returnsAmount },
            { label: t('reports.col.voids'), kind: 'count', get: (r) => r.figures.voids },
            { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.figures.netSales },
            { label: t('reports.col.margin'), kind: 'money', get: (r) => r.figures.margin },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function XBody({ a }: { a: A<'x'> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const at = fmt.dateTime(a.at);
  return (
    <Paperslip
      title={t('reports.paper.xTitle')}
      label={t('reports.paper.xTitle')}
      lines={[a.storeId, t('reports.paper.at', { time: at }), t('reports.paper.registers', { count: a.shiftIds.length, open: a.openShiftIds.length })]}
    >
      <FigureLines figures={a.figures} />
    </Paperslip>
  );
}

export function ZBody({ a }: { a: A<'z'> }) {
  const { t } = useTranslation();
  if (a.closedDays === 0) {
    return (
      <Text c="dimmed" role="status">
        {t('reports.paper.notClosed', { date: a.businessDate })}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: a.lateArrivals ? 2 : 1 }} spacing="sm" className="caja-report-papers">
      <Paperslip title={t('reports.paper.zTitle')} label={t('reports.paper.zTitle')} lines={[a.stores?.join(', ') ?? '', a.businessDate]}>
        <FigureLines figures={a.figures} />
      </Paperslip>
      {a.lateArrivals && (
        <Paperslip title={t('reports.paper.late')} label={t('reports.paper.late')} lines={[t('reports.paper.lateHelp')]}>
          <FigureLines figures={a.lateArrivals} />
        </Paperslip>
      )}
    </SimpleGrid>
  );
}

export function ZZBody({ a }: { a: A<'zz'> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.total'), 'money', a.figures, a.previousFigures, 'salesTotal'),
          stat(t('reports.col.sales'), 'count', a.figures, a.previousFigures, 'salesCount'),
          stat(t('reports.col.tax'), 'money', a.figures, a.previousFigures, 'taxTotal'),
          stat(t('reports.paper.variance'), 'money', a.figures, a.previousFigures, 'variance'),
        ]}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" className="caja-report-papers">
        <Paperslip
          title={t('reports.paper.zzTitle')}
          label={t('reports.paper.zzTitle')}
          lines={[`${a.from} – ${a.to}`, t('reports.paper.closedDays', { count: a.closedDays })]}
        >
          <FigureLines figures={a.figures} />
        </Paperslip>
        <Stack gap="sm">
          {a.lateArrivals && (
            <Paperslip title={t('reports.paper.late')} label={t('reports.paper.late')} lines={[t('reports.paper.lateHelp'), t('reports.paper.lateDays', { count: a.lateDays })]}>
              <FigureLines figures={a.lateArrivals} />
            </Paperslip>
          )}
          <Block title={t('reports.table.byPeriod')}>
            <FigureTable
              label={t('reports.table.byPeriod')}
              rowKey={(r) => r.bucket}
              rows={a.series}
              columns={[
                { label: t('reports.col.period'), get: (r) => r.bucket },
                { label: t('reports.col.closedDays'), kind: 'count', get: (r) => r.closedDays },
                { label: t('reports.col.sales'), kind: 'count', get: (r) => r.figures.salesCount },
                { label: t('reports.col.total'), kind: 'money', get: (r) => r.figures.salesTotal },
                { label: t('reports.paper.variance'), kind: 'money', get: (r) => r.figures.variance },
              ]}
            />
          </Block>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

export function TaxBody({ a, charts }: { a: A<'tax'>; charts: boolean }) {
  const { t } = useTranslation();
  const name = useName();
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.salesTax'), 'money', a.totals, a.previousTotals, 'salesTax'),
          stat(t('reports.col.returnsTax'), 'money', a.totals, a.previousTotals, 'returnsTax'),
          stat(t('reports.col.netTax'), 'money', a.totals, a.previousTotals, 'netTax'),
        ]}
      />
      <Block title={t('reports.table.byRate')}>
        <FigureTable
          label={t('reports.table.byRate')}
          rowKey={(r) => `${r.rateId}:${r.mode}`}
          rows={a.rates}
          columns={[
            { label: t('reports.col.code'), get: (r) => r.code },
            { label: t('reports.col.name'), get: (r) => name(r.name) },
            { label: t('reports.col.mode'), get: (r) => t(r.mode === 'inclusive' ? 'reports.mode.inclusive' : 'reports.mode.exclusive') },
            { label: t('reports.col.salesBasis'), kind: 'money', get: (r) => r.salesBasis },
            { label: t('reports.col.salesTax'), kind: 'money', get: (r) => r.salesTax },
            { label: t('reports.col.returnsBasis'), kind: 'money', get: (r) => r.returnsBasis },
            { label: t('reports.col.returnsTax'), kind: 'money', get: (r) => r.returnsTax },
            { label: t('reports.col.netBasis'), kind: 'money', get: (r) => r.netBasis },
            { label: t('reports.col.netTax'), kind: 'money', get: (r) => r.netTax },
          ]}
        />
      </Block>
      {charts && (
        <Block title={t('reports.chart.taxOverTime')} className="caja-report-chart">
          <SeriesChart points={a.series.map((s) => ({ label: s.bucket, current: s.figures.netTax }))} />
        </Block>
      )}
    </Stack>
  );
}

export function InventoryValueBody({ a }: { a: A<'inventory-value'> }) {
  const { t } = useTranslation();
  const name = useName();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <Text c="dimmed">{t('reports.asOf', { date: a.asOf })}</Text>
      <StatCards
        stats={[
          stat(t('reports.col.costValue'), 'money', x, p, 'costValue'),
          stat(t('reports.col.retailValue'), 'money', x, p, 'retailValue'),
          stat(t('reports.col.qty'), 'milli', x, p, 'qtyMilli'),
          stat(t('reports.col.noCost'), 'milli', x, p, 'noCostMilli', true),
        ]}
      />
      <Block title={t('reports.table.byDepartment')}>
        <FigureTable
          label={t('reports.table.byDepartment')}
          rowKey={(r) => r.departmentId}
          rows={a.departments}
          columns={[
            { label: t('reports.col.department'), get: (d) => <TreeName name={name(d.name)} depth={d.depth} /> },
            { label: t('reports.col.qty'), kind: 'milli', get: (r) => r.total.qtyMilli },
            { label: t('reports.col.costValue'), kind: 'money', get: (r) => r.total.costValue, previous: (r) => r.previousTotal.costValue },
            { label: t('reports.col.retailValue'), kind: 'money', get: (r) => r.total.retailValue },
          ]}
        />
      </Block>
      {a.products.length > 0 && (
        <Block title={t('reports.table.products')}>
          <FigureTable
            label={t('reports.table.products')}
            rowKey={(r) => r.productId}
            rows={a.products}
            columns={[
              { label: t('reports.col.sku'), get: (r) => r.sku },
              { label: t('reports.col.name'), get: (r) => name(r.name) },
              { label: t('reports.col.qty'), kind: 'milli', get: (r) => r.figures.qtyMilli },
              { label: t('reports.col.costValue'), kind: 'money', get: (r) => r.figures.costValue, previous: (r) => r.previous.costValue },
              { label: t('reports.col.retailValue'), kind: 'money', get: (r) => r.figures.retailValue },
            ]}
          />
        </Block>
      )}
    </Stack>
  );
}

export function ProductPerformanceBody({ a, charts }: { a: A<'product-performance'>; charts: boolean }) {
  const { t } = useTranslation();
  const name = useName();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.netSales'), 'money', x, p, 'netSales'),
          stat(t('reports.col.qtySold'), 'milli', x, p, 'qtyMilli'),
          stat(t('reports.col.margin'), 'money', x, p, 'margin'),
          { label: t('reports.col.productsSold'), kind: 'count', current: a.count },
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.topProducts')} className="caja-report-chart">
          <RankChart rows={a.products.map((r) => ({ label: name(r.name), value: r.figures.netSales }))} />
        </Block>
      )}
      <Block title={t('reports.table.products')}>
        <FigureTable
          label={t('reports.table.products')}
          rowKey={(r) => r.productId}
          rows={a.products}
          columns={[
            { label: t('reports.col.rank'), kind: 'count', get: (r) => r.rank },
            { label: t('reports.col.sku'), get: (r) => r.sku },
            { label: t('reports.col.name'), get: (r) => name(r.name) },
            { label: t('reports.col.qty'), kind: 'milli', get: (r) => r.figures.qtyMilli },
            { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.figures.netSales, previous: (r) => r.previous.netSales },
            { label: t('reports.col.margin'), kind: 'money', get: (r) => r.figures.margin },
            { label: t('reports.col.marginBp'), kind: 'bp', get: (r) => r.figures.marginBp },
            { label: t('reports.col.previousRank'), get: (r) => (r.previousRank === null ? '—' : String(r.previousRank)) },
          ]}
        />
      </Block>
      <Block title={t('reports.table.slowMovers')}>
        <FigureTable
          label={t('reports.table.slowMovers')}
          rowKey={(r) => r.productId}
          rows={a.slowMovers}
          columns={[
            { label: t('reports.col.sku'), get: (r) => r.sku },
            { label: t('reports.col.name'), get: (r) => name(r.name) },
            { label: t('reports.col.stock'), kind: 'milli', get: (r) => r.stockMilli },
            { label: t('reports.col.qtySold'), kind: 'milli', get: (r) => r.soldMilli },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function SalesByPeriodBody({ a, charts }: { a: A<'sales-by-period'>; charts: boolean }) {
  const { t } = useTranslation();
  const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const traded = a.hours.filter((h) => h.sales > 0 || (a.previousHours[h.hour]?.sales ?? 0) > 0).map((h) => h.hour);
  const first = Math.min(8, ...traded);
  const last = Math.max(20, ...traded);
  const weekdays = [t('reports.weekday.0'), t('reports.weekday.1'), t('reports.weekday.2'), t('reports.weekday.3'), t('reports.weekday.4'), t('reports.weekday.5'), t('reports.weekday.6')];
  const totalSales = a.hours.reduce((s, h) => s + h.sales, 0);
  const prevSales = a.previousHours.reduce((s, h) => s + h.sales, 0);
  const total = a.hours.reduce((s, h) => s + h.total, 0);
  const prevTotal = a.previousHours.reduce((s, h) => s + h.total, 0);
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          { label: t('reports.col.total'), kind: 'money', current: total, previous: prevTotal },
          { label: t('reports.col.sales'), kind: 'count', current: totalSales, previous: prevSales },
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.byHour')} className="caja-report-chart">
          <SeriesChart points={a.hours.filter((h) => h.hour >= first && h.hour <= last).map((h) => ({ label: hour(h.hour), current: h.total, previous: a.previousHours[h.hour]?.total ?? 0 }))} />
        </Block>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <Block title={t('reports.table.byWeekday')}>
          <FigureTable
            label={t('reports.table.byWeekday')}
            rowKey={(r) => String(r.weekday)}
            rows={a.weekdays}
            columns={[
              { label: t('reports.col.weekday'), get: (r) => weekdays[r.weekday] ?? String(r.weekday) },
              { label: t('reports.col.days'), kind: 'count', get: (r) => r.days },
              { label: t('reports.col.sales'), kind: 'count', get: (r) => r.sales },
              { label: t('reports.col.total'), kind: 'money', get: (r) => r.total, previous: (r) => a.previousWeekdays[r.weekday]?.total ?? 0 },
            ]}
          />
        </Block>
        <Block title={t('reports.table.byHour')}>
          <FigureTable
            label={t('reports.table.byHour')}
            rowKey={(r) => String(r.hour)}
            rows={a.hours.filter((h) => traded.includes(h.hour))}
            columns={[
              { label: t('reports.col.hour'), get: (r) => hour(r.hour) },
              { label: t('reports.col.sales'), kind: 'count', get: (r) => r.sales },
              { label: t('reports.col.total'), kind: 'money', get: (r) => r.total, previous: (r) => a.previousHours[r.hour]?.total ?? 0 },
            ]}
          />
        </Block>
      </SimpleGrid>
      <Block title={t('reports.table.byPeriod')}>
        <FigureTable
          label={t('reports.table.byPeriod')}
          rowKey={(r) => r.bucket}
          rows={a.series}
          columns={[
            { label: t('reports.col.period'), get: (r) => r.bucket },
            { label: t('reports.col.sales'), kind: 'count', get: (r) => r.figures.sales },
            { label: t('reports.col.total'), kind: 'money', get: (r) => r.figures.total },
            { label: t('reports.col.netExTax'), kind: 'money', get: (r) => r.figures.netExTax },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function SalesByRepBody({ a }: { a: A<'sales-by-rep'> }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.netSales'), 'money', a.totals, a.previousTotals, 'netSales'),
          stat(t('reports.col.commission'), 'money', a.totals, a.previousTotals, 'commission'),
        ]}
      />
      <Block title={t('reports.table.byRep')}>
        <FigureTable
          label={t('reports.table.byRep')}
          rowKey={(r) => r.repId}
          rows={a.reps}
          total={{ repId: '', name: t('reports.total'), commissionBp: 0, figures: a.totals, previous: a.previousTotals }}
          empty={t('reports.noReps')}
          columns={[
            { label: t('reports.col.rep'), get: (r) => r.name },
            { label: t('reports.col.lines'), kind: 'count', get: (r) => r.figures.lines },
            { label: t('reports.col.qty'), kind: 'milli', get: (r) => r.figures.qtyMilli },
            { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.figures.netSales, previous: (r) => r.previous.netSales },
            { label: t('reports.col.commissionBp'), kind: 'bp', get: (r) => r.commissionBp },
            { label: t('reports.col.commission'), kind: 'money', get: (r) => r.figures.commission },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function ProfitMarginBody({ a, charts }: { a: A<'profit-margin'>; charts: boolean }) {
  const { t } = useTranslation();
  const name = useName();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.netSales'), 'money', x, p, 'netSales'),
          stat(t('reports.col.cost'), 'money', x, p, 'cost'),
          stat(t('reports.col.margin'), 'money', x, p, 'margin'),
          stat(t('reports.col.marginBp'), 'bp', x, p, 'marginBp'),
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.marginOverTime')} className="caja-report-chart">
          <SeriesChart points={a.series.map((s, i) => ({ label: s.bucket, current: s.figures.margin, previous: a.previousSeries[i]?.figures.margin ?? 0 }))} />
        </Block>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <Block title={t('reports.table.byPeriod')}>
          <FigureTable
            label={t('reports.table.byPeriod')}
            rowKey={(r) => r.bucket}
            rows={a.series}
            total={{ bucket: t('reports.total'), figures: x }}
            columns={[
              { label: t('reports.col.period'), get: (r) => r.bucket },
              { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.figures.netSales },
              { label: t('reports.col.margin'), kind: 'money', get: (r) => r.figures.margin },
              { label: t('reports.col.marginBp'), kind: 'bp', get: (r) => r.figures.marginBp },
            ]}
          />
        </Block>
        <Block title={t('reports.table.byDepartment')}>
          <FigureTable
            label={t('reports.table.byDepartment')}
            rowKey={(r) => r.departmentId}
            rows={a.departments}
            columns={[
              { label: t('reports.col.department'), get: (d) => <TreeName name={name(d.name)} depth={d.depth} /> },
              { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.total.netSales },
              { label: t('reports.col.margin'), kind: 'money', get: (r) => r.total.margin, previous: (r) => r.previousTotal.margin },
              { label: t('reports.col.marginBp'), kind: 'bp', get: (r) => r.total.marginBp },
            ]}
          />
        </Block>
      </SimpleGrid>
    </Stack>
  );
}

export function CashierPerformanceBody({ a }: { a: A<'cashier-performance'> }) {
  const { t } = useTranslation();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.total'), 'money', x, p, 'total'),
          stat(t('reports.col.averageTicket'), 'money', x, p, 'averageTicket'),
          stat(t('reports.col.voids'), 'count', x, p, 'voids', true),
          stat(t('reports.col.cashVariance'), 'money', x, p, 'cashVariance'),
        ]}
      />
      <Block title={t('reports.table.byCashier')}>
        <FigureTable
          label={t('reports.table.byCashier')}
          rowKey={(r) => r.cashierId}
          rows={a.cashiers}
          total={{ cashierId: '', name: t('reports.total'), figures: x, previous: p }}
          columns={[
            { label: t('reports.col.cashier'), get: (r) => r.name },
            { label: t('reports.col.sales'), kind: 'count', get: (r) => r.figures.sales },
            { label: t('reports.col.total'), kind: 'money', get: (r) => r.figures.total, previous: (r) => r.previous.total },
            { label: t('reports.col.averageTicket'), kind: 'money', get: (r) => r.figures.averageTicket },
            { label: t('reports.col.voids'), kind: 'count', get: (r) => r.figures.voids },
            { label: t('reports.col.returns'), kind: 'count', get: (r) => r.figures.returns },
            { label: t('reports.col.returnsAmount'), kind: 'money', get: (r) => r.figures.returnsAmount },
            { label: t('reports.col.discounts'), kind: 'money', get: (r) => r.figures.discountAmount },
            { label: t('reports.col.cashVariance'), kind: 'money', get: (r) => r.figures.cashVariance },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function DepartmentSalesBody({ a, charts }: { a: A<'department-sales'>; charts: boolean }) {
  const { t } = useTranslation();
  const name = useName();
  const x = a.totals;
  const p = a.previousTotals;
  const top = Math.min(...a.departments.map((d) => d.depth));
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.netSales'), 'money', x, p, 'netSales'),
          stat(t('reports.col.qtySold'), 'milli', x, p, 'qtyMilli'),
          stat(t('reports.col.margin'), 'money', x, p, 'margin'),
          stat(t('reports.col.marginBp'), 'bp', x, p, 'marginBp'),
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.departments')} className="caja-report-chart">
          <RankChart rows={a.departments.filter((d) => d.depth === top).map((d) => ({ label: name(d.name), value: d.total.netSales })).sort((l, r) => r.value - l.value)} />
        </Block>
      )}
      <Block title={t('reports.table.byDepartment')}>
        <FigureTable
          label={t('reports.table.byDepartment')}
          rowKey={(r) => r.departmentId}
          rows={a.departments}
          columns={[
            { label: t('reports.col.department'), get: (d) => <TreeName name={name(d.name)} depth={d.depth} /> },
            { label: t('reports.col.qty'), kind: 'milli', get: (r) => r.total.qtyMilli },
            { label: t('reports.col.ownNetSales'), kind: 'money', get: (r) => r.own.netSales },
            { label: t('reports.col.netSales'), kind: 'money', get: (r) => r.total.netSales, previous: (r) => r.previousTotal.netSales },
            { label: t('reports.col.margin'), kind: 'money', get: (r) => r.total.margin },
            { label: t('reports.col.marginBp'), kind: 'bp', get: (r) => r.total.marginBp },
          ]}
        />
      </Block>
    </Stack>
  );
}

export function InventoryTurnoverBody({ a }: { a: A<'inventory-turnover'> }) {
  const { t } = useTranslation();
  const name = useName();
  const x = a.totals;
  const p = a.previousTotals;
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.turnover'), 'times', x, p, 'turnoverBp'),
          stat(t('reports.col.cogs'), 'money', x, p, 'cogs'),
          stat(t('reports.col.averageValue'), 'money', x, p, 'averageValue'),
          stat(t('reports.col.closingValue'), 'money', x, p, 'closingValue'),
        ]}
      />
      <Block title={t('reports.table.byDepartment')}>
        <FigureTable
          label={t('reports.table.byDepartment')}
          rowKey={(r) => r.departmentId}
          rows={a.departments}
          columns={[
            { label: t('reports.col.department'), get: (d) => <TreeName name={name(d.name)} depth={d.depth} /> },
            { label: t('reports.col.cogs'), kind: 'money', get: (r) => r.total.cogs },
            { label: t('reports.col.openingValue'), kind: 'money', get: (r) => r.total.openingValue },
            { label: t('reports.col.closingValue'), kind: 'money', get: (r) => r.total.closingValue },
            { label: t('reports.col.turnover'), kind: 'times', get: (r) => r.total.turnoverBp, previous: (r) => r.previousTotal.turnoverBp },
          ]}
        />
      </Block>
    </Stack>
  );
}

const KINDS: Record<string, 'reports.kind.linePercent' | 'reports.kind.lineAmount' | 'reports.kind.lineSpecial' | 'reports.kind.cartPercent' | 'reports.kind.cartAmount'> = {
  'line:percent': 'reports.kind.linePercent',
  'line:amount': 'reports.kind.lineAmount',
  'line:special': 'reports.kind.lineSpecial',
  'cart:percent': 'reports.kind.cartPercent',
  'cart:amount': 'reports.kind.cartAmount',
};
const APPROVALS: Record<string, 'reports.approval.approved' | 'reports.approval.withinLimit' | 'reports.approval.special'> = {
  approved: 'reports.approval.approved',
  within_limit: 'reports.approval.withinLimit',
  special: 'reports.approval.special',
};

export function DiscountAnalysisBody({ a, charts }: { a: A<'discount-analysis'>; charts: boolean }) {
  const { t } = useTranslation();
  const x = a.totals;
  const p = a.previousTotals;
  const kind = (k: string) => (KINDS[k] ? t(KINDS[k]) : k);
  const approval = (k: string) => (APPROVALS[k] ? t(APPROVALS[k]) : k);
  return (
    <Stack gap="sm">
      <StatCards
        stats={[
          stat(t('reports.col.discountAmount'), 'money', x, p, 'amount', true),
          stat(t('reports.col.discountCount'), 'count', x, p, 'count'),
          stat(t('reports.col.shareBp'), 'bp', x, p, 'shareBp', true),
          stat(t('reports.col.gross'), 'money', x, p, 'gross'),
        ]}
      />
      {charts && (
        <Block title={t('reports.chart.discountsOverTime')} className="caja-report-chart">
          <SeriesChart points={a.series.map((s) => ({ label: s.bucket, current: s.figures.amount }))} />
        </Block>
      )}
      <SimpleGrid cols={{ base: 1, xl: 3 }} spacing="sm">
        <Block title={t('reports.table.byKind')}>
          <FigureTable
            label={t('reports.table.byKind')}
            rowKey={(r) => r.kind}
            rows={a.byKind}
            columns={[
              { label: t('reports.col.kind'), get: (r) => kind(r.kind) },
              { label: t('reports.col.discountCount'), kind: 'count', get: (r) => r.count },
              { label: t('reports.col.discountAmount'), kind: 'money', get: (r) => r.amount },
            ]}
          />
        </Block>
        <Block title={t('reports.table.byApproval')}>
          <FigureTable
            label={t('reports.table.byApproval')}
            rowKey={(r) => r.approval}
            rows={a.byApproval}
            columns={[
              { label: t('reports.col.approval'), get: (r) => approval(r.approval) },
              { label: t('reports.col.discountCount'), kind: 'count', get: (r) => r.count },
              { label: t('reports.col.discountAmount'), kind: 'money', get: (r) => r.amount },
            ]}
          />
        </Block>
        <Block title={t('reports.table.byCashier')}>
          <FigureTable
            label={t('reports.table.byCashier')}
            rowKey={(r) => r.cashierId}
            rows={a.byCashier}
            columns={[
              { label: t('reports.col.cashier'), get: (r) => r.name },
              { label: t('reports.col.discountCount'), kind: 'count', get: (r) => r.count },
              { label: t('reports.col.discountAmount'), kind: 'money', get: (r) => r.amount },
            ]}
          />
        </Block>
      </SimpleGrid>
    </Stack>
  );
}
