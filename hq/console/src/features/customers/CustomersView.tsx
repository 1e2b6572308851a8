// Customers and the review of their conflicts. A customer is the one record many tills edit, so HQ resolves
// their conflicts on its own (the latest edit wins) and keeps every losing version; here a person sees each
// such conflict side by side and either keeps the winner or restores a kept version.
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronLeft, IconChevronRight, IconSearch } from '@tabler/icons-react';
import { LoadError, Loading } from '../../components/PageState';
import { useT } from '../../i18n/useT';
import { useErrorText, useFormat } from '../../lib/hooks';
import { useChainDefaults } from '../stores/storesApi';
import type { Customer, CustomerConflict } from './customersApi';
import { useCustomerConflictsQuery, useCustomersQuery, useResolveConflictMutation } from './customersApi';

function contactOf(c: Customer): string {
  return [c.email, c.phone].filter(Boolean).join(' · ');
}

function ConflictCard({ conflict }: { conflict: CustomerConflict }) {
  const t = useT();
  const f = useFormat();
  const errorText = useErrorText();
  const { timeZone } = useChainDefaults();
  const [resolve, resolving] = useResolveConflictMutation();
  const name = conflict.current?.name ?? conflict.winner.doc.name;
  const run = async (rev?: string) => {
    const result = await resolve({ id: conflict.customerId, ...(rev ? { rev } : {}) });
    if ('error' in result) notifications.show({ color: 'red', message: errorText(result.error) });
    else notifications.show({ color: 'green', message: t('customers.reviewed', { name }) });
  };
  const versions = [{ rev: conflict.winner.rev, doc: conflict.winner.doc, winner: true }, ...conflict.losers.map((l) => ({ rev: l.rev, doc: l.doc, winner: false }))];
  return (
    <Paper withBorder p="md" component="section" aria-label={t('customers.conflictOf', { name })}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {name}
          </Title>
          <Text size="sm" c="dimmed">
            {t('customers.resolvedAt', { time: f.dateTime(conflict.resolvedAt, timeZone), rule: conflict.rule })}
          </Text>
        </Group>
        <Table withTableBorder verticalSpacing="xs" aria-label={t('customers.versions')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('customers.version')}</Table.Th>
              <Table.Th>{t('customers.name')}</Table.Th>
              <Table.Th>{t('customers.contact')}</Table.Th>
              <Table.Th>{t('customers.editedAt')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.rev}>
                <Table.Td>{v.winner ? <Badge color="green">{t('customers.winner')}</Badge> : <Badge color="gray">{t('customers.loser')}</Badge>}</Table.Td>
                <Table.Td>{v.doc.name}</Table.Td>
                <Table.Td>{contactOf(v.doc) || t('common.none')}</Table.Td>
                <Table.Td>{f.dateTime(v.doc.updatedAt, timeZone)}</Table.Td>
                <Table.Td ta="right">
                  {v.winner ? (
                    <Button h={44} loading={resolving.isLoading} onClick={() => void run()}>
                      {t('customers.keepWinner')}
                    </Button>
                  ) : (
                    <Button h={44} variant="light" loading={resolving.isLoading} onClick={() => void run(v.rev)}>
                      {t('customers.restore')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

export function CustomersView() {
  const t = useT();
  const f = useFormat();
  const { timeZone } = useChainDefaults();
  const [q, setQ] = useState('');
  const [query] = useDebouncedValue(q.trim(), 300);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const customers = useCustomersQuery({ q: query, cursor: cursors[cursors.length - 1] ?? null });
  const conflicts = useCustomerConflictsQuery(undefined, { refetchOnMountOrArgChange: true });
  const open = (conflicts.data ?? []).filter((c) => c.open);
  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <Title order={1}>{t('customers.title')}</Title>
        <Text c="dimmed">{t('customers.description')}</Text>
      </Stack>
      <Title order={2}>{t('customers.conflicts', { count: open.length })}</Title>
      {conflicts.isLoading && <Loading />}
      {conflicts.error && <LoadError error={conflicts.error} onRetry={() => void conflicts.refetch()} />}
      {conflicts.data && !open.length && <Text c="dimmed">{t('customers.noConflicts')}</Text>}
      {open.map((c) => (
        <ConflictCard key={c.customerId} conflict={c} />
      ))}
      <Title order={2} mt="md">
        {t('customers.list')}
      </Title>
      <TextInput
        label={t('customers.search')}
        leftSection={<IconSearch size={18} />}
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setCursors([null]);
        }}
        maw={420}
      />
      {customers.error && <LoadError error={customers.error} onRetry={() => void customers.refetch()} />}
      {customers.data && (
        <Paper withBorder>
          <Table verticalSpacing="sm" aria-label={t('customers.list')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.contact')}</Table.Th>
                <Table.Th>{t('customers.taxExempt')}</Table.Th>
                <Table.Th>{t('customers.editedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.data.items.map((c) => (
                <Table.Tr key={c._id}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{contactOf(c) || t('common.none')}</Table.Td>
                  <Table.Td>{c.taxExempt ? c.taxExempt.id : t('common.no')}</Table.Td>
                  <Table.Td>{f.dateTime(c.updatedAt, timeZone)}</Table.Td>
                </Table.Tr>
              ))}
              {!customers.data.items.length && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('customers.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          <Group justify="flex-end" gap="sm" p="sm">
            <Button variant="default" leftSection={<IconChevronLeft size={18} />} disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {t('sales.previous')}
            </Button>
            <Button variant="default" rightSection={<IconChevronRight size={18} />} disabled={!customers.data.next} onClick={() => setCursors((c) => [...c, customers.data?.next ?? null])}>
              {t('sales.next')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
