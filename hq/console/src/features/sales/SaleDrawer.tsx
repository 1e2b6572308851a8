// One sale whole, in a drawer over the browser (route /sales/:id): its lines with discounts and taxes, the
// tax breakdown, the tenders, every approval (on the sale, its void and its returns), the void and the
// returns. Money in the sale's currency, times in its store's zone.
import type { ReactNode } from 'react';
import { Badge, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { LoadError, Loading } from '../../components/PageState';
import { useT } from '../../i18n/useT';
import { useFormat, useLang } from '../../lib/hooks';
import { useStoresQuery } from '../stores/storesApi';
import type { SaleDetail } from './salesApi';
import { useSaleQuery } from './salesApi';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={3} size="h4">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text>{value}</Text>
    </Stack>
  );
}

function Detail({ detail, timeZone }: { detail: SaleDetail; timeZone: string }) {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const { sale } = detail;
  const m = (n: number) => f.money(n, sale.currency);
  return (
    <Stack gap="lg">
      <Group gap="xl" align="flex-start">
        <Fact label={t('sales.store')} value={sale.storeId} />
        <Fact label={t('sales.terminal')} value={sale.terminalId} />
        <Fact label={t('sales.when')} value={f.dateTime(sale.createdAt, timeZone)} />
        <Fact label={t('sales.businessDate')} value={f.businessDate(sale.businessDate)} />
        <Fact label={t('sales.cashier')} value={sale.cashierId} />
        <Fact label={t('sales.customer')} value={sale.customerId ?? t('common.none')} />
        <Fact label={t('sales.taxMode')} value={sale.taxMode === 'inclusive' ? t('taxes.inclusive') : t('taxes.exclusive')} />
      </Group>
      {detail.void && (
        <Badge color="red" size="lg">
          {t('sales.voidedBy', { who: detail.void.cashierId, when: f.dateTime(detail.void.createdAt, timeZone), reason: detail.void.reason })}
        </Badge>
      )}
      <Section title={t('sales.linesTitle')}>
        <Table withTableBorder verticalSpacing="xs" aria-label={t('sales.linesTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('sales.item')}</Table.Th>
              <Table.Th ta="right">{t('sales.qty')}</Table.Th>
              <Table.Th ta="right">{t('sales.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('sales.discount')}</Table.Th>
              <Table.Th ta="right">{t('sales.net')}</Table.Th>
              <Table.Th ta="right">{t('sales.tax')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sale.lines.map((l) => {
              const discount = l.grossAmount - l.netAmount;
              return (
                <Table.Tr key={l.lineNo}>
                  <Table.Td>{l.lineNo}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{l.name[lang]}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {l.sku}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{l.qty}</Table.Td>
                  <Table.Td ta="right">{m(l.unitPrice)}</Table.Td>
                  <Table.Td ta="right">{discount ? `−${m(discount)}` : t('common.none')}</Table.Td>
                  <Table.Td ta="right">{m(l.netAmount)}</Table.Td>
                  <Table.Td ta="right">{m(l.taxes.reduce((a, x) => a + x.amount, 0))}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Section>
      <Group align="flex-start" grow gap="lg">
        <Section title={t('sales.taxesTitle')}>
          <Table withTableBorder verticalSpacing="xs" aria-label={t('sales.taxesTitle')}>
            <Table.Tbody>
              {sale.taxes.map((x) => (
                <Table.Tr key={x.rateId}>
                  <Table.Td>{x.name[lang]}</Table.Td>
                  <Table.Td ta="right" c="dimmed">
                    {t('sales.onBasis', { basis: m(x.basis) })}
                  </Table.Td>
                  <Table.Td ta="right">{m(x.amount)}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td fw={600}>{t('sales.subtotal')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right">{m(sale.subtotal)}</Table.Td>
              </Table.Tr>
              {sale.discountTotal !== 0 && (
                <Table.Tr>
                  <Table.Td>{t('sales.discount')}</Table.Td>
                  <Table.Td />
                  <Table.Td ta="right">−{m(sale.discountTotal)}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Td>{t('sales.tax')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right">{m(sale.taxTotal)}</Table.Td>
              </Table.Tr>
              {sale.rounding !== 0 && (
                <Table.Tr>
                  <Table.Td>{t('sales.rounding')}</Table.Td>
                  <Table.Td />
                  <Table.Td ta="right">{m(sale.rounding)}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Td fw={700}>{t('sales.total')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right" fw={700}>
                  {m(sale.total)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('sales.tendersTitle')}>
          <Table withTableBorder verticalSpacing="xs" aria-label={t('sales.tendersTitle')}>
            <Table.Tbody>
              {sale.tenders.map((x, i) => (
                <Table.Tr key={`${x.tenderId}-${i}`}>
                  <Table.Td>
                    {t(`tenders.kinds.${x.kind}`)}
                    <Text span size="xs" c="dimmed" ff="monospace">
                      {` ${x.tenderId.replace(/^tender:/, '')}${x.reference ? ` · ${x.reference}` : ''}`}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{m(x.amount)}</Table.Td>
                  <Table.Td ta="right" c="dimmed">
                    {x.change ? t('sales.change', { amount: m(x.change) }) : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </Group>
      <Section title={t('sales.approvalsTitle')}>
        {detail.approvals.length ? (
          <Table withTableBorder verticalSpacing="xs" aria-label={t('sales.approvalsTitle')}>
            <Table.Tbody>
              {detail.approvals.map((a, i) => (
                <Table.Tr key={`${a.on}-${i}`}>
                  <Table.Td ff="monospace">{a.action}</Table.Td>
                  <Table.Td>{t('sales.approvedBy', { who: a.approvedBy })}</Table.Td>
                  <Table.Td>{f.dateTime(a.approvedAt, timeZone)}</Table.Td>
                  <Table.Td c="dimmed">{a.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('sales.noApprovals')}</Text>
        )}
      </Section>
      <Section title={t('sales.returnsTitle')}>
        {detail.returns.length ? (
          <Table withTableBorder verticalSpacing="xs" aria-label={t('sales.returnsTitle')}>
            <Table.Tbody>
              {detail.returns.map((r) => (
                <Table.Tr key={r._id}>
                  <Table.Td ff="monospace">{r.receiptNumber}</Table.Td>
                  <Table.Td>{f.dateTime(r.createdAt, timeZone)}</Table.Td>
                  <Table.Td>{t('sales.returnLines', { count: r.lines.length })}</Table.Td>
                  <Table.Td ta="right">−{m(r.total)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('sales.noReturns')}</Text>
        )}
      </Section>
    </Stack>
  );
}

export function SaleDrawer() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const sale = useSaleQuery(id);
  const stores = useStoresQuery();
  const timeZone = stores.data?.find((s) => s.code === sale.data?.sale.storeId)?.timeZone ?? 'UTC';
  const receipt = sale.data?.sale.receiptNumber ?? id;
  return (
    <Drawer
      opened
      onClose={() => void navigate('/sales')}
      position="right"
      size={920}
      title={<Text fw={700} size="lg">{t('sales.detailTitle', { receipt })}</Text>}
      closeButtonProps={{ 'aria-label': t('sales.closeDetail') }}
    >
      {sale.isLoading && <Loading />}
      {sale.error && <LoadError error={sale.error} onRetry={() => void sale.refetch()} />}
      {sale.data && <Detail detail={sale.data} timeZone={timeZone} />}
    </Drawer>
  );
}
