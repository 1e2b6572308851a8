// The dashboard's key figures for one currency: revenue, sales, average ticket, tax, discounts, voids and
// returns, each with last week's value and how it moved (arrow, percentage and colour; the colour is never
// the only signal: the arrow and the words say it too). Laid out by the width the page gives them (container
// queries): one column, two, four with revenue twice as wide, or all seven in a row; a figure's size follows
// its card's width, so a chain's eight-digit revenue stays on one line.
import { Badge, Grid, Group, Paper, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconEqual, IconSparkles } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { useFormat } from '../../lib/hooks';
import type { Better } from './change';
import { changeColor, changeOf, formatRatio } from './change';
import type { ChainBlock, DayTotals } from './dashboardApi';

const ICON = { up: IconArrowUpRight, down: IconArrowDownRight, new: IconSparkles, same: IconEqual } as const;

/** How a figure moved against last week: a badge people see, a sentence screen readers read. */
export function ChangeBadge({ now, before, better }: { now: number; before: number; better: Better }) {
  const t = useT();
  const { lang } = useFormat();
  const change = changeOf(now, before);
  const Icon = ICON[change.kind];
  const short = change.kind === 'up' || change.kind === 'down' ? formatRatio(change.ratio, lang) : t(`dashboard.changeShort.${change.kind}`);
  const sentence = change.kind === 'up' || change.kind === 'down' ? t(`dashboard.change.${change.kind}`, { pct: formatRatio(change.ratio, lang, false) }) : t(`dashboard.change.${change.kind}`);
  return (
    <Badge
      color={changeColor(change, better)}
      variant="light"
      size="lg"
      radius="sm"
      leftSection={<Icon size={16} aria-hidden />}
      style={{ textTransform: 'none', flexShrink: 0, maxWidth: 'none' }}
      styles={{ label: { overflow: 'visible' } }}
      data-change={change.kind}
    >
      <span aria-hidden>{short}</span>
      <VisuallyHidden>{sentence}</VisuallyHidden>
    </Badge>
  );
}

interface Kpi {
  key: 'revenue' | 'sales' | 'averageTicket' | 'tax' | 'discounts' | 'voids' | 'returns';
  now: number;
  before: number;
  show: (n: number) => string;
  better: Better;
  hint?: string;
}

function KpiCard({ kpi, hero }: { kpi: Kpi; hero: boolean }) {
  const t = useT();
  const label = t(`dashboard.kpi.${kpi.key}`);
  return (
    <Paper withBorder p="md" radius="md" role="group" aria-label={label} data-kpi={kpi.key} h="100%" style={{ containerType: 'inline-size' }}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fw={700} lh={1.25} mt={2} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontSize: hero ? 'clamp(20px, 8.5cqi, 36px)' : 'clamp(16px, 11cqi, 26px)' }}>
        {kpi.show(kpi.now)}
      </Text>
      {kpi.hint && (
        <Text size="xs" c="dimmed">
          {kpi.hint}
        </Text>
      )}
      <Group gap={8} mt="xs" wrap="wrap">
        <ChangeBadge now={kpi.now} before={kpi.before} better={kpi.better} />
        <Text size="xs" c="dimmed">
          {t('dashboard.lastWeekValue', { value: kpi.show(kpi.before) })}
        </Text>
      </Group>
    </Paper>
  );
}

/** Widths of the cards' row (not the window) where the layout changes. */
const KPI_BREAKPOINTS = { xs: '400px', sm: '560px', md: '860px', lg: '1200px', xl: '1560px' };

export function KpiCards({ block }: { block: ChainBlock }) {
  const t = useT();
  const f = useFormat();
  const money = (n: number) => f.money(n, block.currency);
  const d: DayTotals = block.day;
  const w: DayTotals = block.lastWeek;
  const kpis: Kpi[] = [
    { key: 'revenue', now: d.revenue, before: w.revenue, show: money, better: 'more' },
    { key: 'sales', now: d.salesCount, before: w.salesCount, show: f.count, better: 'more' },
    { key: 'averageTicket', now: d.averageTicket, before: w.averageTicket, show: money, better: 'more' },
    { key: 'tax', now: d.tax, before: w.tax, show: money, better: 'neither' },
    { key: 'discounts', now: d.discounts, before: w.discounts, show: money, better: 'neither' },
    { key: 'voids', now: d.voidsAmount, before: w.voidsAmount, show: money, better: 'less', hint: t('dashboard.voidsCount', { count: d.voidsCount }) },
    { key: 'returns', now: d.returnsAmount, before: w.returnsAmount, show: money, better: 'less', hint: t('dashboard.returnsCount', { count: d.returnsCount }) },
  ];
  // 28 columns: 7 cards of 4 in a row, or revenue 14 and the others 7 (four a row), or halves.
  return (
    <Grid component="section" aria-label={t('dashboard.kpiLabel')} type="container" columns={28} gap="md" breakpoints={KPI_BREAKPOINTS}>
      {kpis.map((k) => (
        <Grid.Col key={k.key} span={k.key === 'revenue' ? { base: 28, md: 14, xl: 4 } : { base: 28, sm: 14, md: 7, xl: 4 }}>
          <KpiCard kpi={k} hero={k.key === 'revenue'} />
        </Grid.Col>
      ))}
    </Grid>
  );
}
