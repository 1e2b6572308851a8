// One report's page (route /reports/:name): the filter bar (held in the URL query, so a page can be shared and
// reloaded), the period asked and the one it is compared with, the report's figures, chart and table, and
// Export CSV (HQ's own CSV of the same request, in the console's language) and Print (a print stylesheet
// hides the navigation and filters). Amounts are only ever shown in one currency: a scope whose stores use
// several is narrowed to one currency's stores first, since HQ adds the figures of the stores asked for.
import { Alert, Anchor, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChevronLeft, IconDownload, IconPrinter, IconReportOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useStore } from 'react-redux';
import { Link, useParams, useSearchParams } from 'react-router';
import { MAX_REPORT_STORES, type ReportAnswers, type ReportName } from '../../../../../shared/api/reports';
import { businessDate } from '../../../../../shared/pos/clock';
import { useAppDispatch } from '../../app/hooks';
import { LoadError, NotFound } from '../../components/PageState';
import { useT, type TKey } from '../../i18n/useT';
import { useErrorText, useLang } from '../../lib/hooks';
import { chainDefaults, useStoresQuery } from '../stores/storesApi';
import { isReportName, REPORT_DEFS, reportKey } from './defs';
import { FilterBar } from './FilterBar';
import { apiQueryOf, filtersFrom, searchOf, type ReportFilters } from './filters';
import { usePeriodText } from './parts';
import { DepartmentSalesView, InventoryTurnoverView, InventoryValueView, ProductPerformanceView, TaxView } from './ProductViews';
import { XView, ZView, ZZView } from './RegisterViews';
import { fetchReportCsv, saveText, useReportQuery } from './reportsApi';
import './reports.css';
import { CashierPerformanceView, DiscountAnalysisView, ProfitMarginView, SalesByPeriodView, SalesByRepView, SalesSummaryView } from './SalesViews';

type Answer = ReportAnswers[ReportName];

export function ReportPage() {
  const { name } = useParams();
  if (!isReportName(name)) return <NotFound />;
  return <Report key={name} name={name} />;
}

/** Whether an answer has nothing to show (no sales, stock or closes in the period). */
function isEmpty(a: Answer): boolean {
  switch (a.report) {
    case 'sales-summary':
      return a.totals.sales + a.totals.returns + a.totals.voids + a.totals.days === 0;
    case 'x':
      return false;
    case 'z':
      return false;
    case 'zz':
      return a.closedDays === 0 && a.lateArrivals === null;
    case 'tax':
      return a.rates.length === 0;
    case 'inventory-value':
      return a.totals.qtyMilli === 0 && a.totals.costValue === 0 && a.departments.length === 0;
    case 'product-performance':
      return a.count === 0 && a.slowMovers.length === 0;
    case 'sales-by-period':
      return a.hours.every((h) => h.sales === 0);
    case 'sales-by-rep':
      return a.reps.length === 0;
    case 'profit-margin':
      return a.totals.netSales === 0 && a.totals.cost === 0;
    case 'cashier-performance':
      return a.cashiers.length === 0;
    case 'department-sales':
      return a.totals.lines === 0;
    case 'inventory-turnover':
      return a.totals.cogs === 0 && a.totals.openingValue === 0 && a.totals.closingValue === 0;
    case 'discount-analysis':
      return a.totals.count === 0;
  }
}

function Body({ data, currency, timeZone }: { data: Answer; currency: string; timeZone: string }) {
  switch (data.report) {
    case 'sales-summary':
      return <SalesSummaryView data={data} currency={currency} />;
    case 'x':
      return <XView data={data} currency={currency} timeZone={timeZone} />;
    case 'z':
      return <ZView data={data} currency={currency} />;
    case 'zz':
      return <ZZView data={data} currency={currency} />;
    case 'tax':
      return <TaxView data={data} currency={currency} />;
    case 'inventory-value':
      return <InventoryValueView data={data} currency={currency} />;
    case 'product-performance':
      return <ProductPerformanceView data={data} currency={currency} />;
    case 'sales-by-period':
      return <SalesByPeriodView data={data} currency={currency} />;
    case 'sales-by-rep':
      return <SalesByRepView data={data} currency={currency} />;
    case 'profit-margin':
      return <ProfitMarginView data={data} currency={currency} />;
    case 'cashier-performance':
      return <CashierPerformanceView data={data} currency={currency} />;
    case 'department-sales':
      return <DepartmentSalesView data={data} currency={currency} />;
    case 'inventory-turnover':
      return <InventoryTurnoverView data={data} currency={currency} />;
    case 'discount-analysis':
      return <DiscountAnalysisView data={data} currency={currency} />;
  }
}

/** The shape of a report page while its figures load. */
function ReportSkeleton() {
  const t = useT();
  return (
    <Stack gap="md" role="status" aria-label={t('common.loading')} data-testid="report-loading">
      <Group gap="sm" grow>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={96} radius="md" />
        ))}
      </Group>
      <Skeleton h={280} radius="md" />
      <Skeleton h={200} radius="md" />
    </Stack>
  );
}

