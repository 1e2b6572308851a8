// Manager mode's Transfers screen: put a transfer to another store together (scan or search, quantities),
// create it — which ships it —, see this store's outgoing transfers and the incoming ones HQ routed here, and
// receive one with what actually arrived per line and the variance against what was sent. All of it in the
// terminal's own database: it works offline and syncs up when it can.
import { Alert, Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTrash, IconTruckDelivery, IconTruckLoading } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../../../../shared/model/types';
import { useFormat } from '../../app/format';
import { useServices } from '../../app/servicesContext';
import { ProductPicker } from '../stock/ProductPicker';
import { parseQty } from '../stock/stock';
import { arrivalLines, normalStoreCode, varianceSummary, type TransferWithArrival } from './transfers';
import {
  addToTransfer, destinationSet, draftCleared, LIST_DAYS, lineQtySet, loadTransfers, productOf, receiveOpened, receiveTransfer, sendTransfer,
  useTransfersDispatch, useTransfersSelector,
} from './transfersSlice';

export function TransfersView() {
  const { t } = useTranslation();
  const dispatch = useTransfersDispatch();
  const permissions = useTransfersSelector((s) => s.session.user?.permissions ?? []);
  useEffect(() => {
    void dispatch(loadTransfers());
  }, [dispatch]);
  return (
    <Stack gap="sm" className="caja-scroll-page" component="section" aria-label={t('transfers.title')}>
      <Title order={2}>{t('transfers.title')}</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        {permissions.includes('transfer.send') ? <NewTransfer /> : <Alert color="gray">{t('transfers.noSendPermission')}</Alert>}
        <Stack gap="sm">
          <Incoming canReceive={permissions.includes('transfer.receive')} />
          <Outgoing />
        </Stack>
      </SimpleGrid>
      <ReceiveDialog />
    </Stack>
  );
}

/** A product's name in the current language from the local catalog, else its id. */
function useProductName(): (productId: string) => string {
  const services = useServices();
  const lang = useTransfersSelector((s) => s.ui.lang);
  return (productId) => productOf(services, productId)?.name[lang] ?? productId;
}

