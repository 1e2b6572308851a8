// The dashboard's per-store table: each store's day (its business date and clock in its own zone), revenue
// against the same weekday last week, change and sales, in the store's currency; sortable by
// any column from the keyboard (the header buttons), the sort said to screen readers with aria-sort. The sync
// light shows for people who may see sync (it comes from the sync dashboard, polled as slowly as this page).
import { Anchor, Group, Paper, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/useT';
import { intlLocale } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import { SyncLight } from '../stores/SyncBits';
import { useDashboardQuery } from '../stores/storesApi';
import { lightOf } from '../stores/syncState';
import type { Sort, SortKey } from './change';
import { sortStores } from './change';
import { ChangeBadge } from './KpiCards';
import type { StoreRow } from './dashboardApi';
import { DASHBOARD_POLL_MS } from './dashboardApi';

/** A business day (already the store's) with its weekday, short: "Wed, May 8". */
function shortDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** The store's clock at an instant, with its zone's short name: "2:05 PM CST". */
function storeClock(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}

function SortHeader({ column, sort, onSort, align = 'left', minWidth }: { column: SortKey; sort: Sort; onSort: (s: Sort) => void; align?: 'left' | 'right'; minWidth?: number }) {
  const t = useT();
  const label = t(`dashboard.col.${column}`);
  const active = sort.key === column;
  const Icon = !active ? IconSelector : sort.desc ? IconChevronDown : IconChevronUp;
  return (
    <Table.Th ta={align} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} p={0} miw={minWidth}>
      <UnstyledButton
        onClick={() => onSort({ key: column, desc: active ? !sort.desc : column !== 'store' })}
        aria-label={t('dashboard.sortBy', { column: label })}
        mih={44}
        w="100%"
        px="md"
        style={{ display: 'flex', alignItems: 'center', justifyContent: align === 'right' ? 'flex-end' : 'flex-start', gap: 4 }}
      >
        <Text fw={700} size="sm" span style={{ whiteSpace: 'nowrap' }}>
          {label}
        </Text>
        <Icon size={14} aria-hidden />
      </UnstyledButton>
    </Table.Th>
  );
}

export function StoresTable({ stores, generatedAt, today }: { stores: readonly StoreRow[]; generatedAt: string; today: boolean }) {
  const t = useT();
  const f = useFormat();
  const locale = intlLocale(f.lang);
  const { can } = usePermissions();
  const syncVisible = can('sync.admin');
  const sync = useDashboardQuery(undefined, { pollingInterval: DASHBOARD_POLL_MS, skip: !syncVisible });
  const syncRows = new Map((sync.data?.stores ?? []).map((r) => [r.store.code, r]));
  const [sort, setSort] = useState<Sort>({ key: 'revenue', desc: true });
  const rows = sortStores(stores, sort);
  const header = (column: SortKey, align: 'left' | 'right' = 'right', minWidth?: number) => <SortHeader column={column} sort={sort} onSort={setSort} align={align} {...(minWidth ? { minWidth } : {})} />;
  return (
    <Paper withBorder radius="md" component="section" aria-label={t('dashboard.table')}>
      <Title order={2} size="h4" p="md" pb={0}>
        {t('dashboard.table')}
      </Title>
      <Table.ScrollContainer minWidth={syncVisible ? 800 : 660}>
        <Table verticalSpacing="sm" horizontalSpacing="md" striped highlightOnHover aria-label={t('dashboard.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              {header('store', 'left', 210)}
              {syncVisible && <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('dashboard.col.state')}</Table.Th>}
              {header('revenue')}
              {header('lastWeek')}
              {header('change')}
              {header('sales')}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((s) => (
              <Table.Tr key={s.code} data-store={s.code}>
                <Table.Td>
                  <Stack gap={0}>
                    <Anchor component={Link} to={`/stores/${s.code}`} fw={600} aria-label={t('dashboard.openStore', { code: s.code })} py={4}>
                      {s.code} · {s.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {t('dashboard.storeDay', { day: shortDay(s.businessDate, locale), zone: today ? storeClock(generatedAt, s.timeZone, locale) : s.timeZone })}
                    </Text>
                  </Stack>
                </Table.Td>
                {syncVisible && <Table.Td>{<SyncLight light={lightOf(s, syncRows.get(s.code))} />}</Table.Td>}
                <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {f.money(s.day.revenue, s.currency)}
                </Table.Td>
                <Table.Td ta="right" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {f.money(s.lastWeek.revenue, s.currency)}
                </Table.Td>
                <Table.Td ta="right">
                  <Group justify="flex-end">
                    <ChangeBadge now={s.day.revenue} before={s.lastWeek.revenue} better="more" />
                  </Group>
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {f.count(s.day.salesCount)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
