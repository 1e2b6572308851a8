// CSV of every report (RFC 4180: comma-separated, quoted where needed, CRLF), in English or Spanish headers.
// The servers answer `format=csv` with it and the apps use it for their own exports, so a file and the screen
// it came from always agree. Money is written in units with two decimals (123456 -> 1234.56), thousandths
// of units with three (1500 -> 1.500), basis points as a percent with two (1234 -> 12.34): exact, written by
// integer arithmetic, never through a float. Pure.
import type { ReportAnswer } from '../api/reports';
import type { I18nText } from '../model/types';

type Lang = 'en' | 'es';
type Cell = string | number | null;

const LABELS: Record<string, I18nText> = {
  bucket: { en: 'Period', es: 'Periodo' },
  storeId: { en: 'Store', es: 'Tienda' },
  rank: { en: 'Rank', es: 'Posición' },
  previousRank: { en: 'Previous rank', es: 'Posición anterior' },
  productId: { en: 'Product id', es: 'Id de producto' },
  sku: { en: 'SKU', es: 'SKU' },
  name: { en: 'Name', es: 'Nombre' },
  departmentId: { en: 'Department', es: 'Departamento' },
  depth: { en: 'Level', es: 'Nivel' },
  rateId: { en: 'Tax rate id', es: 'Id de tasa' },
  code: { en: 'Code', es: 'Código' },
  mode: { en: 'Tax mode', es: 'Modo de impuesto' },
  hour: { en: 'Hour', es: 'Hora' },
  weekday: { en: 'Weekday (0 = Monday)', es: 'Día de la semana (0 = lunes)' },
  days: { en: 'Days', es: 'Días' },
  repId: { en: 'Sales rep', es: 'Vendedor' },
  commissionBp: { en: 'Commission %', es: 'Comisión %' },
  cashierId: { en: 'Cashier', es: 'Cajero' },
  kind: { en: 'Kind', es: 'Tipo' },
  approval: { en: 'Approval', es: 'Autorización' },
  part: { en: 'Part', es: 'Parte' },
  sales: { en: 'Sales', es: 'Ventas' },
  gross: { en: 'Gross', es: 'Bruto' },
  discounts: { en: 'Discounts', es: 'Descuentos' },
  discount: { en: 'Discount', es: 'Descuento' },
  net: { en: 'Net', es: 'Neto' },
  netExTax: { en: 'Net before tax', es: 'Neto sin impuestos' },
  tax: { en: 'Tax', es: 'Impuestos' },
  rounding: { en: 'Rounding', es: 'Redondeo' },
  total: { en: 'Total', es: 'Total' },
  voids: { en: 'Voids', es: 'Anulaciones' },
  voidsAmount: { en: 'Voided amount', es: 'Importe anulado' },
  returns: { en: 'Returns', es: 'Devoluciones' },
  returnsAmount: { en: 'Refunded', es: 'Reembolsado' },
  returnsTax: { en: 'Tax refunded', es: 'Impuestos devueltos' },
  returnsNetExTax: { en: 'Refunded before tax', es: 'Reembolsado sin impuestos' },
  itemsMilli: { en: 'Units sold', es: 'Unidades vendidas' },
  returnedMilli: { en: 'Units returned', es: 'Unidades devueltas' },
  cost: { en: 'Cost', es: 'Costo' },
  returnsCost: { en: 'Cost of returns', es: 'Costo de devoluciones' },
  netSales: { en: 'Net sales', es: 'Ventas netas' },
  margin: { en: 'Margin', es: 'Margen' },
  marginBp: { en: 'Margin %', es: 'Margen %' },
  averageTicket: { en: 'Average ticket', es: 'Ticket promedio' },
  cashIn: { en: 'Cash in', es: 'Entradas de efectivo' },
  cashOut: { en: 'Cash out', es: 'Salidas de efectivo' },
  shifts: { en: 'Register sessions', es: 'Turnos de caja' },
  cashVariance: { en: 'Cash variance', es: 'Diferencia de caja' },
  stockMilli: { en: 'Stock change', es: 'Cambio de existencias' },
  qtyMilli: { en: 'Units', es: 'Unidades' },
  lines: { en: 'Lines', es: 'Líneas' },
  returnedExTax: { en: 'Returned before tax', es: 'Devuelto sin impuestos' },
  salesBasis: { en: 'Taxable sales', es: 'Base de ventas' },
  salesTax: { en: 'Tax on sales', es: 'Impuesto de ventas' },
  returnsBasis: { en: 'Taxable returns', es: 'Base de devoluciones' },
  netBasis: { en: 'Net taxable', es: 'Base neta' },
  netTax: { en: 'Net tax', es: 'Impuesto neto' },
  costValue: { en: 'Value at cost', es: 'Valor a costo' },
  retailValue: { en: 'Value at retail', es: 'Valor a precio de venta' },
  noCostMilli: { en: 'Units without cost', es: 'Unidades sin costo' },
  soldMilli: { en: 'Units sold', es: 'Unidades vendidas' },
  commission: { en: 'Commission', es: 'Comisión' },
  key: { en: 'Key', es: 'Clave' },
  discountedSales: { en: 'Discounted sales', es: 'Ventas con descuento' },
  discountAmount: { en: 'Discounts', es: 'Descuentos' },
  count: { en: 'Count', es: 'Cantidad' },
  amount: { en: 'Amount', es: 'Importe' },
  shareBp: { en: 'Share of gross %', es: 'Parte del bruto %' },
  cogs: { en: 'Cost of goods sold', es: 'Costo de lo vendido' },
  openingValue: { en: 'Opening stock at cost', es: 'Existencia inicial a costo' },
  closingValue: { en: 'Closing stock at cost', es: 'Existencia final a costo' },
  averageValue: { en: 'Average stock at cost', es: 'Existencia promedio a costo' },
  turnoverBp: { en: 'Turnover (times x 100)', es: 'Rotación (veces x 100)' },
  closedDays: { en: 'Days closed', es: 'Días cerrados' },
  openingFloat: { en: 'Opening float', es: 'Fondo inicial' },
  salesCount: { en: 'Sales', es: 'Ventas' },
  grossSales: { en: 'Gross sales', es: 'Ventas brutas' },
  netSalesExTax: { en: 'Net sales before tax', es: 'Ventas netas sin impuestos' },
  taxTotal: { en: 'Tax', es: 'Impuestos' },
  salesTotal: { en: 'Sales total', es: 'Total de ventas' },
  changeGiven: { en: 'Change given', es: 'Cambio entregado' },
  returnsCount: { en: 'Returns', es: 'Devoluciones' },
  returnsTotal: { en: 'Refunded', es: 'Reembolsado' },
  voidsCount: { en: 'Voids', es: 'Anulaciones' },
  voidsTotal: { en: 'Voided', es: 'Anulado' },
  cashSales: { en: 'Cash sales', es: 'Ventas en efectivo' },
  cashRefunds: { en: 'Cash refunds', es: 'Reembolsos en efectivo' },
  expectedCash: { en: 'Expected cash', es: 'Efectivo esperado' },
  countedCash: { en: 'Counted cash', es: 'Efectivo contado' },
  variance: { en: 'Variance', es: 'Diferencia' },
};

