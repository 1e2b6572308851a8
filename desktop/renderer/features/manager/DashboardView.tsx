// Manager mode's first screen: the store's day so far from the terminal's own replica — sales, tax, discounts,
// voids and returns, the open registers, what each cashier rang and the sales per hour — working offline.
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Badge, Button, Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { loadStoreDay } from './managerSlice';

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz={26} lh={1.2} data-testid={`stat-${label}`}>
        {value}
      </Text>
      {hint !== undefined && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

export function DashboardView() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const { day, names, loading } = useAppSelector((s) => s.manager);

  useEffect(() => {
    void dispatch(loadStoreDay());
  }, [dispatch]);

  const f = day?.figures;
  // Only the hours with trade (and the span between them), so a morning is not 24 mostly empty bars.
  const traded = day?.hours.filter((h) => h.salesCount > 0) ?? [];
  const first = traded[0]?.hour ?? 8;
  const last = traded[traded.length - 1]?.hour ?? 20;
  const chartData = (day?.hours ?? [])
    .filter((h) => h.hour >= Math.min(first, 8) && h.hour <= Math.max(last, 20))
    .map((h) => ({ hour: `${String(h.hour).padStart(2, '0')}:00`, sales: h.salesTotal / 100 }));

  return (
    <Stack gap="sm" className="caja-scroll-page" component="section" aria-label={t('manager.dashboard')}>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t('manager.dashboard')}</Title>
          <Text c="dimmed">{t('manager.dayOf', { date: day?.businessDate ?? '' })}</Text>
        </div>
        <Button variant="default" h={44} leftSection={<IconRefresh size={18} />} onClick={() => void dispatch(loadStoreDay())} loading={loading}>
          {t('common.refresh')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Stat label={t('manager.netSales')} value={fmt.money(f?.salesTotal ?? 0)} hint={t('manager.salesCount', { count: f?.salesCount ?? 0 })} />
        <Stat label={t('manager.averageTicket')} value={fmt.money(day?.averageTicket ?? 0)} />
        <Stat label={t('manager.tax')} value={fmt.money(f?.taxTotal ?? 0)} />
        <Stat label={t('manager.discounts')} value={fmt.money(f?.discounts ?? 0)} />
        <Stat label={t('manager.returns')} value={fmt.money(f?.returnsTotal ?? 0)} hint={t('manager.count', { count: f?.returnsCount ?? 0 })} />
        <Stat label={t('manager.voids')} value={fmt.money(f?.voidsTotal ?? 0)} hint={t('manager.count', { count: f?.voidsCount ?? 0 })} />
        <Stat label={t('manager.expectedCash')} value={fmt.money(f?.expectedCash ?? 0)} />
        <Stat label={t('manager.openRegisters')} value={String(day?.openRegisters.length ?? 0)} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <Paper withBorder p="sm" radius="md">
          <Title order={3} size="h4" mb="xs">
            {t('manager.perHour')}
          </Title>
          <BarChart
            h={220}
            data={chartData}
            dataKey="hour"
            series={[{ name: 'sales', label: t('manager.netSales'), color: 'blue.6' }]}
            valueFormatter={(v) => fmt.money(Math.round(v * 100))}
            tickLine="y"
          />
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Title order={3} size="h4" mb="xs">
            {t('manager.perCashier')}
          </Title>
          <ScrollArea.Autosize mah={230}>
            <Table verticalSpacing="xs" aria-label={t('manager.perCashier')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('manager.cashier')}</Table.Th>
                  <Table.Th ta="right">{t('manager.sales')}</Table.Th>
                  <Table.Th ta="right">{t('manager.returns')}</Table.Th>
                  <Table.Th ta="right">{t('manager.voids')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(f?.cashiers ?? []).map((c) => (
                  <Table.Tr key={c.cashierId}>
                    <Table.Td>{names[c.cashierId] ?? c.cashierId}</Table.Td>
                    <Table.Td ta="right">
                      {fmt.money(c.salesTotal)} <Text span c="dimmed" size="sm">({c.salesCount})</Text>
                    </Table.Td>
                    <Table.Td ta="right">{fmt.money(c.returnsTotal)}</Table.Td>
                    <Table.Td ta="right">{c.voidsCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="sm" radius="md">
        <Title order={3} size="h4" mb="xs">
          {t('manager.openRegisters')}
        </Title>
        {day && day.openRegisters.length === 0 ? (
          <Text c="dimmed">{t('manager.noOpenRegisters')}</Text>
        ) : (
          <Group gap="sm">
            {(day?.openRegisters ?? []).map((r) => (
              <Badge key={r.shiftId} size="xl" variant="light" style={{ textTransform: 'none' }}>
                {t('manager.openRegister', { terminal: r.terminalId, name: names[r.openedBy] ?? r.openedBy, time: fmt.time(r.openedAt) })}
              </Badge>
            ))}
          </Group>
        )}
      </Paper>
    </Stack>
  );
}
