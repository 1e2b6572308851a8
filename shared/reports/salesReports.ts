// The sales reports: sales summary, tax, sales by period, sales by rep, cashier performance and discount
// analysis. Each states its needs (engine.ts), reads them through the server's ReportIO and assembles the
// answer of shared/api/reports.ts from the summed rows, with the previous period of equal length. Pure.
import { money } from '../money';
import type {
  CashierPerformance, DiscountAnalysis, PeriodFigures, SalesByPeriod, SalesByRep, SalesSummary, TaxReport, TaxRow, TaxTotals,
} from '../api/reports';
import { C, C_LEN, DC, DC_LEN, DK_LEN, H, H_LEN, HOURS, R_LEN, T, T_LEN, TX } from './layout';
import { cashierFigures, discountFigures, periodFigures, ratioBp, repFigures, salesFigures, zeros } from './figures';
import { cmp, load, metaOf, need, seriesGrain, seriesOf, sumBy, total, type ReportIO } from './engine';
import { dayCount, weekday } from './periods';
import type { ReportRequest } from './request';
import type { Row } from './rows';

const at = (v: readonly number[], i: number) => v[i] ?? 0;

export async function salesSummary(req: ReportRequest, io: ReportIO): Promise<SalesSummary> {
  const meta = metaOf(req);
  const grain = seriesGrain(req);
  const perStore = req.stores === null || req.stores.length > 1;
  const needs = [need(req, 't', req, grain), need(req, 't', meta.previous, grain)];
  if (perStore) needs.push(need(req, 'ts', req), need(req, 'ts', meta.previous));
  const [cur = [], prev = [], curStores = [], prevStores = []] = await load(io, needs);
  let byStore: SalesSummary['byStore'] = null;
  if (perStore) {
    const a = sumBy(curStores, (r) => r.scope);
    const b = sumBy(prevStores, (r) => r.scope);
    const ids = [...new Set([...a.keys(), ...b.keys(), ...(req.stores ?? [])])].sort(cmp);
    byStore = ids.map((storeId) => ({ storeId, figures: salesFigures(a.get(storeId)), previous: salesFigures(b.get(storeId)) }));
  }
  return {
    report: 'sales-summary',
    ...meta,
    totals: salesFigures(total(cur, T_LEN)),
    previousTotals: salesFigures(total(prev, T_LEN)),
    series: seriesOf(cur, req, req.group, T_LEN, salesFigures),
    previousSeries: seriesOf(prev, meta.previous, req.group, T_LEN, salesFigures),
    byStore,
  };
}

function taxRows(rows: readonly Row[], names: Record<string, { code: string; name: { en: string; es: string } }>): TaxRow[] {
  const sums = sumBy(rows, (r) => JSON.stringify([r.dims[0] ?? '', r.dims[1] ?? '']));
  const out: TaxRow[] = [];
  for (const [k, v] of sums) {
    const [rateId, mode] = JSON.parse(k) as [string, 'exclusive' | 'inclusive'];
    const info = names[rateId];
    out.push({
      rateId,
      code: info?.code ?? rateId.replace(/^taxrate:/, ''),
      name: info?.name ?? { en: rateId, es: rateId },
      mode,
      salesBasis: money(at(v, TX.SALES_BASIS)),
      salesTax: money(at(v, TX.SALES_TAX)),
      returnsBasis: money(at(v, TX.RETURNS_BASIS)),
      returnsTax: money(at(v, TX.RETURNS_TAX)),
      netBasis: money(at(v, TX.SALES_BASIS) - at(v, TX.RETURNS_BASIS)),
      netTax: money(at(v, TX.SALES_TAX) - at(v, TX.RETURNS_TAX)),
    });
  }
  return out.sort((a, b) => cmp(a.code, b.code) || cmp(a.mode, b.mode) || cmp(a.rateId, b.rateId));
}

function taxTotals(rates: readonly TaxRow[]): TaxTotals {
  const salesTax = rates.reduce((s, r) => s + r.salesTax, 0);
  const returnsTax = rates.reduce((s, r) => s + r.returnsTax, 0);
  return { salesTax: money(salesTax), returnsTax: money(returnsTax), netTax: money(salesTax - returnsTax) };
}

export async function taxReport(req: ReportRequest, io: ReportIO): Promise<TaxReport> {
  const meta = metaOf(req);
  const [cur = [], prev = [], series = []] = await load(io, [need(req, 'tx', req), need(req, 'tx', meta.previous), need(req, 't', req, seriesGrain(req))]);
  const names = await io.taxRates();
  const rates = taxRows(cur, names);
  const previousRates = taxRows(prev, names);
  return {
    report: 'tax',
    ...meta,
    rates,
    totals: taxTotals(rates),
    previousRates,
    previousTotals: taxTotals(previousRates),
    series: seriesOf(series, req, req.group, T_LEN, (v) => ({
      salesTax: money(at(v, T.TAX)),
      returnsTax: money(at(v, T.RETURNS_TAX)),
      netTax: money(at(v, T.TAX) - at(v, T.RETURNS_TAX)),
    })),
  };
}

