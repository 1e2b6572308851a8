// One store: its details and provisioning (token shown once, regenerate, revoke), its configuration, its
// prices (overrides listed, changed in bulk: StorePricesPanel.tsx), today's figures, its replication jobs in
// CouchDB `_active_tasks` terms, its terminals, its sync errors, and force resync.
// Sync parts poll like the dashboard, so the page follows the relay without a reload.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconKey, IconRefresh, IconShieldOff } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { Link, useParams } from 'react-router';
import { notifications } from '@mantine/notifications';
import type { DashboardRow, IssuedToken, Store } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { LoadError, Loading } from '../../components/PageState';
import { useFormat, useNow } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import { JobBadge, SyncLight, useJobWords } from './SyncBits';
import { StoreConfigPanel } from './StoreConfigPanel';
import { StorePricesPanel } from './StorePricesPanel';
import { TokenDialog } from './TokenDialog';
import { SYNC_POLL_MS, useDashboardQuery, useProvisionStoreMutation, useResyncStoreMutation, useRevokeStoreMutation, useStoreQuery, useSyncErrorsQuery } from './storesApi';
import { jobColor, lightOf } from './syncState';

const ERROR_TYPES = ['network_timeout', 'payload_too_large', 'schema_mismatch', 'token_rejected', 'forbidden'];

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text>{children}</Text>
    </div>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" c="dimmed" truncate="end">
        {label}
      </Text>
      <Text fz={20} fw={700} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </Paper>
  );
}

