// One report of the store: its filters (date range presets in the store's zone, grouping, department, cashier,
// product where the report honours them; a register for the X, a day for the Z), the figures from the store
// server, and the actions: refresh, export CSV (in the screen's language) and print (the report area alone,
// on A4, in the browser and in Electron alike). The store server down is said plainly, with a retry.
import { Alert, Button, Group, Select, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconFileSpreadsheet, IconPlugConnectedX, IconPrinter, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Wire } from '../../../../shared/api/client';
import type { ReportAnswers, ReportGroup, ReportName } from '../../../../shared/api/reports';
import type { StoreUser } from '../../../../shared/model/types';
import { typePrefix } from '../../../../shared/model/ids';
import { businessDate } from '../../../../shared/pos/clock';
import { addDays } from '../../../../shared/reports/periods';
import { useServices } from '../../app/servicesContext';
import { useAppSelector } from '../../app/store';
import { docsWithPrefix } from '../checkout/localDb';
import { storeDayDocs } from '../manager/storeDay';
import type { StoreServerError } from '../manager/storeServerSlice';
import { PRESETS, presetRange, type Preset } from './periods';
import { specOf } from './reportCatalog';
import {
  CashierPerformanceBody,
  DepartmentSalesBody,
  DiscountAnalysisBody,
  InventoryTurnoverBody,
  InventoryValueBody,
  ProductPerformanceBody,
  ProfitMarginBody,
  SalesByPeriodBody,
  SalesByRepBody,
  SalesSummaryBody,
  TaxBody,
  XBody,
  ZBody,
  ZZBody,
} from './ReportBodies';
import { useCsvExport, useReport, type ReportQuery } from './reportsClient';
import { useReportText } from './reportText';

type AnyAnswer = Wire<ReportAnswers[ReportName]>;

/** The body of a report answer; `charts` is off when printing (the tables carry every figure). */
function Body({ a, charts }: { a: AnyAnswer; charts: boolean }) {
  switch (a.report) {
    case 'sales-summary':
      return <SalesSummaryBody a={a} charts={charts} />;
    case 'x':
      return <XBody a={a} />;
    case 'z':
      return <ZBody a={a} />;
    case 'zz':
      return <ZZBody a={a} />;
    case 'tax':
      return <TaxBody a={a} charts={charts} />;
    case 'inventory-value':
      return <InventoryValueBody a={a} />;
    case 'product-performance':
      return <ProductPerformanceBody a={a} charts={charts} />;
    case 'sales-by-period':
      return <SalesByPeriodBody a={a} charts={charts} />;
    case 'sales-by-rep':
      return <SalesByRepBody a={a} />;
    case 'profit-margin':
      return <ProfitMarginBody a={a} charts={charts} />;
    case 'cashier-performance':
      return <CashierPerformanceBody a={a} />;
    case 'department-sales':
      return <DepartmentSalesBody a={a} charts={charts} />;
    case 'inventory-turnover':
      return <InventoryTurnoverBody a={a} />;
    case 'discount-analysis':
      return <DiscountAnalysisBody a={a} charts={charts} />;
  }
}

interface Filters {
  preset: Preset;
  from: string;
  to: string;
  day: string;
  group: ReportGroup;
  department: string | null;
  cashier: string | null;
  product: string;
  shift: string | null;
}

/** The API query of the filters, for this report (only what it honours). */
function queryOf(name: ReportName, f: Filters, today: string): ReportQuery {
  const spec = specOf(name);
  if (spec.period === 'none') return f.shift ? { shift: f.shift } : {};
  if (spec.period === 'day') return { from: f.day, to: f.day };
  const { from, to } = presetRange(f.preset, today, { from: f.from, to: f.to });
  return {
    from,
    to,
    ...(spec.group ? { group: f.group } : {}),
    ...(spec.department && f.department ? { department: f.department } : {}),
    ...(spec.cashier && f.cashier ? { cashier: f.cashier } : {}),
    ...(spec.product && f.product.trim() ? { product: f.product.trim() } : {}),
  };
}

