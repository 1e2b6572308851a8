// The sales browser: every store's sales, newest business day first, filtered by store, business dates (each
// in its store's zone), receipt number, cashier, customer and total; 50 a page, paged by the cursor HQ gives
// (Previous walks back through the cursors already seen). A sale opens in a drawer (route /sales/:id).
// Filters apply on submit (Enter in any field), so typing does not fire a search per keystroke.
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconChevronLeft, IconChevronRight, IconSearch } from '@tabler/icons-react';
import { Link, Outlet } from 'react-router';
import { parseMoney } from '../../../../../shared/money';
import { LoadError, Loading } from '../../components/PageState';
import { useT } from '../../i18n/useT';
import { minorDigits } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import { useChainDefaults, useStoresQuery } from '../stores/storesApi';
import type { SalesFilter } from './salesApi';
import { useSalesQuery } from './salesApi';

interface FilterValues {
  store: string | null;
  from: string;
  to: string;
  receipt: string;
  cashier: string;
  customer: string;
  minTotal: string;
  maxTotal: string;
}

const EMPTY: FilterValues = { store: null, from: '', to: '', receipt: '', cashier: '', customer: '', minTotal: '', maxTotal: '' };

/** The form as the API's query: empty fields left out, amounts in minor units. */
function toFilter(v: FilterValues, digits: number): SalesFilter {
  const out: SalesFilter = {};
  if (v.store) out.store = v.store;
  if (v.from) out.from = v.from;
  if (v.to) out.to = v.to;
  if (v.receipt.trim()) out.receipt = v.receipt.trim().toUpperCase();
  if (v.cashier.trim()) out.cashier = v.cashier.trim();
  if (v.customer.trim()) out.customer = v.customer.trim();
  const min = v.minTotal.trim() ? parseMoney(v.minTotal, digits) : null;
  const max = v.maxTotal.trim() ? parseMoney(v.maxTotal, digits) : null;
  if (min !== null) out.minTotal = min;
  if (max !== null) out.maxTotal = max;
  return out;
}

function Filters({ onApply }: { onApply: (f: SalesFilter) => void }) {
  const t = useT();
  const { currency } = useChainDefaults();
  const digits = minorDigits(currency);
  const stores = useStoresQuery();
  const money = (v: string) => (!v.trim() || parseMoney(v, digits) !== null ? null : t('editor.notMoney'));
  const form = useForm<FilterValues>({
    initialValues: EMPTY,
    validate: {
      receipt: (v) => (!v.trim() || /^[A-Za-z0-9]{2,12}-T[0-9]{1,4}-[1-9][0-9]{0,7}$/i.test(v.trim()) ? null : t('sales.badReceipt')),
      customer: (v) => (!v.trim() || /^customer:[A-Za-z0-9_-]{1,64}$/.test(v.trim()) ? null : t('sales.badCustomer')),
      minTotal: money,
      maxTotal: money,
      to: (v, all) => (v && all.from && all.from > v ? t('sales.badPeriod') : null),
    },
  });
  const storeOptions = (stores.data ?? []).map((s) => ({ value: s.code, label: `${s.code} · ${s.name}` }));
  return (
    <Paper withBorder p="md" component="form" role="search" aria-label={t('sales.filters')} onSubmit={form.onSubmit((v) => onApply(toFilter(v, digits)))} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <Select label={t('sales.store')} placeholder={t('sales.allStores')} data={storeOptions} clearable searchable {...form.getInputProps('store')} />
          <TextInput type="date" label={t('sales.from')} {...form.getInputProps('from')} />
          <TextInput type="date" label={t('sales.to')} {...form.getInputProps('to')} />
          <TextInput label={t('sales.receipt')} placeholder="S001-T1-42" {...form.getInputProps('receipt')} />
          <TextInput label={t('sales.cashier')} {...form.getInputProps('cashier')} />
          <TextInput label={t('sales.customer')} placeholder="customer:…" {...form.getInputProps('customer')} />
          <TextInput label={t('sales.minTotal', { currency })} inputMode="decimal" {...form.getInputProps('minTotal')} />
          <TextInput label={t('sales.maxTotal', { currency })} inputMode="decimal" {...form.getInputProps('maxTotal')} />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            onClick={() => {
              form.reset();
              onApply({});
            }}
          >
            {t('sales.clear')}
          </Button>
          <Button type="submit" leftSection={<IconSearch size={18} />}>
            {t('sales.search')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function SalesView() {
  const t = useT();
  const f = useFormat();
  const stores = useStoresQuery();
  const [filter, setFilter] = useState<SalesFilter>({});
  // Cursors of the pages already walked: the last is the page on screen (null: the first page).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const sales = useSalesQuery({ filter, cursor }, { refetchOnMountOrArgChange: true });
  const zoneOf = (code: string) => stores.data?.find((s) => s.code === code)?.timeZone ?? 'UTC';
  const apply = (next: SalesFilter) => {
    setFilter(next);
    setCursors([null]);
  };
  const items = sales.data?.items ?? [];
  return (
    <Stack gap="lg" maw={1300}>
      <Stack gap={4}>
        <Title order={1}>{t('sales.title')}</Title>
        <Text c="dimmed">{t('sales.description')}</Text>
      </Stack>
      <Filters onApply={apply} />
      {sales.isLoading && <Loading />}
      {sales.error && <LoadError error={sales.error} onRetry={() => void sales.refetch()} />}
      {sales.data && (
        <Paper withBorder>
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('sales.tableLabel')} aria-busy={sales.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sales.receipt')}</Table.Th>
                <Table.Th>{t('sales.store')}</Table.Th>
                <Table.Th>{t('sales.when')}</Table.Th>
                <Table.Th>{t('sales.cashier')}</Table.Th>
                <Table.Th ta="right">{t('sales.lines')}</Table.Th>
                <Table.Th ta="right">{t('sales.tax')}</Table.Th>
                <Table.Th ta="right">{t('sales.total')}</Table.Th>
                <Table.Th>{t('sales.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/sales/${encodeURIComponent(s.id)}`} ff="monospace" fw={600} display="inline-block" py={10} aria-label={t('sales.open', { receipt: s.receiptNumber })}>
                      {s.receiptNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{s.storeId}</Table.Td>
                  <Table.Td>{f.dateTime(s.createdAt, zoneOf(s.storeId))}</Table.Td>
                  <Table.Td>{s.cashierId}</Table.Td>
                  <Table.Td ta="right">{f.count(s.lineCount)}</Table.Td>
                  <Table.Td ta="right">{f.money(s.taxTotal, s.currency)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {f.money(s.total, s.currency)}
                  </Table.Td>
                  <Table.Td>{s.voided ? <Badge color="red">{t('sales.voided')}</Badge> : <Badge color="green" variant="light">{t('sales.completed')}</Badge>}</Table.Td>
                </Table.Tr>
              ))}
              {!items.length && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" py="md" ta="center">
                      {t('sales.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" p="sm">
            <Text size="sm" c="dimmed">
              {t('sales.page', { n: cursors.length })}
            </Text>
            <Group gap="sm">
              <Button variant="default" leftSection={<IconChevronLeft size={18} />} disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('sales.previous')}
              </Button>
              <Button variant="default" rightSection={<IconChevronRight size={18} />} disabled={!sales.data.next} onClick={() => setCursors((c) => [...c, sales.data?.next ?? null])}>
                {t('sales.next')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <Outlet />
    </Stack>
  );
}
