// The pieces every report page is made of: figures formatted by kind (money in the report's currency,
// thousandths of units, basis points, counts), the change against the previous period in colour, key-figure
// cards, a figures table (a value and, under it, its change), the department tree as indented rows, and a
// printed-slip layout for the X/Z/ZZ. Money stays integer minor units until the formatter.
import { Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DepartmentNode } from '../../../../../shared/api/reports';
import { TitledSection } from '../../components/TitledSection';
import { useT } from '../../i18n/useT';
import { intlLocale } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import { changeColor, changeOf, formatRatio, type Better } from '../dashboard/change';

export type Kind = 'money' | 'count' | 'milli' | 'bp' | 'times' | 'text';

/** A formatter of figures by kind, for one currency. */
export function useFig(currency: string) {
  const f = useFormat();
  const units = new Intl.NumberFormat(intlLocale(f.lang), { maximumFractionDigits: 3 });
  const times = new Intl.NumberFormat(intlLocale(f.lang), { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  return (kind: Kind, v: number | string): string => {
    if (typeof v === 'string') return v;
    switch (kind) {
      case 'money':
        return f.money(v, currency);
      case 'milli':
        return units.format(v / 1000);
      case 'bp':
        return f.percentBp(v);
      case 'times':
        return `${times.format(v / 10000)}×`;
      case 'count':
      case 'text':
        return f.count(v);
    }
  };
}

/** The change of a figure against the previous period: "+12.5 %" green when good news, red when bad. */
export function ChangeText({ now, before, better = 'more', size = 'xs' }: { now: number; before: number; better?: Better; size?: 'xs' | 'sm' }) {
  const t = useT();
  const f = useFormat();
  const change = changeOf(now, before);
  const text = change.kind === 'same' ? t('reports.same') : change.kind === 'new' ? t('reports.new') : formatRatio(change.ratio, f.lang);
  const color = changeColor(change, better);
  return (
    <Text span size={size} fw={600} c={color === 'gray' ? 'dimmed' : `${color}.8`} data-change={change.kind} className="report-change">
      {text}
    </Text>
  );
}

interface Kpi {
  key: string;
  label: string;
  kind: Kind;
  value: number;
  previous?: number;
  better?: Better;
}

/** Key figures as cards: the value, the previous period's and the change. */
export function KpiCards({ items, currency }: { items: Kpi[]; currency: string }) {
  const t = useT();
  const fig = useFig(currency);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.min(items.length, 4), xl: Math.min(items.length, 5) }} spacing="sm" className="report-kpis">
      {items.map((k) => (
        <Paper key={k.key} withBorder p="sm" radius="md" role="group" aria-label={k.label} data-kpi={k.key}>
          <Stack gap={2}>
            <Text size="sm" c="dimmed" fw={500}>
              {k.label}
            </Text>
            <Text fw={700} size="xl" data-value style={{ whiteSpace: 'nowrap' }}>
              {fig(k.kind, k.value)}
            </Text>
            {k.previous !== undefined && (
              <Group gap={6} wrap="wrap">
                <ChangeText now={k.value} before={k.previous} better={k.better} size="sm" />
                <Text size="xs" c="dimmed">
                  {t('reports.previousValue', { value: fig(k.kind, k.previous) })}
                </Text>
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

export interface Col<R> {
  key: string;
  label: string;
  kind: Kind;
  value: (r: R) => number | string;
  previous?: (r: R) => number;
  better?: Better;
  /** Cell content instead of the formatted value (names with indentation). */
  render?: (r: R) => ReactNode;
}

/** A titled block of the page (kept together when printed: reports.css `.report-section`). */
export function Section({ title, help, children, testId }: { title: string; help?: string; children: ReactNode; testId?: string }) {
  return (
    <TitledSection title={title} help={help} testId={testId} className="report-section">
      {children}
    </TitledSection>
  );
}

/** Figures as a table: one row per item, each figure with its change under it when it has a previous value. */
export function FigureTable<R>({ label, rows, cols, rowKey, total, currency, empty }: { label: string; rows: readonly R[]; cols: Col<R>[]; rowKey: (r: R) => string; total?: R; currency: string; empty?: string }) {
  const t = useT();
  const fig = useFig(currency);
  const cell = (c: Col<R>, r: R) => {
    if (c.render) return c.render(r);
    const v = c.value(r);
    return (
      <Stack gap={0} align={c.kind === 'text' ? 'flex-start' : 'flex-end'}>
        <span>{fig(c.kind, v)}</span>
        {c.previous && typeof v === 'number' && <ChangeText now={v} before={c.previous(r)} better={c.better} />}
      </Stack>
    );
  };
  if (rows.length === 0) {
    return (
      <Text c="dimmed" py="md" ta="center">
        {empty ?? t('reports.noRows')}
      </Text>
    );
  }
  return (
    <ScrollArea type="auto" className="report-table-scroll">
      <Table aria-label={label} striped highlightOnHover withTableBorder verticalSpacing={6} horizontalSpacing="xs" fz="sm" className="report-table">
        <Table.Thead>
          <Table.Tr>
            {cols.map((c) => (
              <Table.Th key={c.key} ta={c.kind === 'text' ? 'left' : 'right'} style={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={rowKey(r)} data-row={rowKey(r)}>
              {cols.map((c) => (
                <Table.Td key={c.key} ta={c.kind === 'text' ? 'left' : 'right'} data-col={c.key} style={{ whiteSpace: 'nowrap' }}>
                  {cell(c, r)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {total && (
          <Table.Tfoot>
            <Table.Tr data-row="total" fw={700}>
              {cols.map((c, i) => (
                <Table.Td key={c.key} ta={c.kind === 'text' ? 'left' : 'right'} data-col={c.key} style={{ whiteSpace: 'nowrap' }}>
                  {i === 0 ? t('reports.total') : c.kind === 'text' ? '' : cell(c, total)}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </ScrollArea>
  );
}

/** A department's name indented by its depth in the tree. */
export function TreeName({ node, lang }: { node: DepartmentNode<unknown>; lang: 'en' | 'es' }) {
  return (
    <Text span size="sm" fw={node.depth === 0 ? 700 : 400} style={{ paddingInlineStart: node.depth * 18 }}>
      {node.name[lang]}
    </Text>
  );
}

/** A label for a bucket: a day, a week (its Monday) or a month (YYYY-MM). */
export function useBucketLabel() {
  const f = useFormat();
  const loc = intlLocale(f.lang);
  const day = new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(loc, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return (bucket: string): string => {
    if (/^\d{4}-\d{2}$/.test(bucket)) return month.format(new Date(`${bucket}-15T12:00:00Z`));
    return day.format(new Date(`${bucket}T12:00:00Z`));
  };
}

/** A period of business days, short: "Nov 1 – 30, 2026". */
export function usePeriodText() {
  const f = useFormat();
  const fmt = new Intl.DateTimeFormat(intlLocale(f.lang), { dateStyle: 'medium', timeZone: 'UTC' });
  return (from: string, to: string) => (from === to ? fmt.format(new Date(`${from}T12:00:00Z`)) : fmt.formatRange(new Date(`${from}T12:00:00Z`), new Date(`${to}T12:00:00Z`)));
}

export interface SlipLine {
  label: string;
  value: string;
  strong?: boolean;
  indent?: boolean;
}

/** The X/Z/ZZ as on paper: a narrow column of labelled lines under headings. */
export function Slip({ title, subtitle, sections, testId }: { title: string; subtitle?: string; sections: Array<{ heading: string; lines: SlipLine[] }>; testId?: string }) {
  return (
    <Paper withBorder p="lg" radius="sm" maw={560} w="100%" className="report-slip" data-testid={testId} component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" ta="center">
            {title}
          </Title>
          {subtitle && (
            <Text size="sm" c="dimmed" ta="center">
              {subtitle}
            </Text>
          )}
        </div>
        {sections
          .filter((s) => s.lines.length > 0)
          .map((s) => (
            <Stack key={s.heading} gap={2} style={{ borderTop: '1px dashed var(--mantine-color-gray-5)', paddingTop: 8 }}>
              <Text fw={700} size="sm" tt="uppercase">
                {s.heading}
              </Text>
              {s.lines.map((l, i) => (
                <Group key={`${l.label}-${i}`} justify="space-between" wrap="nowrap" gap="md" ff="monospace" data-line={l.label}>
                  <Text size="sm" fw={l.strong ? 700 : 400} style={{ paddingInlineStart: l.indent ? 16 : 0 }}>
                    {l.label}
                  </Text>
                  <Text size="sm" fw={l.strong ? 700 : 400} ta="right" data-value>
                    {l.value}
                  </Text>
                </Group>
              ))}
            </Stack>
          ))}
      </Stack>
    </Paper>
  );
}
