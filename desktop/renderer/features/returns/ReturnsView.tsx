// Returns and voids: scan the receipt's barcode or type its number (a sale of any terminal of the store), choose
// the quantities coming back, refund to the original tenders or to store credit; or void today's sale. What the
// cashier may not do alone goes to a manager's PIN.
import { Alert, Button, Checkbox, Group, NumberInput, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconBan, IconReceiptRefund, IconSearch } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { computeReturnLines } from '../../../../shared/pos/returns';
import { useErrorText } from '../../app/errorText';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { printReceipt } from '../receipt/printing';
import { findReceipt, refundMethodChosen, restockChosen, returnQtyChosen, returnsReset, submitReturn, submitVoid } from './returnsSlice';

export function ReturnsView() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const errorText = useErrorText();
  const lang = useAppSelector((s) => s.ui.lang);
  const hasCredit = useAppSelector((s) => s.catalog.tenders.some((x) => x.kind === 'storecredit' && x.active));
  const st = useAppSelector((s) => s.returns);
  const [receipt, setReceipt] = useState(st.receipt);
  const [reason, setReason] = useState('');

  const find = (e: FormEvent) => {
    e.preventDefault();
    if (receipt.trim()) void dispatch(findReceipt(receipt.trim()));
  };

  const preview = useMemo(() => {
    const requests = st.lines.filter((l) => l.qty > 0).map((l) => ({ lineNo: l.lineNo, qty: l.qty, restock: l.restock }));
    return st.sale && requests.length > 0 ? computeReturnLines(st.sale, st.previous, requests) : null;
  }, [st.sale, st.previous, st.lines]);

  if (st.done) {
    const doc = st.done.doc;
    return (
      <div className="caja-two-col">
        <Paper withBorder p="lg" className="caja-col-main" component="section">
          <Stack>
            <Title order={2}>{st.done.kind === 'return' ? t('returns.refunded') : t('returns.voided')}</Title>
            {st.done.kind === 'return' && st.done.doc.type === 'return' && (
              <div className="caja-due-box" data-done>
                <Text size="lg" fw={600}>
                  {t('returns.refundDue')}
                </Text>
                <Text className="caja-big-amount" aria-label={t('returns.refundDue')}>
                  {fmt.money(st.done.doc.total)}
                </Text>
              </div>
            )}
            {st.done.kind === 'void' && <Text size="lg">{t('returns.voidDone', { receipt: doc.receiptNumber, total: fmt.money(doc.total) })}</Text>}
            <Group grow>
              {st.done.kind === 'return' && st.done.doc.type === 'return' && (
                <Button size="lg" variant="default" onClick={() => st.done?.doc.type === 'return' && void dispatch(printReceipt(st.done.doc, st.sale ? { originalSale: st.sale } : {}))}>
                  {t('receipt.print')}
                </Button>
              )}
              <Button
                size="lg"
                onClick={() => {
                  setReceipt('');
                  setReason('');
                  dispatch(returnsReset());
                }}
              >
                {t('returns.another')}
              </Button>
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="sm" className="caja-col-side">
          {st.done.kind === 'return' && st.done.doc.type === 'return' ? (
            <ReceiptPreview doc={st.done.doc} originalSale={st.sale ?? undefined} label={t('receipt.preview')} />
          ) : (
            st.sale && <ReceiptPreview doc={st.sale} printable={false} label={t('receipt.preview')} />
          )}
        </Paper>
      </div>
    );
  }

  return (
    <div className="caja-two-col">
      <Paper withBorder p="sm" className="caja-col-main" component="section" aria-label={t('returns.title')}>
        <Title order={2} mb="xs">
          {t('returns.title')}
        </Title>
        <form onSubmit={find}>
          <Group align="flex-end" wrap="nowrap">
            <TextInput style={{ flex: 1 }} size="lg" label={t('returns.receipt')} placeholder={t('returns.receiptPlaceholder')} value={receipt} onChange={(e) => setReceipt(e.currentTarget.value)} autoComplete="off" data-autofocus />
            <Button type="submit" size="lg" leftSection={<IconSearch />} loading={st.busy && !st.sale}>
              {t('returns.find')}
            </Button>
          </Group>
        </form>
        {st.error && (
          <Alert color={st.error.code === 'approval_pending' ? 'blue' : 'red'} mt="sm" role="alert">
            {errorText(st.error)}
          </Alert>
        )}
        {st.sale && (
          <Stack mt="sm" gap="sm">
            <Group justify="space-between">
              <Text fw={700} size="lg">
                {t('returns.saleOf', { receipt: st.sale.receiptNumber, date: fmt.dateTime(st.sale.createdAt), total: fmt.money(st.sale.total) })}
              </Text>
              {st.voided && <Text c="red">{t('returns.isVoided')}</Text>}
            </Group>
            <ScrollArea.Autosize mah={320} type="auto">
              <Table verticalSpacing="xs" aria-label={t('returns.lines')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('returns.item')}</Table.Th>
                    <Table.Th w={90}>{t('returns.sold')}</Table.Th>
                    <Table.Th w={120}>{t('returns.returnQty')}</Table.Th>
                    <Table.Th w={90}>{t('returns.restock')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {st.lines.map((l) => {
                    const line = st.sale?.lines.find((x) => x.lineNo === l.lineNo);
                    const name = line?.name[lang] ?? '';
                    return (
                      <Table.Tr key={l.lineNo}>
                        <Table.Td>
                          <Text fw={600}>{name}</Text>
                          <Text size="xs" c="dimmed">
                            {fmt.money(line?.netAmount ?? 0)}
                          </Text>
                        </Table.Td>
                        <Table.Td>{t('returns.remainingOf', { remaining: fmt.qty(l.remaining), sold: fmt.qty(line?.qty ?? 0) })}</Table.Td>
                        <Table.Td>
                          <NumberInput
                            aria-label={t('returns.qtyFor', { item: name })}
                            value={l.qty}
                            min={0}
                            max={l.remaining}
                            step={1}
                            decimalScale={3}
                            size="md"
                            disabled={st.voided || l.remaining <= 0}
                            onChange={(v) => dispatch(returnQtyChosen({ lineNo: l.lineNo, qty: typeof v === 'number' ? v : Number(v) || 0 }))}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Checkbox size="md" aria-label={t('returns.restockFor', { item: name })} checked={l.restock} onChange={(e) => dispatch(restockChosen({ lineNo: l.lineNo, restock: e.currentTarget.checked }))} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {hasCredit && (
              <SegmentedControl
                aria-label={t('returns.refundTo')}
                value={st.refundTo}
                onChange={(v) => dispatch(refundMethodChosen(v === 'storecredit' ? 'storecredit' : 'original'))}
                data={[
                  { value: 'original', label: t('returns.toOriginal') },
                  { value: 'storecredit', label: t('returns.toCredit') },
                ]}
                size="md"
              />
            )}
            <Group justify="space-between">
              <Text size="lg">{t('returns.refundTotal')}</Text>
              <Title order={2}>{preview?.ok ? fmt.money(preview.value.total) : fmt.money(0)}</Title>
            </Group>
            {preview && !preview.ok && (
              <Alert color="red" role="alert">
                {errorText(preview.error)}
              </Alert>
            )}
            <Button size="lg" h={56} color="orange" leftSection={<IconReceiptRefund />} onClick={() => void dispatch(submitReturn())} disabled={!preview?.ok || st.voided} loading={st.busy}>
              {t('returns.refund')}
            </Button>
          </Stack>
        )}
      </Paper>
      <Paper withBorder p="sm" className="caja-col-side" component="section" aria-label={t('returns.voidTitle')}>
        {st.sale ? (
          <Stack>
            <ReceiptPreview doc={st.sale} printable={false} label={t('returns.original')} />
            <Title order={3}>{t('returns.voidTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('returns.voidHelp')}
            </Text>
            <TextInput label={t('returns.voidReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} size="md" />
            <Button size="lg" color="red" variant="light" leftSection={<IconBan />} disabled={!reason.trim() || st.voided} onClick={() => void dispatch(submitVoid(reason.trim()))} loading={st.busy}>
              {t('returns.void')}
            </Button>
          </Stack>
        ) : (
          <Text c="dimmed" ta="center" mt="xl">
            {t('returns.scanHint')}
          </Text>
        )}
      </Paper>
    </div>
  );
}
