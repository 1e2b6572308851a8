// Today's journal of this terminal: every sale and refund of the business day, newest first, voids marked; pick
// one to see its receipt, reprint it, or take it to returns and voids.
import { Badge, Button, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { IconPrinter, IconReceiptRefund, IconRefresh } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { screenChosen } from '../../app/uiSlice';
import { printReceipt } from '../receipt/printing';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { findReceipt } from '../returns/returnsSlice';
import { journalEntrySelected, loadJournal } from './journalSlice';

export function JournalView() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const lang = useAppSelector((s) => s.ui.lang);
  const tenders = useAppSelector((s) => s.catalog.tenders);
  const { entries, selectedId, loading, businessDate } = useAppSelector((s) => s.journal);
  const selected = entries.find((e) => e.doc._id === selectedId) ?? null;

  useEffect(() => {
    void dispatch(loadJournal());
  }, [dispatch]);

  const tenderName = (id: string) => tenders.find((x) => x._id === id)?.name[lang] ?? id;
  const salesTotal = entries.reduce((s, e) => s + (e.doc.type === 'sale' && !e.voided ? e.doc.total : 0), 0);
  const refundsTotal = entries.reduce((s, e) => s + (e.doc.type === 'return' ? e.doc.total : 0), 0);

  return (
    <div className="caja-two-col caja-wide-main">
      <Paper withBorder p="sm" component="section" aria-label={t('journal.title')} className="caja-col-main">
        <Group justify="space-between" mb="xs">
          <div>
            <Title order={2}>{t('journal.title')}</Title>
            <Text c="dimmed">{t('journal.subtitle', { date: businessDate ?? '' })}</Text>
          </div>
          <Group gap="md">
            <Text>{t('journal.totals', { sales: fmt.money(salesTotal), refunds: fmt.money(refundsTotal) })}</Text>
            <Button variant="default" h={44} leftSection={<IconRefresh size={18} />} onClick={() => void dispatch(loadJournal())} loading={loading}>
              {t('common.refresh')}
            </Button>
          </Group>
        </Group>
        <ScrollArea className="caja-fill" type="auto" offsetScrollbars>
          {entries.length === 0 ? (
            <Text c="dimmed" ta="center" mt="xl">
              {t('journal.empty')}
            </Text>
          ) : (
            <Table highlightOnHover verticalSpacing="sm" stickyHeader aria-label={t('journal.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('journal.time')}</Table.Th>
                  <Table.Th>{t('journal.receipt')}</Table.Th>
                  <Table.Th>{t('journal.kind')}</Table.Th>
                  <Table.Th>{t('journal.tenders')}</Table.Th>
                  <Table.Th ta="right">{t('journal.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <Table.Tr
                    key={e.doc._id}
                    onClick={() => dispatch(journalEntrySelected(e.doc._id))}
                    data-active={e.doc._id === selectedId || undefined}
                    aria-selected={e.doc._id === selectedId}
                    className="caja-row"
                    tabIndex={0}
                    onKeyDown={(k) => k.key === 'Enter' && dispatch(journalEntrySelected(e.doc._id))}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.time(e.doc.createdAt)}</Table.Td>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {e.doc.receiptNumber}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={e.doc.type === 'return' ? 'orange' : e.voided ? 'red' : 'green'} variant="light" style={{ overflow: 'visible' }} styles={{ label: { overflow: 'visible' } }}>
                        {e.doc.type === 'return' ? t('journal.refund') : e.voided ? t('journal.voided') : t('journal.sale')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{(e.doc.type === 'sale' ? e.doc.tenders : e.doc.refunds).map((x) => tenderName(x.tenderId)).join(', ')}</Table.Td>
                    <Table.Td ta="right" fw={700} style={{ whiteSpace: 'nowrap' }}>
                      {e.doc.type === 'return' ? `−${fmt.money(e.doc.total)}` : fmt.money(e.doc.total)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </ScrollArea>
      </Paper>
      <Paper withBorder p="sm" className="caja-col-side" component="section" aria-label={t('journal.detail')}>
        {selected ? (
          <Stack>
            <ScrollArea.Autosize mah="calc(100vh - 230px)" type="auto">
              <ReceiptPreview doc={selected.doc} originalSale={selected.originalSale} label={t('receipt.preview')} />
            </ScrollArea.Autosize>
            <Stack gap="xs">
              <Button h={48} variant="default" leftSection={<IconPrinter />} onClick={() => void dispatch(printReceipt(selected.doc, selected.originalSale ? { originalSale: selected.originalSale } : {}))}>
                {t('journal.reprint')}
              </Button>
              {selected.doc.type === 'sale' && (
                <Button
                  h={48}
                  leftSection={<IconReceiptRefund />}
                  onClick={() => {
                    void dispatch(findReceipt(selected.doc.receiptNumber));
                    dispatch(screenChosen('returns'));
                  }}
                >
                  {t('journal.returnOrVoid')}
                </Button>
              )}
            </Stack>
          </Stack>
        ) : (
          <Text c="dimmed" ta="center" mt="xl">
            {t('journal.pick')}
          </Text>
        )}
      </Paper>
    </div>
  );
}
