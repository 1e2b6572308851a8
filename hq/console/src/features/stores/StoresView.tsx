// The stores list doubles as the sync dashboard (design "Sync monitoring"): per store its light from the
// heartbeat, last sync, each replication job, errors kept, today's figures in the store's currency, open
// registers and terminals. Polls HQ every few seconds, so a relay going quiet turns its row red on its own.
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconBuildingStore, IconPlus } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { Link } from 'react-router';
import type { DashboardRow, Store } from '../../api/types';
import { useErrorText, useFormat, useNow } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import { CreateStoreModal } from './CreateStoreModal';
import { JobBadge, SyncLight } from './SyncBits';
import { SYNC_POLL_MS, useDashboardQuery, useStoresQuery } from './storesApi';
import { lightOf } from './syncState';
import type { Light } from './syncState';

const STORES_POLL_MS = 10_000;

function SummaryCard({ label, value, color }: { label: string; value: number; color: string }) {
  const f = useFormat();
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} c={value > 0 ? color : undefined} lh={1.2}>
        {f.count(value)}
      </Text>
    </Paper>
  );
}

function StoreRow({ store, row, syncVisible, now }: { store: Store; row: DashboardRow | undefined; syncVisible: boolean; now: number }) {
  const t = useT();
  const f = useFormat();
  const light: Light = lightOf(store, row);
  const today = row?.today;
  const staleTerminals = row?.terminals.filter((x) => x.stale).length ?? 0;
  return (
    <Table.Tr data-store={store.code}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {syncVisible ? (
          <SyncLight light={light} />
        ) : (
          <Badge variant="light" color="gray" size="lg" radius="sm">
            {t(`status.${store.status}`)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/stores/${store.code}`} fw={700} aria-label={t('stores.openStore', { code: store.code })}>
          {store.code}
        </Anchor>
        <Text size="sm" c="dimmed" lineClamp={1}>
          {store.name}
        </Text>
      </Table.Td>
      {syncVisible && (
        <>
          <Table.Td>
            {store.status === 'pending' ? (
              <Text size="sm" c="dimmed">
                {t('stores.provisionHint')}
              </Text>
            ) : (
              <>
                <Text size="sm" title={row?.lastSyncAt ? f.dateTime(row.lastSyncAt, store.timeZone) : undefined}>
                  {row?.lastSyncAt ? f.relative(row.lastSyncAt, now) : t('common.never')}
                </Text>
                <Text size="xs" c="dimmed" title={row?.lastHeartbeatAt ? f.dateTime(row.lastHeartbeatAt, store.timeZone) : undefined}>
                  {row?.lastHeartbeatAt ? t('stores.heartbeat', { time: f.relative(row.lastHeartbeatAt, now) }) : t('stores.noHeartbeat')}
                </Text>
              </>
            )}
          </Table.Td>
          <Table.Td>
            <Group gap={6}>
              {(row?.jobs ?? []).map((job) => (
                <JobBadge key={job.id} job={job} now={now} timeZone={store.timeZone} stale={light !== 'connected'} />
              ))}
              {!row?.jobs.length && <Text c="dimmed">{t('common.none')}</Text>}
            </Group>
          </Table.Td>
          <Table.Td ta="right">
            {row && row.errorCount > 0 ? (
              <Badge color="red" variant="filled" size="lg" radius="sm">
                {f.count(row.errorCount)}
              </Badge>
            ) : (
              <Text c="dimmed">{row ? '0' : t('common.none')}</Text>
            )}
          </Table.Td>
          <Table.Td>
            {today ? (
              <>
                <Text size="sm" fw={600}>
                  {t('stores.salesCount', { count: today.salesCount })} · {f.money(today.revenue, store.currency)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('stores.todayDetail', { tax: f.money(today.tax, store.currency), discounts: f.money(today.discounts, store.currency), voids: f.count(today.voidsCount) })}
                </Text>
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('stores.noFigures')}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right">{row ? f.count(row.openRegisters) : t('common.none')}</Table.Td>
          <Table.Td>
            {row?.terminals.length ? (
              <Text size="sm" c={staleTerminals ? 'orange.8' : undefined}>
                {t('stores.terminalsSyncing', { ok: row.terminals.length - staleTerminals, total: row.terminals.length })}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('stores.noTerminals')}
              </Text>
            )}
          </Table.Td>
        </>
      )}
    </Table.Tr>
  );
}

export function StoresView() {
  const t = useT();
  const f = useFormat();
  const errorText = useErrorText();
  const now = useNow();
  const { can } = usePermissions();
  const syncVisible = can('sync.admin');
  const [creating, setCreating] = useState(false);
  // Fresh when the page is opened (not a minute-old cache until the first poll), then polled.
  const stores = useStoresQuery(undefined, { pollingInterval: STORES_POLL_MS, refetchOnMountOrArgChange: true });
  const dash = useDashboardQuery(undefined, { pollingInterval: SYNC_POLL_MS, skip: !syncVisible, refetchOnMountOrArgChange: true });
  const rows = new Map((dash.data?.stores ?? []).map((r) => [r.store.code, r]));
  const list = [...(stores.data ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const lights = list.map((s) => lightOf(s, rows.get(s.code)));
  const errorsTotal = (dash.data?.stores ?? []).reduce((n, r) => n + r.errorCount, 0);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1}>{t('stores.title')}</Title>
          <Text c="dimmed">{t('stores.description')}</Text>
        </div>
        <Group gap="md">
          {dash.data && (
            <Text size="sm" c="dimmed" aria-live="off">
              {t('stores.updatedAt', { time: f.relative(dash.data.generatedAt, Math.max(now, Date.parse(dash.data.generatedAt))) })}
            </Text>
          )}
          {can('stores.provision') && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              {t('stores.newStore')}
            </Button>
          )}
        </Group>
      </Group>

      {syncVisible ? (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <SummaryCard label={t('stores.summary.connected')} value={lights.filter((l) => l === 'connected').length} color="green.8" />
          <SummaryCard label={t('stores.summary.disconnected')} value={lights.filter((l) => l === 'disconnected').length} color="red.8" />
          <SummaryCard label={t('stores.summary.pending')} value={lights.filter((l) => l === 'pending').length} color="gray.8" />
          <SummaryCard label={t('stores.summary.errors')} value={errorsTotal} color="red.8" />
        </SimpleGrid>
      ) : (
        <Alert color="blue" variant="light">
          {t('stores.noSyncPermission')}
        </Alert>
      )}

      {(stores.error || dash.error) && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {t('stores.refreshFailed', { message: errorText(stores.error ?? dash.error) })}
        </Alert>
      )}

      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={syncVisible ? 1120 : 400}>
          <Table verticalSpacing="sm" horizontalSpacing="md" striped highlightOnHover aria-label={t('stores.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('stores.col.sync')}</Table.Th>
                <Table.Th miw={140}>{t('stores.col.store')}</Table.Th>
                {syncVisible && (
                  <>
                    <Table.Th miw={130}>{t('stores.col.lastSync')}</Table.Th>
                    <Table.Th>{t('stores.col.jobs')}</Table.Th>
                    <Table.Th ta="right">{t('stores.col.errors')}</Table.Th>
                    <Table.Th miw={220}>{t('stores.col.today')}</Table.Th>
                    <Table.Th ta="right">{t('stores.col.registers')}</Table.Th>
                    <Table.Th miw={120}>{t('stores.col.terminals')}</Table.Th>
                  </>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stores.isLoading &&
                [0, 1, 2].map((i) => (
                  <Table.Tr key={i}>
                    <Table.Td colSpan={syncVisible ? 8 : 2}>
                      <Skeleton h={28} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              {list.map((store) => (
                <StoreRow key={store.code} store={store} row={rows.get(store.code)} syncVisible={syncVisible} now={now} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {stores.data && list.length === 0 && (
          <Stack align="center" p="xl" gap="xs">
            <IconBuildingStore size={40} stroke={1.5} aria-hidden />
            <Text c="dimmed">{t('stores.empty')}</Text>
          </Stack>
        )}
      </Paper>

      {creating && <CreateStoreModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}