export function ReportScreen({ name, onBack }: { name: ReportName; onBack(): void }) {
  const { t } = useTranslation();
  const text = useReportText();
  const lang = useAppSelector((s) => s.ui.lang);
  const storeName = useAppSelector((s) => s.catalog.config?.name ?? s.setup.terminal?.storeCode ?? '');
  const timeZone = useAppSelector((s) => s.catalog.config?.timeZone ?? 'UTC');
  const today = businessDate(new Date(), timeZone);
  const spec = specOf(name);
  const [f, setF] = useState<Filters>({ preset: 'today', from: today, to: today, day: addDays(today, -1), group: 'day', department: null, cashier: null, product: '', shift: null });
  const query = queryOf(name, f, today);
  const { data, error, loading, reload } = useReport(name, query);
  const exportCsv = useCsvExport(name);
  const [csvError, setCsvError] = useState<StoreServerError | null>(null);
  const [exporting, setExporting] = useState(false);
  const [printing, setPrinting] = useState(false);
  useHotkeys([['Escape', onBack]]);

  const period = data && 'from' in data && spec.period === 'range' ? t('reports.period', { from: data.from, to: data.to, pfrom: data.previous.from, pto: data.previous.to }) : '';
  const csv = async () => {
    setExporting(true);
    const range = query.from ? `${query.from}_${query.to ?? query.from}` : today;
    setCsvError(await exportCsv({ ...query, lang }, `${name}-${range}.csv`));
    setExporting(false);
  };

  return (
    <Stack gap="sm" component="section" aria-label={text.title(name)}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs" className="caja-report-head">
        <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
          <Button variant="default" h={44} px="sm" onClick={onBack} aria-label={t('reports.back')} leftSection={<IconArrowLeft size={18} />}>
            {t('reports.list')}
          </Button>
          <div style={{ minWidth: 0 }}>
            <Title order={2}>{text.title(name)}</Title>
            <Text size="sm" c="dimmed">
              {period || text.what(name)}
            </Text>
          </div>
        </Group>
        <Group gap="xs">
          <Button variant="default" h={44} leftSection={<IconRefresh size={18} />} onClick={reload} loading={loading}>
            {t('common.refresh')}
          </Button>
          <Button variant="default" h={44} leftSection={<IconFileSpreadsheet size={18} />} onClick={() => void csv()} loading={exporting} disabled={!data}>
            {t('reports.csv')}
          </Button>
          <Button variant="default" h={44} leftSection={<IconPrinter size={18} />} onClick={() => setPrinting(true)} disabled={!data}>
            {t('reports.print')}
          </Button>
        </Group>
      </Group>
      <FilterBar name={name} f={f} setF={setF} today={today} />
      <Problem error={error ?? csvError} onRetry={reload} />
      {data && data.report === name && (
        <div className="caja-report-area" aria-busy={loading || undefined}>
          <Body a={data} charts />
        </div>
      )}
      {!data && !error && loading && <Text c="dimmed">{t('common.loading')}</Text>}
      {printing && data && (
        <PrintCopy onDone={() => setPrinting(false)}>
          <Title order={2}>{`${storeName} · ${text.title(name)}`}</Title>
          <Text size="sm" mb="sm">
            {period}
          </Text>
          <Body a={data} charts={false} />
        </PrintCopy>
      )}
      {spec.period === 'range' && <Text size="xs" c="dimmed">{t('reports.zoneNote', { zone: timeZone })}</Text>}
    </Stack>
  );
}

/** What went wrong, in the till's language; the store server unreachable said plainly, with a retry. */
function Problem({ error, onRetry }: { error: StoreServerError | null; onRetry(): void }) {
  const { t } = useTranslation();
  const lang = useAppSelector((s) => s.ui.lang);
  if (!error || error.code === 'no_session') return null;
  const network = error.code === 'network';
  return (
    <Alert color={network ? 'orange' : 'red'} role="alert" icon={network ? <IconPlugConnectedX /> : undefined} title={network ? t('reports.unreachableTitle') : undefined}>
      <Group justify="space-between" wrap="nowrap">
        <Text>{network ? t('reports.unreachable') : error.message[lang]}</Text>
        <Button variant="white" h={44} onClick={onRetry} style={{ flexShrink: 0 }}>
          {t('reports.retry')}
        </Button>
      </Group>
    </Alert>
  );
}

/** Renders its children as the only thing on paper (print.css hides the rest), prints, then goes away. */
function PrintCopy({ children, onDone }: { children: ReactNode; onDone(): void }) {
  useEffect(() => {
    // After the copy is laid out; window.print() returns when the dialog closes (Electron: the same).
    const id = requestAnimationFrame(() => {
      window.print();
      onDone();
    });
    return () => cancelAnimationFrame(id);
  }, [onDone]);
  return createPortal(<div className="caja-print-area caja-report-print">{children}</div>, document.body);
}