function ProvisionPanel({ store, onIssued }: { store: Store; onIssued: (issued: IssuedToken) => void }) {
  const t = useT();
  const f = useFormat();
  const now = useNow(30_000);
  const { can } = usePermissions();
  const [provision, provisioning] = useProvisionStoreMutation();
  const [revoke, revoking] = useRevokeStoreMutation();
  const [confirm, setConfirm] = useState<'regenerate' | 'revoke' | null>(null);
  const token = store.syncToken;
  const outstanding = token && !token.usedAt && !token.revokedAt && Date.parse(token.expiresAt) > now;

  const issue = async () => {
    setConfirm(null);
    const result = await provision({ code: store.code });
    // The answer is handed to the dialog and dropped from RTK Query's cache at once: the token must not
    // outlive the dialog anywhere in the page's state.
    provisioning.reset();
    if ('data' in result && result.data) onIssued(result.data);
  };
  const doRevoke = async () => {
    const result = await revoke(store.code);
    setConfirm(null);
    if ('data' in result) notifications.show({ color: 'orange', message: t('provision.revoked', { code: store.code }) });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('provision.title')}
        </Title>
        <Text size="sm">{t(store.status === 'pending' ? 'provision.pendingBody' : store.status === 'active' ? 'provision.activeBody' : 'provision.suspendedBody')}</Text>
        {token ? (
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              {t('provision.tokenIssued', { time: f.dateTime(token.createdAt, store.timeZone), expires: f.dateTime(token.expiresAt, store.timeZone) })}
            </Text>
            {token.usedAt && (
              <Text size="sm" c="green.8">
                {t('provision.tokenUsed', { time: f.dateTime(token.usedAt, store.timeZone) })}
              </Text>
            )}
            {token.revokedAt && (
              <Text size="sm" c="orange.8">
                {t('provision.tokenRevoked', { time: f.dateTime(token.revokedAt, store.timeZone) })}
              </Text>
            )}
            {!token.usedAt && !token.revokedAt && Date.parse(token.expiresAt) <= now && (
              <Text size="sm" c="orange.8">
                {t('provision.tokenExpired', { time: f.dateTime(token.expiresAt, store.timeZone) })}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t('provision.noToken')}
          </Text>
        )}
        {(provisioning.error || revoking.error) && <LoadError error={provisioning.error ?? revoking.error} />}
        {can('stores.provision') && (
          <Group gap="sm">
            {store.status !== 'active' && (
              <Button leftSection={<IconKey size={18} />} loading={provisioning.isLoading} onClick={() => (outstanding ? setConfirm('regenerate') : void issue())}>
                {outstanding ? t('provision.regenerate') : t('provision.generate')}
              </Button>
            )}
            {store.status === 'active' && (
              <Button variant="default" leftSection={<IconKey size={18} />} loading={provisioning.isLoading} onClick={() => setConfirm('regenerate')}>
                {t('provision.regenerate')}
              </Button>
            )}
            {store.status !== 'suspended' && (
              <Button color="red" variant="light" leftSection={<IconShieldOff size={18} />} onClick={() => setConfirm('revoke')}>
                {t('provision.revoke')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      {confirm === 'regenerate' && (
        <ConfirmDialog title={t('provision.regenerateTitle')} confirmLabel={t('provision.regenerateConfirm')} color="orange" loading={provisioning.isLoading} onConfirm={() => void issue()} onClose={() => setConfirm(null)}>
          {t('provision.regenerateBody', { time: token ? f.dateTime(token.createdAt, store.timeZone) : '' })}
        </ConfirmDialog>
      )}
      {confirm === 'revoke' && (
        <ConfirmDialog title={t('provision.revokeTitle', { code: store.code })} confirmLabel={t('provision.revokeConfirm')} loading={revoking.isLoading} onConfirm={() => void doRevoke()} onClose={() => setConfirm(null)}>
          {t('provision.revokeBody')}
        </ConfirmDialog>
      )}
    </Paper>
  );
}

function JobsTable({ row, timeZone, now, stale }: { row: DashboardRow; timeZone: string; now: number; stale: boolean }) {
  const t = useT();
  const f = useFormat();
  const words = useJobWords();
  if (!row.jobs.length) return <Text c="dimmed">{t('store.noJobs')}</Text>;
  // Column headers carry CouchDB's own field names, the terms admins know from _active_tasks.
  const head = (label: string, field: string) => (
    <>
      {label}
      <Text component="span" display="block" size="xs" c="dimmed" ff="monospace" fw={400}>
        {field}
      </Text>
    </>
  );
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" aria-label={t('store.jobs')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{head(t('job.col.job'), 'replication_id')}</Table.Th>
            <Table.Th>{head(t('job.col.direction'), 'type: replication')}</Table.Th>
            <Table.Th>{head(t('job.col.state'), 'state')}</Table.Th>
            <Table.Th ta="right">{head(t('job.col.docsRead'), 'docs_read')}</Table.Th>
            <Table.Th ta="right">{head(t('job.col.docsWritten'), 'docs_written')}</Table.Th>
            <Table.Th ta="right">{head(t('job.col.pending'), 'changes_pending')}</Table.Th>
            <Table.Th>{head(t('job.col.lastSuccess'), 'last_updated')}</Table.Th>
            <Table.Th>{head(t('job.col.lastError'), 'info.error')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {row.jobs.map((job) => (
            <Table.Tr key={job.id}>
              <Table.Td>
                <JobBadge job={job} now={now} timeZone={timeZone} stale={stale} />
                <Text size="xs" c="dimmed" ff="monospace">
                  {job.id}
                </Text>
              </Table.Td>
              <Table.Td>{t(`job.direction.${job.direction}`)}</Table.Td>
              <Table.Td>
                <Badge color={stale ? 'gray' : jobColor(job)} variant="dot" style={{ textTransform: 'none' }}>
                  {words.state(job)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{f.count(job.docsRead)}</Table.Td>
              <Table.Td ta="right">{f.count(job.docsWritten)}</Table.Td>
              <Table.Td ta="right">{job.pending === null ? t('common.none') : f.count(job.pending)}</Table.Td>
              <Table.Td>
                {job.lastSuccessAt ? (
                  <>
                    <Text size="sm">{f.relative(job.lastSuccessAt, now)}</Text>
                    <Text size="xs" c="dimmed">
                      {f.dateTime(job.lastSuccessAt, timeZone)}
                    </Text>
                  </>
                ) : (
                  t('common.never')
                )}
              </Table.Td>
              <Table.Td maw={280}>
                {job.lastError ? (
                  <>
                    <Code color="red.1">{job.lastError.type}</Code>
                    <Text size="xs" lineClamp={2} title={job.lastError.message}>
                      {job.lastError.message}
                    </Text>
                  </>
                ) : (
                  t('common.none')
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TerminalsTable({ row, timeZone, now }: { row: DashboardRow; timeZone: string; now: number }) {
  const t = useT();
  const f = useFormat();
  if (!row.terminals.length) return <Text c="dimmed">{t('store.noTerminalsReported')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="sm" aria-label={t('store.terminals')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('terminal.id')}</Table.Th>
            <Table.Th>{t('terminal.health')}</Table.Th>
            <Table.Th>{t('terminal.lastSeen')}</Table.Th>
            <Table.Th ta="right">{t('terminal.pendingUp')}</Table.Th>
            <Table.Th ta="right">{t('terminal.dbSize')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {row.terminals.map((term) => (
            <Table.Tr key={term.terminalId}>
              <Table.Td ff="monospace">{term.terminalId}</Table.Td>
              <Table.Td>
                <Badge color={term.stale ? 'orange' : 'green'} variant="light" style={{ textTransform: 'none' }}>
                  {term.stale ? t('terminal.stale') : t('terminal.syncing')}
                </Badge>
              </Table.Td>
              <Table.Td title={f.dateTime(term.lastSeenAt, timeZone)}>{f.relative(term.lastSeenAt, now)}</Table.Td>
              <Table.Td ta="right">{term.pendingUp === null ? t('common.none') : f.count(term.pendingUp)}</Table.Td>
              <Table.Td ta="right">{term.dbSizeBytes === null ? t('common.none') : f.bytes(term.dbSizeBytes)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ErrorsTable({ code, timeZone }: { code: string; timeZone: string }) {
  const t = useT();
  const f = useFormat();
  const [type, setType] = useState<string | null>(null);
  const errors = useSyncErrorsQuery({ store: code, type }, { pollingInterval: SYNC_POLL_MS * 2 });
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h3">
            {t('store.errors')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('store.errorsHelp')}
          </Text>
        </div>
        <Select
          label={t('store.errorType')}
          placeholder={t('store.allTypes')}
          data={ERROR_TYPES}
          value={type}
          onChange={setType}
          clearable
          w={240}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {errors.error && <LoadError error={errors.error} onRetry={() => void errors.refetch()} />}
      {errors.data && errors.data.length === 0 && <Text c="dimmed">{t('store.noErrors')}</Text>}
      {errors.data && errors.data.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table verticalSpacing="sm" striped aria-label={t('store.errors')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>{t('syncError.at')}</Table.Th>
                <Table.Th>{t('syncError.type')}</Table.Th>
                <Table.Th>{t('syncError.job')}</Table.Th>
                <Table.Th>{t('syncError.message')}</Table.Th>
                <Table.Th>{t('syncError.doc')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.data.map((e) => (
                <Table.Tr key={e._id}>
                  <Table.Td>{f.dateTime(e.at, timeZone)}</Table.Td>
                  <Table.Td>
                    <Badge color="red" variant="light" style={{ textTransform: 'none' }} ff="monospace">
                      {e.errorType}
                    </Badge>
                  </Table.Td>
                  <Table.Td ff="monospace">{e.job}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.message}</Text>
                  </Table.Td>
                  <Table.Td ff="monospace">{e.docId ?? t('common.none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

export function StoreView() {
  const { code = '' } = useParams();
  const t = useT();
  const f = useFormat();
  const now = useNow();
  const { can } = usePermissions();
  const syncVisible = can('sync.admin');
  // Fresh on every visit (a relay may have provisioned the store since it was last shown), then polled.
  const store = useStoreQuery(code, { pollingInterval: SYNC_POLL_MS * 2, refetchOnMountOrArgChange: true });
  const dash = useDashboardQuery(undefined, { pollingInterval: SYNC_POLL_MS, skip: !syncVisible, refetchOnMountOrArgChange: true });
  const [resync, resyncing] = useResyncStoreMutation();
  const [confirmResync, setConfirmResync] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);

  if (store.isLoading) return <Loading />;
  if (!store.data) return <LoadError error={store.error} onRetry={() => void store.refetch()} />;
  const row = dash.data?.stores.find((r) => r.store.code === store.data?.code);
  // The dashboard is polled more often: its status is the fresher one.
  const s = row && row.store.status !== store.data.status ? { ...store.data, status: row.store.status } : store.data;
  const today = row?.today;

  const doResync = async () => {
    const result = await resync(s.code);
    setConfirmResync(false);
    if ('data' in result) notifications.show({ color: 'blue', message: t('store.resyncRequested') });
  };

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/stores" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={16} aria-hidden />
          {t('store.backToStores')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Group gap="md" align="center">
          <Title order={1}>
            {s.code} · {s.name}
          </Title>
          {syncVisible ? <SyncLight light={lightOf(s, row)} /> : <Badge size="lg" variant="light" color="gray">{t(`status.${s.status}`)}</Badge>}
        </Group>
        {syncVisible && s.status === 'active' && (
          <Button variant="light" leftSection={<IconRefresh size={18} />} onClick={() => setConfirmResync(true)}>
            {t('store.resync')}
          </Button>
        )}
      </Group>
      {s.resyncRequestedAt && (
        <Alert color="blue" variant="light">
          {t('store.resyncPending', { time: f.relative(s.resyncRequestedAt, now) })}
        </Alert>
      )}
      {resyncing.error && <LoadError error={resyncing.error} />}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('store.details')}
            </Title>
            <SimpleGrid cols={2} spacing="sm">
              <Field label={t('store.code')}>{s.code}</Field>
              <Field label={t('store.timeZone')}>{s.timeZone}</Field>
              <Field label={t('store.address')}>{s.address || t('common.none')}</Field>
              <Field label={t('store.currency')}>{s.currency}</Field>
              <Field label={t('store.language')}>{s.locale === 'es' ? 'Español' : 'English'}</Field>
              <Field label={t('store.taxMode')}>{s.taxMode === 'inclusive' ? t('store.taxInclusive') : t('store.taxExclusive')}</Field>
            </SimpleGrid>
            {s.lastResyncAt && (
              <Text size="sm" c="dimmed">
                {t('store.lastResync', { time: f.dateTime(s.lastResyncAt, s.timeZone) })}
              </Text>
            )}
          </Stack>
        </Paper>
        <ProvisionPanel store={s} onIssued={setIssued} />
      </SimpleGrid>
      <StoreConfigPanel code={s.code} />

      {!syncVisible && (
        <Alert color="blue" variant="light">
          {t('store.syncNeedsPermission')}
        </Alert>
      )}

      {syncVisible && row && s.status !== 'pending' && (
        <>
          <Stack gap="sm">
            <Title order={2} size="h3">
              {today ? t('store.today', { date: f.businessDate(today.businessDate) }) : t('stores.col.today')}
            </Title>
            <SimpleGrid cols={{ base: 2, sm: 4, xl: 7 }}>
              <Stat label={t('store.sales')} value={f.count(today?.salesCount ?? 0)} />
              <Stat label={t('store.revenue')} value={f.money(today?.revenue ?? 0, s.currency)} />
              <Stat label={t('store.tax')} value={f.money(today?.tax ?? 0, s.currency)} />
              <Stat label={t('store.discounts')} value={f.money(today?.discounts ?? 0, s.currency)} />
              <Stat label={t('store.voids')} value={f.count(today?.voidsCount ?? 0)} detail={f.money(today?.voidsTotal ?? 0, s.currency)} />
              <Stat label={t('store.openRegisters')} value={f.count(row.openRegisters)} />
              <Stat label={t('store.lastSale')} value={row.lastSaleAt ? f.time(row.lastSaleAt, s.timeZone) : t('common.never')} detail={row.lastSaleAt ? f.relative(row.lastSaleAt, now) : undefined} />
            </SimpleGrid>
          </Stack>

          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <Title order={2} size="h3">
                {t('store.jobs')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('store.jobsHelp')}
              </Text>
              <JobsTable row={row} timeZone={s.timeZone} now={now} stale={!row.connected} />
            </Stack>
          </Paper>

          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <Title order={2} size="h3">
                {t('store.terminals')}
              </Title>
              <TerminalsTable row={row} timeZone={s.timeZone} now={now} />
            </Stack>
          </Paper>
        </>
      )}

      {syncVisible && s.status !== 'pending' && (
        <Paper withBorder p="md" radius="md">
          <ErrorsTable code={s.code} timeZone={s.timeZone} />
        </Paper>
      )}

      <StorePricesPanel code={s.code} currency={s.currency} timeZone={s.timeZone} />

      {confirmResync && (
        <ConfirmDialog title={t('store.resyncTitle', { code: s.code })} confirmLabel={t('store.resyncConfirm')} color="blue" loading={resyncing.isLoading} onConfirm={() => void doResync()} onClose={() => setConfirmResync(false)}>
          {t('store.resyncBody')}
        </ConfirmDialog>
      )}
      {issued && <TokenDialog code={s.code} issued={issued} timeZone={s.timeZone} onClose={() => setIssued(null)} />}
    </Stack>
  );
}