function NewTransfer() {
  const { t } = useTranslation();
  const dispatch = useTransfersDispatch();
  const fmt = useFormat();
  const lang = useTransfersSelector((s) => s.ui.lang);
  const { destination, lines, busy, error, sent, unknownCode, outgoing, incoming } = useTransfersSelector((s) => s.transfers);
  const here = useTransfersSelector((s) => s.catalog.config?.storeId ?? '');
  const [confirming, setConfirming] = useState(false);
  // Stores this one has traded with lately: one touch instead of typing the code.
  const known = useMemo(
    () => [...new Set([...outgoing.map((x) => x.transfer.toStoreId), ...incoming.map((x) => x.transfer.fromStoreId)])].filter((c) => c !== here).sort(),
    [outgoing, incoming, here],
  );
  const to = normalStoreCode(destination);
  const ready = to !== '' && lines.length > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) setConfirming(true);
  };

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('transfers.new')}>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('transfers.new')}
          </Title>
          <Group align="flex-end" gap="xs">
            <TextInput
              size="lg"
              w={180}
              label={t('transfers.destination')}
              placeholder="S002"
              value={destination}
              onChange={(e) => dispatch(destinationSet(e.currentTarget.value))}
              autoComplete="off"
              styles={{ input: { textTransform: 'uppercase' } }}
            />
            {known.map((code) => (
              <Button key={code} variant={to === code ? 'filled' : 'default'} h={48} onClick={() => dispatch(destinationSet(code))} aria-pressed={to === code}>
                {code}
              </Button>
            ))}
          </Group>
          <ProductPicker label={t('transfers.addProduct')} onPick={(p) => dispatch(addToTransfer(p))} />
          {unknownCode && (
            <Alert color="orange" role="alert">
              {t('transfers.unknownCode', { code: unknownCode })}
            </Alert>
          )}
          {lines.length > 0 && (
            <Table verticalSpacing={4} aria-label={t('transfers.lines')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('transfers.product')}</Table.Th>
                  <Table.Th w={130}>{t('transfers.qty')}</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((l) => (
                  <Table.Tr key={l.productId}>
                    <Table.Td>
                      {l.name[lang]}
                      <Text span c="dimmed" size="sm" ml={6} ff="monospace">
                        {l.sku}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <QtyField value={l.qty} label={t('transfers.qtyOf', { name: l.name[lang] })} onChange={(qty) => dispatch(lineQtySet({ productId: l.productId, qty }))} />
                    </Table.Td>
                    <Table.Td>
                      <Button variant="subtle" color="red" h={44} w={44} p={0} onClick={() => dispatch(lineQtySet({ productId: l.productId, qty: 0 }))} aria-label={t('transfers.remove', { name: l.name[lang] })}>
                        <IconTrash size={20} />
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Alert color="blue" icon={<IconTruckDelivery />}>
            {t('transfers.shipsNow')}
          </Alert>
          {error && (
            <Alert color="red" role="alert">
              {t(`transfers.error.${error.code}`)}
            </Alert>
          )}
          {sent && (
            <Alert color="green" role="status">
              {t('transfers.sent', { to: sent.toStoreId, count: sent.lines })}
            </Alert>
          )}
          <Group grow>
            <Button variant="default" h={48} onClick={() => dispatch(draftCleared())} disabled={lines.length === 0}>
              {t('transfers.clear')}
            </Button>
            <Button type="submit" h={48} leftSection={<IconTruckLoading />} disabled={!ready} loading={busy}>
              {t('transfers.ship')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('transfers.confirmTitle')} centered closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
        <Stack>
          <Text>{t('transfers.confirmText', { to, count: lines.length, units: fmt.qty(lines.reduce((n, l) => n + l.qty, 0)) })}</Text>
          <Group grow>
            <Button variant="default" h={48} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button h={48} loading={busy} data-autofocus onClick={() => void dispatch(sendTransfer()).then(() => setConfirming(false))}>
              {t('transfers.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/** A quantity field that commits on blur or Enter (a half-typed "1," is not a quantity yet). */
function QtyField({ value, label, onChange }: { value: number; label: string; onChange: (qty: number) => void }) {
  const fmt = useFormat();
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    const q = parseQty(text);
    if (q !== null && q >= 0) onChange(q);
    setText(null);
  };
  return (
    <TextInput
      size="md"
      aria-label={label}
      inputMode="decimal"
      value={text ?? fmt.qty(value)}
      onChange={(e) => setText(e.currentTarget.value)}
      onFocus={(e) => e.currentTarget.select()}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
      error={text !== null && parseQty(text) === null}
    />
  );
}

function Incoming({ canReceive }: { canReceive: boolean }) {
  const { t } = useTranslation();
  const dispatch = useTransfersDispatch();
  const fmt = useFormat();
  const incoming = useTransfersSelector((s) => s.transfers.incoming);
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('transfers.incoming')}>
      <Title order={3} size="h4">
        {t('transfers.incoming')}
      </Title>
      {incoming.length === 0 ? (
        <Text c="dimmed">{t('transfers.noIncoming', { days: LIST_DAYS })}</Text>
      ) : (
        <Table verticalSpacing={4} aria-label={t('transfers.incoming')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('transfers.from')}</Table.Th>
              <Table.Th>{t('transfers.created')}</Table.Th>
              <Table.Th ta="right">{t('transfers.linesCount')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incoming.map(({ transfer, arrival }) => (
              <Table.Tr key={transfer._id}>
                <Table.Td fw={700}>{transfer.fromStoreId}</Table.Td>
                <Table.Td>{fmt.dateTime(transfer.createdAt)}</Table.Td>
                <Table.Td ta="right">{transfer.lines.length}</Table.Td>
                <Table.Td ta="right">
                  {arrival ? (
                    <Badge color="green" size="lg" style={{ textTransform: 'none' }}>
                      {t('transfers.receivedAt', { time: fmt.dateTime(arrival.createdAt) })}
                    </Badge>
                  ) : canReceive ? (
                    <Button h={44} onClick={() => dispatch(receiveOpened(transfer._id))}>
                      {t('transfers.receive')}
                    </Button>
                  ) : (
                    <Badge color="orange" size="lg" style={{ textTransform: 'none' }}>
                      {t('transfers.onTheWay')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function Outgoing() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const outgoing = useTransfersSelector((s) => s.transfers.outgoing);
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('transfers.outgoing')}>
      <Title order={3} size="h4">
        {t('transfers.outgoing')}
      </Title>
      {outgoing.length === 0 ? (
        <Text c="dimmed">{t('transfers.noOutgoing', { days: LIST_DAYS })}</Text>
      ) : (
        <Table verticalSpacing={4} aria-label={t('transfers.outgoing')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('transfers.to')}</Table.Th>
              <Table.Th>{t('transfers.created')}</Table.Th>
              <Table.Th ta="right">{t('transfers.linesCount')}</Table.Th>
              <Table.Th ta="right">{t('transfers.units')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {outgoing.map(({ transfer, arrival }: TransferWithArrival) => (
              <Table.Tr key={transfer._id}>
                <Table.Td fw={700}>{transfer.toStoreId}</Table.Td>
                <Table.Td>{fmt.dateTime(transfer.createdAt)}</Table.Td>
                <Table.Td ta="right">{transfer.lines.length}</Table.Td>
                <Table.Td ta="right">{fmt.qty(transfer.lines.reduce((n, l) => n + l.qty, 0))}</Table.Td>
                <Table.Td ta="right">
                  <Badge color={arrival ? 'green' : 'blue'} style={{ textTransform: 'none' }}>
                    {arrival ? t('transfers.arrived') : t('transfers.shipped')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function ReceiveDialog() {
  const { t } = useTranslation();
  const receiving = useTransfersSelector((s) => s.transfers.receiving);
  const transfer = useTransfersSelector((s) => s.transfers.incoming.find((x) => x.transfer._id === s.transfers.receiving)?.transfer ?? null);
  const dispatch = useTransfersDispatch();
  if (!receiving || !transfer) return null;
  return (
    <Modal opened onClose={() => dispatch(receiveOpened(null))} title={t('transfers.receiveTitle', { from: transfer.fromStoreId })} centered size="xl" closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      <ReceiveForm key={transfer._id} transfer={transfer} />
    </Modal>
  );
}

function ReceiveForm({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const dispatch = useTransfersDispatch();
  const fmt = useFormat();
  const name = useProductName();
  const { busy, error } = useTransfersSelector((s) => s.transfers);
  // What was typed per line; empty means "as sent".
  const [texts, setTexts] = useState<string[]>(() => transfer.lines.map(() => ''));
  const parsed = texts.map((x) => (x.trim() === '' ? null : parseQty(x)));
  const invalid = texts.some((x, i) => x.trim() !== '' && (parsed[i] === null || (parsed[i] ?? 0) < 0));
  const lines = arrivalLines(transfer, parsed);
  const summary = varianceSummary(lines);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invalid) void dispatch(receiveTransfer(transfer._id, parsed));
  };
  const setLine = (i: number, value: string) => setTexts((prev) => prev.map((x, j) => (j === i ? value : x)));

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text c="dimmed">{t('transfers.receiveHelp', { time: fmt.dateTime(transfer.createdAt) })}</Text>
        <Table verticalSpacing={4} aria-label={t('transfers.lines')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('transfers.product')}</Table.Th>
              <Table.Th ta="right">{t('transfers.sentQty')}</Table.Th>
              <Table.Th w={150}>{t('transfers.receivedQty')}</Table.Th>
              <Table.Th ta="right">{t('transfers.variance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l, i) => (
              <Table.Tr key={`${l.productId}-${String(i)}`}>
                <Table.Td>{name(l.productId)}</Table.Td>
                <Table.Td ta="right">{fmt.qty(l.sent)}</Table.Td>
                <Table.Td>
                  <TextInput
                    size="md"
                    aria-label={t('transfers.receivedOf', { name: name(l.productId) })}
                    inputMode="decimal"
                    placeholder={fmt.qty(l.sent)}
                    value={texts[i] ?? ''}
                    onChange={(e) => setLine(i, e.currentTarget.value)}
                    error={(texts[i] ?? '').trim() !== '' && (parsed[i] === null || (parsed[i] ?? 0) < 0)}
                    data-autofocus={i === 0 || undefined}
                    autoComplete="off"
                  />
                </Table.Td>
                <Table.Td ta="right" fw={700} c={l.variance < 0 ? 'red' : l.variance > 0 ? 'orange' : 'green'}>
                  {l.variance > 0 ? '+' : ''}
                  {fmt.qty(l.variance)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text fw={700} c={summary.exact ? 'green' : 'orange'} aria-live="polite">
          {summary.exact ? t('transfers.allArrived') : t('transfers.varianceSummary', { short: summary.short, over: summary.over })}
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {t(`transfers.error.${error.code}`)}
          </Alert>
        )}
        <Group grow>
          <Button variant="default" h={48} onClick={() => dispatch(receiveOpened(null))}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" h={48} loading={busy} disabled={invalid}>
            {t('transfers.recordArrival')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