function Empty() {
  const t = useT();
  return (
    <Paper withBorder p="xl" radius="md" data-testid="report-empty">
      <Stack align="center" gap="sm">
        <IconReportOff size={40} stroke={1.5} aria-hidden />
        <Text fw={600}>{t('reports.empty')}</Text>
        <Text c="dimmed" size="sm">
          {t('reports.emptyHelp')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** What the figures cover: where, the period, and the period they are compared with. */
function Scope({ data, currency }: { data: Answer; currency: string }) {
  const t = useT();
  const period = usePeriodText();
  if (data.report === 'x') return null;
  const where = data.stores ? data.stores.join(', ') : t('reports.chain');
  return (
    <Text fw={600} data-testid="report-scope">
      {t('reports.scope', { where, period: period(data.from, data.to), previous: period(data.previous.from, data.previous.to), currency })}
    </Text>
  );
}

function Report({ name }: { name: ReportName }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const dispatch = useAppDispatch();
  const store = useStore();
  const def = REPORT_DEFS[name];
  const storesQ = useStoresQuery();
  const [params, setParams] = useSearchParams();
  const [exporting, setExporting] = useState(false);
  const all = [...(storesQ.data ?? [])].sort((a, b) => a.code.localeCompare(b.code));

  const askedStores = (params.get('store') ?? '').toUpperCase().split(',').filter(Boolean);
  const zoneStores = askedStores.length ? all.filter((s) => askedStores.includes(s.code)) : all;
  const zone = zoneStores[0]?.timeZone ?? chainDefaults(all).timeZone;
  const today = businessDate(new Date(), zone);
  let filters = filtersFrom(name, params, today);
  if (def.oneStore && filters.stores.length !== 1 && all[0]) filters = { ...filters, stores: [all[0].code] };
  const scoped = filters.stores.length ? all.filter((s) => filters.stores.includes(s.code)) : all;
  const currencies = [...new Set(scoped.map((s) => s.currency))].sort();
  const currency = currencies.length === 1 ? (currencies[0] as string) : null;
  const args = { name, query: apiQueryOf(name, filters) };
  const ready = storesQ.isSuccess && all.length > 0 && currency !== null;
  const q = useReportQuery(args, { skip: !ready, refetchOnMountOrArgChange: 60 });
  const data = q.currentData;
  const title = t(`reports.names.${reportKey(name)}` as TKey);

  const change = (f: ReportFilters) => setParams(searchOf(name, f));
  const onlyCurrency = (cur: string) => change({ ...filters, stores: scoped.filter((s) => s.currency === cur).map((s) => s.code).slice(0, MAX_REPORT_STORES) });

  const exportCsv = async () => {
    setExporting(true);
    const res = await fetchReportCsv(args, lang, dispatch, store.getState);
    setExporting(false);
    if (!res.ok) {
      notifications.show({ color: 'red', title: t('reports.exportFailed'), message: errorText(res.error) });
      return;
    }
    const where = filters.stores.length ? filters.stores.join('-') : 'chain';
    const when = def.period === 'now' ? today : def.period === 'day' ? filters.from : `${filters.from}_${filters.to}`;
    saveText(res.csv, `${name}_${where}_${when}.csv`);
  };

  return (
    <Stack gap="md" className="report-page" aria-busy={q.isFetching}>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <Stack gap={4}>
          <Anchor component={Link} to="/reports" size="sm" className="report-actions" style={{ display: 'inline-flex', alignItems: 'center', gap: 2, minHeight: 44 }}>
            <IconChevronLeft size={16} aria-hidden />
            {t('reports.allReports')}
          </Anchor>
          <Title order={1}>{title}</Title>
          <Text c="dimmed">{t(`reports.about.${reportKey(name)}` as TKey)}</Text>
        </Stack>
        <Group gap="sm" className="report-actions">
          <Button variant="default" leftSection={<IconDownload size={18} aria-hidden />} onClick={() => void exportCsv()} loading={exporting} disabled={!data}>
            {t('reports.exportCsv')}
          </Button>
          <Button variant="default" leftSection={<IconPrinter size={18} aria-hidden />} onClick={() => window.print()} disabled={!data}>
            {t('reports.print')}
          </Button>
        </Group>
      </Group>

      {storesQ.data && all.length > 0 && <FilterBar name={name} filters={filters} stores={all} today={today} onChange={change} />}

      {storesQ.error && <LoadError error={storesQ.error} onRetry={() => void storesQ.refetch()} />}
      {storesQ.isSuccess && all.length === 0 && <Alert color="gray">{t('reports.noStores')}</Alert>}
      {currencies.length > 1 && (
        <Alert color="orange" icon={<IconAlertTriangle />} title={t('reports.mixedCurrencies')} data-testid="report-currencies">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('reports.mixedCurrenciesBody', { currencies: currencies.join(', ') })}</Text>
            <Group gap="xs">
              {currencies.map((cur) => (
                <Button key={cur} variant="white" color="orange" onClick={() => onlyCurrency(cur)}>
                  {t('reports.onlyCurrency', { currency: cur, count: scoped.filter((s) => s.currency === cur).length })}
                </Button>
              ))}
            </Group>
          </Stack>
        </Alert>
      )}

      {ready && !data && q.isFetching && <ReportSkeleton />}
      {ready && !data && !q.isFetching && q.error && <LoadError error={q.error} onRetry={() => void q.refetch()} />}
      {data && currency && (
        <>
          {q.error && (
            <Alert color="red" icon={<IconAlertTriangle />} role="alert">
              {errorText(q.error)}
            </Alert>
          )}
          <Scope data={data} currency={currency} />
          <Text className="report-print-only" size="sm" c="dimmed">
            {t('reports.printedAt', { time: new Date().toLocaleString(lang === 'es' ? 'es-MX' : 'en-US') })}
          </Text>
          {isEmpty(data) ? <Empty /> : <Body data={data} currency={currency} timeZone={scoped[0]?.timeZone ?? zone} />}
        </>
      )}
    </Stack>
  );
}