const MONEY = new Set([
  'gross', 'discounts', 'discount', 'net', 'netExTax', 'tax', 'rounding', 'total', 'voidsAmount', 'returnsAmount', 'returnsTax',
  'returnsNetExTax', 'cost', 'returnsCost', 'netSales', 'margin', 'averageTicket', 'cashIn', 'cashOut', 'cashVariance', 'returnedExTax',
  'salesBasis', 'salesTax', 'returnsBasis', 'netBasis', 'netTax', 'costValue', 'retailValue', 'commission', 'discountAmount', 'amount',
  'cogs', 'openingValue', 'closingValue', 'averageValue', 'openingFloat', 'grossSales', 'netSalesExTax', 'taxTotal', 'salesTotal',
  'changeGiven', 'returnsTotal', 'voidsTotal', 'cashSales', 'cashRefunds', 'expectedCash', 'countedCash', 'variance',
]);

/** An integer as a decimal with `digits` places, exactly (-1505, 2 -> "-15.05"). */
export function decimal(n: number, digits: number): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(digits + 1, '0');
  const out = digits === 0 ? s : s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  return (neg ? '-' : '') + out;
}

/** A field's value as written in a CSV cell. */
function cellOf(field: string, v: unknown, lang: Lang): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (MONEY.has(field)) return decimal(v, 2);
    if (field.endsWith('Milli')) return decimal(v, 3);
    if (field.endsWith('Bp')) return decimal(v, 2);
    return v;
  }
  if (typeof v === 'object' && 'en' in (v) && 'es' in (v)) return (v as I18nText)[lang];
  return String(v);
}

