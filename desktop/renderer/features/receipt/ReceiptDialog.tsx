// After payment: the change to give, large, and the receipt on screen with Print and New sale. The sale is
// already kept; closing this (or scanning the next item) starts the next customer.
import { Alert, Button, Group, Kbd, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconPrinter, IconShoppingCartPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { receiptClosed } from '../sale/saleSlice';
import { printReceipt } from './printing';
import { ReceiptPreview } from './ReceiptPreview';

export function ReceiptDialog() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const sale = useAppSelector((s) => s.sale.completed);
  const autoPrintError = useAppSelector((s) => s.sale.printError);
  const [reprintError, setPrintError] = useState<string | null>(null);
  const printError = reprintError ?? autoPrintError;
  const close = () => {
    setPrintError(null);
    dispatch(receiptClosed());
  };
  const print = () => {
    if (sale) void dispatch(printReceipt(sale)).then(setPrintError);
  };
  useHotkeys(sale ? [['ctrl+P', print]] : [], []);
  return (
    <Modal opened={sale !== null} onClose={close} title={t('receipt.title')} size={640} centered closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      {sale && (
        <Stack gap="sm">
          <div className="caja-due-box" data-done>
            <Text size="lg" fw={600}>
              {t('receipt.change')}
            </Text>
            <Text className="caja-big-amount" aria-label={t('receipt.change')}>
              {fmt.money(sale.change)}
            </Text>
            <Text size="md">
              {t('receipt.number', { number: sale.receiptNumber })} · {t('receipt.total', { total: fmt.money(sale.total) })}
            </Text>
          </div>
          {printError && (
            <Alert color="orange" role="alert">
              {t('receipt.printFailed', { error: printError })}
            </Alert>
          )}
          <ScrollArea.Autosize mah="calc(100vh - 420px)" type="auto">
            <ReceiptPreview doc={sale} label={t('receipt.preview')} />
          </ScrollArea.Autosize>
          <Group grow>
            <Button size="lg" h={56} variant="default" leftSection={<IconPrinter />} rightSection={<Kbd size="xs">Ctrl+P</Kbd>} onClick={print}>
              {t('receipt.print')}
            </Button>
            <Button size="lg" h={56} leftSection={<IconShoppingCartPlus />} rightSection={<Kbd size="xs">Esc</Kbd>} onClick={close} data-autofocus>
              {t('receipt.next')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
