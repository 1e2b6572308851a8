// The building blocks of the report screens: how each kind of figure is written (money in the store's currency
// and locale, units from thousandths, percentages from basis points), a figure card with its change from the
// previous period, and a figures table whose columns say how to read each row. Figures stay integers to here.
import { Badge, Group, Paper, ScrollArea, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { Fragment, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf, useFormat } from '../../app/format';
import { changePercent } from './periods';

/** How a figure is read: money (minor units), a count, units (thousandths), a percent (basis points), text. */
export type Kind = 'money' | 'count' | 'milli' | 'bp' | 'times';

export interface ReportFormat {
  lang: 'en' | 'es';
  value(kind: Kind, n: number): string;
  change(current: number, previous: number): string | null;
}

export function useReportFormat(): ReportFormat {
  const fmt = useFormat();
  return useMemo(() => {
    const locale = localeOf(fmt.lang, fmt.currency);
    const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const units = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    const pct = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
    const times = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const signed = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
    return {
      lang: fmt.lang,
      value: (kind: Kind, n: number) =>
        kind === 'money' ? fmt.money(n) : kind === 'milli' ? units.format(n / 1000) : kind === 'bp' ? `${pct.format(n / 100)} %` : kind === 'times' ? `${times.format(n / 10000)}×` : count.format(n),
      change: (current: number, previous: number) => {
        const c = changePercent(current, previous);
        return c === null ? null : `${signed.format(c)} %`;
      },
    };
  }, [fmt]);
}

/** The change from the previous period as a coloured badge ("—" when there is nothing to compare with). */
export function Change({ current, previous, lowerIsBetter = false }: { current: number; previous: number; lowerIsBetter?: boolean }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const text = f.change(current, previous);
  if (text === null)
    return (
      <Text span c="dimmed" size="sm" aria-label={t('reports.noComparison')}>
        —
      </Text>
    );
  const up = current > previous;
  const good = current === previous ? null : up !== lowerIsBetter;
  return (
    <Badge variant="light" color={good === null ? 'gray' : good ? 'teal' : 'red'} size="md" style={{ textTransform: 'none' }}>
      {text}
    </Badge>
  );
}

export interface Stat {
  label: string;
  kind: Kind;
  current: number;
  previous?: number;
  lowerIsBetter?: boolean;
}

/** A figure card from one field of this period's figures and of the previous period's. */
export function stat<F>(label: string, kind: Kind, current: F, previous: F, field: { [K in keyof F]: F[K] extends number ? K : never }[keyof F], lowerIsBetter = false): Stat {
  return { label, kind, current: current[field] as number, previous: previous[field] as number, lowerIsBetter };
}

/** The headline figures of a report, each with the previous period's and the change. */
export function StatCards({ stats }: { stats: Stat[] }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
      {stats.map((s) => (
        <Paper key={s.label} withBorder p="sm" radius="md" role="group" aria-label={s.label} className="caja-report-stat">
          <Text size="sm" c="dimmed">
            {s.label}
          </Text>
          <Text fw={700} fz={24} lh={1.2} data-figure={s.label}>
            {f.value(s.kind, s.current)}
          </Text>
          {s.previous !== undefined && (
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed" truncate="end">
                {t('reports.previous', { value: f.value(s.kind, s.previous) })}
              </Text>
              <Change current={s.current} previous={s.previous} lowerIsBetter={s.lowerIsBetter ?? false} />
            </Group>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}

export interface Column<R> {
  label: string;
  /** A figure (right-aligned, formatted) or text. */
  kind?: Kind;
  get(row: R): number | string | ReactNode;
  /** The previous period's figure: the column then shows the change next to it. */
  previous?(row: R): number;
  lowerIsBetter?: boolean;
}

/** A table of figures with a totals row; columns with a previous figure show the change from it. */
export function FigureTable<R>({ label, columns, rows, total, rowKey, empty }: { label: string; columns: Column<R>[]; rows: readonly R[]; total?: R; rowKey(r: R, i: number): string; empty?: string }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const cell = (c: Column<R>, r: R, strong: boolean) => {
    const v = c.get(r);
    const text = typeof v === 'number' && c.kind ? f.value(c.kind, v) : v;
    return (
      <Table.Td ta={c.kind ? 'right' : 'left'} fw={strong ? 700 : undefined} style={{ whiteSpace: c.kind ? 'nowrap' : undefined }}>
        {text}
        {c.previous && typeof v === 'number' && (
          <>
            {' '}
            <Change current={v} previous={c.previous(r)} lowerIsBetter={c.lowerIsBetter ?? false} />
          </>
        )}
      </Table.Td>
    );
  };
  return (
    <ScrollArea type="auto" className="caja-report-table">
      <Table verticalSpacing={6} striped highlightOnHover aria-label={label} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label} ta={c.kind ? 'right' : 'left'} style={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={rowKey(r, i)}>{columns.map((c) => <Fragment key={c.label}>{cell(c, r, false)}</Fragment>)}</Table.Tr>
          ))}
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text c="dimmed">{empty ?? t('reports.empty')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
        {total && rows.length > 0 && (
          <Table.Tfoot>
            <Table.Tr>{columns.map((c) => <Fragment key={c.label}>{cell(c, total, true)}</Fragment>)}</Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </ScrollArea>
  );
}

/** A titled block of a report (a table, a chart). */
export function Block({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title} className={className}>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