function quote(c: Cell): string {
  if (c === null) return '';
  const s = String(c);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function header(field: string, lang: Lang, prefix?: I18nText): string {
  const base = LABELS[field]?.[lang] ?? field;
  return prefix ? `${prefix[lang]}: ${base}` : base;
}

/** Only the number fields of a figures object, in their order. */
function numberFields(f: object): string[] {
  return Object.entries(f)
    .filter(([, v]) => typeof v === 'number')
    .map(([k]) => k);
}

const PREVIOUS: I18nText = { en: 'Previous period', es: 'Periodo anterior' };
const TOTAL_LABEL: I18nText = { en: 'Total', es: 'Total' };

interface Table {
  keys: string[];
  figures: string[];
  withPrevious: boolean;
  rows: Array<{ keys: Record<string, unknown>; figures: Record<string, unknown>; previous?: Record<string, unknown> }>;
}

function table<R>(rows: readonly R[], keys: string[], figures: (r: R) => object, previous?: (r: R) => object): Table {
  const first = rows[0];
  return {
    keys,
    figures: first ? numberFields(figures(first)) : [],
    withPrevious: previous !== undefined,
    rows: rows.map((r) => ({
      keys: r as unknown as Record<string, unknown>,
      figures: figures(r) as Record<string, unknown>,
      ...(previous ? { previous: previous(r) as Record<string, unknown> } : {}),
    })),
  };
}

function render(t: Table, lang: Lang): string {
  const head = [...t.keys.map((k) => header(k, lang)), ...t.figures.map((f) => header(f, lang)), ...(t.withPrevious ? t.figures.map((f) => header(f, lang, PREVIOUS)) : [])];
  const lines = [head.map(quote).join(',')];
  for (const r of t.rows) {
    const cells: Cell[] = [
      ...t.keys.map((k) => cellOf(k, r.keys[k], lang)),
      ...t.figures.map((f) => cellOf(f, r.figures[f], lang)),
      ...(t.withPrevious ? t.figures.map((f) => cellOf(f, r.previous?.[f], lang)) : []),
    ];
    lines.push(cells.map(quote).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** A totals line under a table: the label in the first key column. */
function totalRow(keys: string[], figures: object, previous: object | undefined, lang: Lang, label = TOTAL_LABEL) {
  const k: Record<string, unknown> = {};
  if (keys[0]) k[keys[0]] = label[lang];
  return { keys: k, figures: figures as Record<string, unknown>, ...(previous ? { previous: previous as Record<string, unknown> } : {}) };
}

/** The report's main table as CSV. */
export function toCsv(answer: ReportAnswer, lang: Lang = 'en'): string {
  switch (answer.report) {
    case 'sales-summary': {
      const t = table(answer.series, ['bucket'], (p) => p.figures, (p) => answer.previousSeries[answer.series.indexOf(p)]?.figures ?? {});
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      if (answer.byStore) for (const s of answer.byStore) t.rows.push({ keys: { bucket: s.storeId }, figures: s.figures as unknown as Record<string, unknown>, previous: s.previous as unknown as Record<string, unknown> });
      return render(t, lang);
    }
    case 'x':
      return render(table([answer.figures], [], (f) => f), lang);
    case 'z':
    case 'zz': {
      const rows: Array<{ part: I18nText; f: object }> = [{ part: { en: 'Z', es: 'Z' }, f: answer.figures }];
      if (answer.lateArrivals) rows.push({ part: { en: 'Late arrivals', es: 'Llegadas tardías' }, f: answer.lateArrivals });
      if (answer.report === 'zz') rows.push({ part: PREVIOUS, f: answer.previousFigures });
      return render(table(rows.map((r) => ({ part: r.part, ...r.f })), ['part'], (r) => r), lang);
    }
    case 'tax': {
      const t = table(answer.rates, ['rateId', 'code', 'name', 'mode'], (r) => ({ salesBasis: r.salesBasis, salesTax: r.salesTax, returnsBasis: r.returnsBasis, returnsTax: r.returnsTax, netBasis: r.netBasis, netTax: r.netTax }));
      t.rows.push(totalRow(t.keys, { salesTax: answer.totals.salesTax, returnsTax: answer.totals.returnsTax, netTax: answer.totals.netTax }, undefined, lang));
      return render(t, lang);
    }
    case 'inventory-value': {
      const t = table(answer.departments, ['departmentId', 'name', 'depth'], (d) => d.total, (d) => d.previousTotal);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      for (const p of answer.products) t.rows.push({ keys: { departmentId: p.productId, name: p.name, depth: p.sku }, figures: p.figures as unknown as Record<string, unknown>, previous: p.previous as unknown as Record<string, unknown> });
      return render(t, lang);
    }
    case 'product-performance': {
      const t = table(answer.products, ['rank', 'productId', 'sku', 'name', 'departmentId', 'previousRank'], (p) => p.figures, (p) => p.previous);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'sales-by-period': {
      const hours = table(answer.hours, ['hour'], (h) => ({ sales: h.sales, total: h.total, netExTax: h.netExTax }), (h) => answer.previousHours[h.hour] ?? {});
      const days = table(answer.weekdays, ['weekday', 'days'], (w) => ({ sales: w.sales, total: w.total, netExTax: w.netExTax }), (w) => answer.previousWeekdays[w.weekday] ?? {});
      const series = table(answer.series, ['bucket'], (p) => p.figures, (p) => answer.previousSeries[answer.series.indexOf(p)]?.figures ?? {});
      return [render(hours, lang), render(days, lang), render(series, lang)].join('\r\n');
    }
    case 'sales-by-rep': {
      const t = table(answer.reps, ['repId', 'name', 'commissionBp'], (r) => r.figures, (r) => r.previous);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'profit-margin': {
      const t = table(answer.series, ['bucket'], (p) => p.figures, (p) => answer.previousSeries[answer.series.indexOf(p)]?.figures ?? {});
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'cashier-performance': {
      const t = table(answer.cashiers, ['cashierId', 'name'], (c) => c.figures, (c) => c.previous);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'department-sales': {
      const t = table(answer.departments, ['departmentId', 'name', 'depth'], (d) => d.total, (d) => d.previousTotal);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'inventory-turnover': {
      const t = table(answer.departments, ['departmentId', 'name', 'depth'], (d) => d.total, (d) => d.previousTotal);
      t.rows.push(totalRow(t.keys, answer.totals, answer.previousTotals, lang));
      return render(t, lang);
    }
    case 'discount-analysis': {
      const rows = [
        ...answer.byKind.map((k) => ({ part: { en: 'Kind', es: 'Tipo' }, key: k.kind, name: '', count: k.count, amount: k.amount })),
        ...answer.byApproval.map((k) => ({ part: { en: 'Approval', es: 'Autorización' }, key: k.approval, name: '', count: k.count, amount: k.amount })),
        ...answer.byCashier.map((k) => ({ part: { en: 'Cashier', es: 'Cajero' }, key: k.cashierId, name: k.name, count: k.count, amount: k.amount })),
      ];
      const t = table(rows, ['part', 'key', 'name'], (r) => ({ count: r.count, amount: r.amount }));
      t.rows.push(totalRow(t.keys, { count: answer.totals.count, amount: answer.totals.amount }, undefined, lang));
      return render(t, lang);
    }
  }
}