function FilterBar({ name, f, setF, today }: { name: ReportName; f: Filters; setF(next: Filters): void; today: string }) {
  const { t } = useTranslation();
  const spec = specOf(name);
  const set = (patch: Partial<Filters>) => setF({ ...f, ...patch });
  const [product, setProduct] = useState(f.product);
  if (spec.period === 'none') return <ShiftPicker value={f.shift} onChange={(shift) => set({ shift })} today={today} />;
  if (spec.period === 'day') {
    return (
      <Group gap="xs" align="flex-end" className="caja-report-filters">
        <TextInput type="date" label={t('reports.day')} value={f.day} max={today} onChange={(e) => e.currentTarget.value && set({ day: e.currentTarget.value })} w={190} />
        <Button variant="default" h={44} onClick={() => set({ day: addDays(f.day, -1) })}>
          {t('reports.dayBefore')}
        </Button>
        <Button variant="default" h={44} onClick={() => set({ day: addDays(f.day, 1) })} disabled={f.day >= today}>
          {t('reports.dayAfter')}
        </Button>
      </Group>
    );
  }
  const range = presetRange(f.preset, today, { from: f.from, to: f.to });
  return (
    <Group gap="xs" align="flex-end" className="caja-report-filters">
      <Select
        label={t('reports.range')}
        data={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))}
        value={f.preset}
        onChange={(v) => v && set({ preset: v, ...(v === 'custom' ? { from: range.from, to: range.to } : {}) })}
        allowDeselect={false}
        w={170}
        comboboxProps={{ withinPortal: true }}
      />
      {f.preset === 'custom' && (
        <>
          <TextInput type="date" label={t('reports.from')} value={f.from} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} w={170} />
          <TextInput type="date" label={t('reports.to')} value={f.to} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} w={170} />
        </>
      )}
      {spec.group && (
        <Stack gap={2}>
          <Text size="sm" fw={500} id={`group-${name}`}>
            {t('reports.groupBy')}
          </Text>
          <SegmentedControl
            aria-labelledby={`group-${name}`}
            value={f.group}
            onChange={(v) => set({ group: v })}
            data={[
              { value: 'day', label: t('reports.group.day') },
              { value: 'week', label: t('reports.group.week') },
              { value: 'month', label: t('reports.group.month') },
            ]}
          />
        </Stack>
      )}
      {spec.department && <DepartmentPicker value={f.department} onChange={(department) => set({ department })} />}
      {spec.cashier && <CashierPicker value={f.cashier} onChange={(cashier) => set({ cashier })} />}
      {spec.product && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set({ product });
          }}
        >
          <TextInput label={t('reports.product')} placeholder={t('reports.productHint')} value={product} onChange={(e) => setProduct(e.currentTarget.value)} onBlur={() => product !== f.product && set({ product })} w={170} />
        </form>
      )}
    </Group>
  );
}

function DepartmentPicker({ value, onChange }: { value: string | null; onChange(v: string | null): void }) {
  const { t } = useTranslation();
  const lang = useAppSelector((s) => s.ui.lang);
  const departments = useAppSelector((s) => s.catalog.departments);
  return (
    <Select
      label={t('reports.department')}
      placeholder={t('reports.allDepartments')}
      data={departments.map((d) => ({ value: d._id, label: d.name[lang] }))}
      value={value}
      onChange={onChange}
      clearable
      searchable
      w={240}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The store's staff from the replica (works offline), for the cashier filter. */
function CashierPicker({ value, onChange }: { value: string | null; onChange(v: string | null): void }) {
  const { t } = useTranslation();
  const services = useServices();
  const [users, setUsers] = useState<StoreUser[]>([]);
  useEffect(() => {
    if (!services.db) return;
    void docsWithPrefix<StoreUser>(services.db, typePrefix('user')).then((u) => setUsers(u.filter((x) => x.type === 'user')));
  }, [services]);
  return (
    <Select
      label={t('reports.cashier')}
      placeholder={t('reports.allCashiers')}
      data={users.map((u) => ({ value: u.userId, label: u.displayName }))}
      value={value}
      onChange={onChange}
      clearable
      searchable
      w={200}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The X report's register: one of today's (open or closed), or every open one. */
function ShiftPicker({ value, onChange, today }: { value: string | null; onChange(v: string | null): void; today: string }) {
  const { t } = useTranslation();
  const services = useServices();
  const storeId = useAppSelector((s) => s.catalog.config?.storeId ?? s.setup.terminal?.storeCode ?? '');
  const timeZone = useAppSelector((s) => s.catalog.config?.timeZone ?? 'UTC');
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    if (!services.db || !storeId) return;
    const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    void storeDayDocs(services.db, storeId, today).then((docs) => {
      const closed = new Set(docs.closes.map((c) => c.shiftId));
      setOptions(
        [...docs.shifts]
          .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
          .map((s) => ({
            value: s._id,
            label: t(closed.has(s._id) ? 'reports.x.closedShift' : 'reports.x.openShift', { terminal: s.terminalId, n: s.n, time: time.format(new Date(s.openedAt)) }),
          })),
      );
    });
  }, [services, storeId, today, timeZone, t]);
  return (
    <Group gap="xs" align="flex-end" className="caja-report-filters">
      <Select
        label={t('reports.x.register')}
        data={[{ value: '', label: t('reports.x.allOpen') }, ...options]}
        value={value ?? ''}
        onChange={(v) => onChange(v ? v : null)}
        allowDeselect={false}
        w={400}
        comboboxProps={{ withinPortal: true }}
      />
    </Group>
  );
}
