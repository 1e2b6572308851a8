// The chain dashboard (route /dashboard, the home page of people who may see figures): the chain's day against
// the same weekday last week — key figures, sales per hour, stores compared and the per-store table — for one
// currency at a time (amounts in different currencies are never added; a switch picks the currency when the
// chain has several). The day is in the address (?date=YYYY-MM-DD; none: each store's today in its own zone),
// so a reload or a shared link shows the same day. It asks HQ again every 30 s without a reload. Loaded on
// first use (App.tsx), so the charts' code is not in the bundle of every other page.
import { ActionIcon, Alert, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconBuildingStore, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isBusinessDate } from '../../../../../shared/model/ids';
import { LoadError, Loading } from '../../components/PageState';
import { useT } from '../../i18n/useT';
import { useErrorText, useFormat, useNow } from '../../lib/hooks';
import { HourChart, StoresChart } from './Charts';
import type { ChainDashboard } from './dashboardApi';
import { DASHBOARD_POLL_MS, useChainDashboardQuery } from './dashboardApi';
import { KpiCards } from './KpiCards';
import { StoresTable } from './StoresTable';

const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** "Updated 5 seconds ago", ticking on its own so the page around it does not re-render every few seconds. */
function Updated({ at }: { at: string }) {
  const t = useT();
  const f = useFormat();
  const now = useNow(5000);
  return (
    <Text size="sm" c="dimmed" aria-live="off">
      {t('dashboard.updatedAt', { time: f.relative(at, Math.max(now, Date.parse(at))) })}
    </Text>
  );
}

/** The day shown (?date=…, or each store's today) with the previous and next day and back to today. */
function DayPicker({ date, shown, onChange }: { date: string | null; shown: string; onChange: (day: string | null) => void }) {
  const t = useT();
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <ActionIcon variant="default" aria-label={t('dashboard.previousDay')} onClick={() => onChange(shiftDay(shown, -1))}>
        <IconChevronLeft size={20} aria-hidden />
      </ActionIcon>
      <TextInput
        type="date"
        label={t('dashboard.day')}
        value={shown}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (isBusinessDate(v)) onChange(v);
        }}
        w={170}
      />
      <ActionIcon variant="default" aria-label={t('dashboard.nextDay')} onClick={() => onChange(shiftDay(shown, 1))} disabled={date === null}>
        <IconChevronRight size={20} aria-hidden />
      </ActionIcon>
      <Button variant={date === null ? 'light' : 'default'} onClick={() => onChange(null)} aria-pressed={date === null}>
        {t('dashboard.today')}
      </Button>
    </Group>
  );
}

/** What the page compares, in words: the day asked against a week before, or each store's today. */
function Comparing({ data, days }: { data: ChainDashboard; days: string[] }) {
  const t = useT();
  const f = useFormat();
  const single = days.length === 1 ? days[0] : undefined;
  return (
    <Stack gap={0}>
      {data.date === null && (
        <Text size="sm" c="dimmed">
          {t('dashboard.eachToday')}
        </Text>
      )}
      {single && (
        <Text fw={600} data-testid="dashboard-day">
          {t('dashboard.comparing', { day: f.businessDate(single), lastWeek: f.businessDate(shiftDay(single, -7)) })}
        </Text>
      )}
    </Stack>
  );
}

function NoStores() {
  const t = useT();
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="sm">
        <IconBuildingStore size={40} stroke={1.5} aria-hidden />
        <Text c="dimmed">{t('dashboard.noStores')}</Text>
        <Button component={Link} to="/stores" variant="default">
          {t('dashboard.goStores')}
        </Button>
      </Stack>
    </Paper>
  );
}

export function DashboardView() {
  const t = useT();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const asked = params.get('date');
  const date = asked && isBusinessDate(asked) ? asked : null;
  const query = useChainDashboardQuery({ date }, { pollingInterval: DASHBOARD_POLL_MS, refetchOnMountOrArgChange: true });
  const [picked, setPicked] = useState<string | null>(null);
  // The answer for this day only: while another day loads, the last one is not shown as if it were it.
  const data = query.currentData;
  const block = data?.chain.find((c) => c.currency === picked) ?? data?.chain[0];
  const stores = (data?.stores ?? []).filter((s) => s.currency === block?.currency);
  const shown = date ?? block?.businessDates[0] ?? data?.stores[0]?.businessDate ?? '';
  const choose = (day: string | null) => setParams(day ? { date: day } : {}, { replace: false });

  return (
    <Stack gap="lg" aria-busy={query.isFetching}>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <Stack gap={4}>
          <Title order={1}>{t('dashboard.title')}</Title>
          <Text c="dimmed">{t('dashboard.description')}</Text>
        </Stack>
        <Group gap="md" align="flex-end" wrap="wrap">
          {data && <Updated at={data.generatedAt} />}
          {shown && <DayPicker date={date} shown={shown} onChange={choose} />}
        </Group>
      </Group>

      {data && (data.chain.length > 1 || block) && (
        <Group justify="space-between" align="center" wrap="wrap" gap="md">
          {block && <Comparing data={data} days={block.businessDates} />}
          {data.chain.length > 1 && block && (
            <SegmentedControl
              aria-label={t('dashboard.currency')}
              value={block.currency}
              onChange={setPicked}
              data={data.chain.map((c) => ({ value: c.currency, label: t('dashboard.currencyOption', { currency: c.currency, count: c.stores.length }) }))}
            />
          )}
        </Group>
      )}

      {query.error && data && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {t('dashboard.refreshFailed', { message: errorText(query.error) })}
        </Alert>
      )}
      {!data && query.isFetching && <Loading />}
      {!data && !query.isFetching && query.error && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {data && data.stores.length === 0 && <NoStores />}

      {data && block && (
        <>
          <KpiCards block={block} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <HourChart block={block} />
            <StoresChart block={block} stores={stores} />
          </SimpleGrid>
          <StoresTable stores={stores} generatedAt={data.generatedAt} today={data.date === null} />
        </>
      )}
    </Stack>
  );
}