const periodOfTotals = (v: number[]): PeriodFigures => periodFigures(at(v, T.SALES), at(v, T.TOTAL), at(v, T.NET_EX_TAX));

function hours(rows: readonly Row[]): SalesByPeriod['hours'] {
  const v = total(rows, HOURS * H_LEN);
  return Array.from({ length: HOURS }, (_, hour) => ({ hour, ...periodFigures(at(v, hour * H_LEN + H.SALES), at(v, hour * H_LEN + H.TOTAL), at(v, hour * H_LEN + H.NET_EX_TAX)) }));
}

function weekdays(rows: readonly Row[], period: { from: string; to: string }): SalesByPeriod['weekdays'] {
  const sums = Array.from({ length: 7 }, () => zeros(T_LEN));
  for (const r of rows) {
    const w = weekday(r.period);
    sums[w] = (sums[w] ?? zeros(T_LEN)).map((x, i) => x + at(r.value, i));
  }
  const count = new Array<number>(7).fill(0);
  const len = dayCount(period.from, period.to);
  for (let i = 0; i < Math.min(7, len); i++) {
    const w = (weekday(period.from) + i) % 7;
    count[w] = (count[w] ?? 0) + Math.floor((len - i - 1) / 7) + 1;
  }
  return sums.map((v, w) => ({ weekday: w, days: count[w] ?? 0, ...periodOfTotals(v) }));
}

export async function salesByPeriod(req: ReportRequest, io: ReportIO): Promise<SalesByPeriod> {
  const meta = metaOf(req);
  const grain = seriesGrain(req);
  const [h = [], ph = [], s = [], ps = [], d = [], pd = []] = await load(io, [
    need(req, 'h', req),
    need(req, 'h', meta.previous),
    need(req, 't', req, grain),
    need(req, 't', meta.previous, grain),
    // Weekdays need days, whatever the series is grouped by (the same reads when it is by day).
    ...(grain === 'd' ? [] : [need(req, 't', req, 'd'), need(req, 't', meta.previous, 'd')]),
  ]);
  const days = grain === 'd' ? s : d;
  const prevDays = grain === 'd' ? ps : pd;
  return {
    report: 'sales-by-period',
    ...meta,
    hours: hours(h),
    previousHours: hours(ph),
    weekdays: weekdays(days, req),
    previousWeekdays: weekdays(prevDays, meta.previous),
    series: seriesOf(s, req, req.group, T_LEN, periodOfTotals),
    previousSeries: seriesOf(ps, meta.previous, req.group, T_LEN, periodOfTotals),
  };
}

export async function salesByRep(req: ReportRequest, io: ReportIO): Promise<SalesByRep> {
  const meta = metaOf(req);
  const [cur = [], prev = []] = await load(io, [need(req, 'r', req), need(req, 'r', meta.previous)]);
  const a = sumBy(cur, (r) => r.dims[0] ?? null);
  const b = sumBy(prev, (r) => r.dims[0] ?? null);
  const reps = await io.salesReps();
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((repId) => {
    const info = reps[repId];
    const bp = info?.commissionBp ?? 0;
    return { repId, name: info?.name ?? repId, commissionBp: bp, figures: repFigures(a.get(repId), bp), previous: repFigures(b.get(repId), bp) };
  });
  rows.sort((x, y) => y.figures.netSales - x.figures.netSales || cmp(x.repId, y.repId));
  const sum = (pick: 'figures' | 'previous') => {
    const z = repFigures(zeros(R_LEN));
    for (const r of rows) {
      const f = r[pick];
      z.lines += f.lines;
      z.qtyMilli += f.qtyMilli;
      z.netExTax = money(z.netExTax + f.netExTax);
      z.returnedMilli += f.returnedMilli;
      z.returnedExTax = money(z.returnedExTax + f.returnedExTax);
      z.netSales = money(z.netSales + f.netSales);
      z.commission = money(z.commission + f.commission);
    }
    return z;
  };
  return { report: 'sales-by-rep', ...meta, reps: rows, totals: sum('figures'), previousTotals: sum('previous') };
}

export async function cashierPerformance(req: ReportRequest, io: ReportIO): Promise<CashierPerformance> {
  const meta = metaOf(req);
  const mine = (r: Row) => req.cashier === null || r.dims[0] === req.cashier;
  // The series reads the view's cashier-first rows of the one cashier asked for, or the cashiers' sum.
  const grain = seriesGrain(req);
  const seriesNeed = req.cashier === null ? need(req, 'ct', req, grain) : need(req, 'cc', req, grain, [req.cashier]);
  // One cashier's figures are the view's rows of that cashier (`cc`), not every cashier's rows filtered here.
  const figuresNeed = (period: { from: string; to: string }) => (req.cashier === null ? need(req, 'c', period) : need(req, 'cc', period, 'y', [req.cashier]));
  const [cur = [], prev = [], series = []] = await load(io, [figuresNeed(req), figuresNeed(meta.previous), seriesNeed]);
  const a = sumBy(cur, (r) => (mine(r) ? (r.dims[0] ?? null) : null));
  const b = sumBy(prev, (r) => (mine(r) ? (r.dims[0] ?? null) : null));
  const ids = [...new Set([...a.keys(), ...b.keys()])];
  const names = await io.people(ids);
  const cashiers = ids
    .map((cashierId) => ({ cashierId, name: names[cashierId] ?? cashierId, figures: cashierFigures(a.get(cashierId)), previous: cashierFigures(b.get(cashierId)) }))
    .sort((x, y) => y.figures.total - x.figures.total || cmp(x.cashierId, y.cashierId));
  return {
    report: 'cashier-performance',
    ...meta,
    cashiers,
    totals: cashierFigures(total(cur, C_LEN, mine)),
    previousTotals: cashierFigures(total(prev, C_LEN, mine)),
    series: seriesOf(series, req, req.group, C_LEN, cashierFigures, mine),
  };
}

export async function discountAnalysis(req: ReportRequest, io: ReportIO): Promise<DiscountAnalysis> {
  const meta = metaOf(req);
  const grain = seriesGrain(req);
  const one = req.cashier;
  // Never a row per kind, approval AND cashier (a chain has hundreds of cashiers): the view's discounts summed
  // over cashiers by kind and approval (`dka`), or one cashier's (`kc`); each cashier's in total, period first
  // (`dp`, layout.ts DC), or the one cashier's (`dc`). Gross sales (the discounts' base) come from the cashiers'
  // figures (`ct` summed, or the one cashier's `cc`). The series reads the pre-combined rows (DC): one per day.
  const kinds = (period: { from: string; to: string }) => (one === null ? need(req, 'dka', period) : need(req, 'kc', period, 'y', [one]));
  const gross = (period: { from: string; to: string }) => (one === null ? need(req, 'ct', period) : need(req, 'cc', period, 'y', [one]));
  const [cur = [], prev = [], cCur = [], cPrev = [], cashiers = [], series = []] = await load(io, [
    kinds(req),
    kinds(meta.previous),
    gross(req),
    gross(meta.previous),
    one === null ? need(req, 'dp', req) : need(req, 'dc', req, 'y', [one]),
    one === null ? need(req, 'dt', req, grain) : need(req, 'dc', req, grain, [one]),
  ]);
  const by = (pos: number) => [...sumBy(cur, (r) => r.dims[pos] ?? null).entries()].sort(([x], [y]) => cmp(x, y));
  const byCashier = [...sumBy(cashiers, (r) => r.dims[0] ?? null).entries()]
    .map(([id, v]): [string, number[]] => [id, [at(v, DC.COUNT), at(v, DC.AMOUNT)]])
    .filter(([, v]) => v.some((x) => x !== 0))
    .sort(([x], [y]) => cmp(x, y));
  const names = await io.people(byCashier.map(([id]) => id));
  const totals = (rows: readonly Row[], cRows: readonly Row[]) => {
    const f = discountFigures(total(rows, DK_LEN));
    const gross = at(total(cRows, C_LEN), C.GROSS);
    return { ...f, gross: money(gross), shareBp: ratioBp(f.amount, gross) };
  };
  const points = seriesOf(series, req, req.group, DC_LEN, (v) => ({ count: at(v, DC.COUNT), amount: money(at(v, DC.AMOUNT)), gross: money(at(v, DC.GROSS)) }));
  return {
    report: 'discount-analysis',
    ...meta,
    byKind: by(0).map(([kind, v]) => ({ kind, ...discountFigures(v) })),
    byApproval: by(1).map(([approval, v]) => ({ approval, ...discountFigures(v) })),
    byCashier: byCashier.map(([cashierId, v]) => ({ cashierId, name: names[cashierId] ?? cashierId, ...discountFigures(v) })),
    totals: totals(cur, cCur),
    previousTotals: totals(prev, cPrev),
    series: points,
  };
}
