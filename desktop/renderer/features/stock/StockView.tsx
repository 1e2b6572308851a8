// Manager mode's Stock screen: the store's stock levels from the store server (searched by name, SKU or
// barcode, by department), and adjustments with a reason, saved at this till — with the store server
// unreachable too (the product is then picked from the local catalog, and the level is not shown).
import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAdjustments, IconPlugConnectedX, IconSearch } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockReason } from '../../../../shared/model/types';
import { useFormat } from '../../app/format';
import { StoreServerGate } from '../manager/StoreServerViews';
import { ProductPicker } from './ProductPicker';
import { adjustmentQty, fromMilli, parseQty, STOCK_REASONS, type AdjustMode } from './stock';
import { adjustClosed, openAdjustment, saveAdjustment, searchStock, useStockDispatch, useStockSelector } from './stockSlice';

export function StockView() {
  const { t } = useTranslation();
  const dispatch = useStockDispatch();
  const canAdjust = useStockSelector((s) => s.session.user?.permissions.includes('inventory.adjust') ?? false);
  return (
    <Stack gap="sm" className="caja-scroll-page" component="section" aria-label={t('stock.title')}>
      <div>
        <Title order={2}>{t('stock.title')}</Title>
        <Text c="dimmed">{t('stock.help')}</Text>
      </div>
      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="sm">
        <Paper withBorder p="sm" style={{ gridColumn: 'span 2' }} component="section" aria-label={t('stock.levels')}>
          <StoreServerGate>
            <Levels canAdjust={canAdjust} />
          </StoreServerGate>
        </Paper>
        <Stack gap="sm">
          {canAdjust ? (
            <Paper withBorder p="sm" component="section" aria-label={t('stock.adjustAny')}>
              <Stack gap="xs">
                <Title order={3} size="h4">
                  {t('stock.adjustAny')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('stock.adjustAnyHelp')}
                </Text>
                <ProductPicker label={t('stock.product')} onPick={(p) => dispatch(openAdjustment(p._id))} />
              </Stack>
            </Paper>
          ) : (
            <Alert color="gray">{t('stock.noPermission')}</Alert>
          )}
          <Recent />
        </Stack>
      </SimpleGrid>
      <AdjustDialog />
    </Stack>
  );
}

function Levels({ canAdjust }: { canAdjust: boolean }) {
  const { t } = useTranslation();
  const dispatch = useStockDispatch();
  const fmt = useFormat();
  const lang = useStockSelector((s) => s.ui.lang);
  const departments = useStockSelector((s) => s.catalog.departments);
  const { items, total, nextCursor, loading, error, query, dept } = useStockSelector((s) => s.stock);
  const [text, setText] = useState(query);
  const [department, setDepartment] = useState<string | null>(dept);

  // The first page once, when the screen opens (with the last search kept); later searches come from the form.
  const opening = useRef({ query, dept });
  useEffect(() => {
    void dispatch(searchStock(opening.current.query, opening.current.dept));
  }, [dispatch]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void dispatch(searchStock(text, department));
  };
  const deptOptions = [...departments].sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang)).map((d) => ({ value: d._id, label: d.name[lang] }));

  return (
    <Stack gap="xs">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1, minWidth: 220 }}
            size="md"
            label={t('stock.search')}
            placeholder={t('stock.searchPlaceholder')}
            leftSection={<IconSearch size={18} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autoComplete="off"
          />
          <Select size="md" w={240} label={t('stock.department')} placeholder={t('stock.allDepartments')} data={deptOptions} value={department} onChange={setDepartment} clearable searchable />
          <Button type="submit" h={44} loading={loading}>
            {t('stock.find')}
          </Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" role="alert" icon={error.code === 'network' ? <IconPlugConnectedX /> : undefined}>
          {error.message[lang]}
        </Alert>
      )}
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('stock.shown', { shown: items.length, count: total })}
      </Text>
      <Table verticalSpacing={6} striped aria-label={t('stock.levels')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('stock.sku')}</Table.Th>
            <Table.Th>{t('stock.name')}</Table.Th>
            <Table.Th ta="right">{t('stock.level')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.productId}>
              <Table.Td ff="monospace">{i.sku}</Table.Td>
              <Table.Td>
                {i.name[lang]} {!i.active && <Badge color="gray">{t('stock.inactive')}</Badge>}
              </Table.Td>
              <Table.Td ta="right" fw={700} c={i.qtyMilli < 0 ? 'red' : undefined}>
                {fmt.qty(fromMilli(i.qtyMilli))} {i.unit === 'kg' ? 'kg' : ''}
              </Table.Td>
              <Table.Td ta="right">
                {canAdjust && (
                  <Button variant="light" h={44} leftSection={<IconAdjustments size={18} />} onClick={() => dispatch(openAdjustment(i.productId))} aria-label={t('stock.adjustNamed', { name: i.name[lang] })}>
                    {t('stock.adjust')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {nextCursor && (
        <Button variant="default" h={44} loading={loading} onClick={() => void dispatch(searchStock(query, dept, true))}>
          {t('stock.more')}
        </Button>
      )}
    </Stack>
  );
}

function Recent() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useStockSelector((s) => s.ui.lang);
  const recent = useStockSelector((s) => s.stock.recent);
  if (recent.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('stock.recent')}>
      <Title order={3} size="h4">
        {t('stock.recent')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('stock.recentHelp')}
      </Text>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          {recent.map((r) => (
            <Table.Tr key={r.moveId}>
              <Table.Td>{fmt.time(r.createdAt)}</Table.Td>
              <Table.Td>{r.name[lang]}</Table.Td>
              <Table.Td>{t(`stock.reason.${r.reason}`)}</Table.Td>
              <Table.Td ta="right" fw={700}>
                {r.qty > 0 ? '+' : ''}
                {fmt.qty(r.qty)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function AdjustDialog() {
  const { t } = useTranslation();
  const dispatch = useStockDispatch();
  const fmt = useFormat();
  const lang = useStockSelector((s) => s.ui.lang);
  const { adjusting: target, saving, saveError } = useStockSelector((s) => s.stock);
  const [mode, setMode] = useState<AdjustMode>('delta');
  const [text, setText] = useState('');
  const [reason, setReason] = useState<StockReason>('adjustment');
  const [note, setNote] = useState('');

  // A new product starts a fresh form.
  const productId = target?.productId ?? null;
  useEffect(() => {
    setMode('delta');
    setText('');
    setReason('adjustment');
    setNote('');
  }, [productId]);

  if (!target) return null;
  const typed = parseQty(text);
  const preview = typed === null ? null : adjustmentQty(mode, typed, target.levelMilli, target.unit);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed === null) return;
    void dispatch(saveAdjustment({ mode, typed, reason, note }));
  };
  const close = () => dispatch(adjustClosed());

  return (
    <Modal opened onClose={close} title={t('stock.adjustTitle')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <div>
            <Text fw={700} size="lg">
              {target.name[lang]}
            </Text>
            <Text c="dimmed" ff="monospace">
              {target.sku}
            </Text>
          </div>
          <Text>
            {target.levelMilli === null
              ? t('stock.levelUnknown')
              : t('stock.levelNow', { qty: `${fmt.qty(fromMilli(target.levelMilli))}${target.unit === 'kg' ? ' kg' : ''}` })}
          </Text>
          <SegmentedControl
            size="md"
            value={mode}
            onChange={(v) => setMode(v === 'count' ? 'count' : 'delta')}
            data={[
              { value: 'delta', label: t('stock.modeDelta') },
              { value: 'count', label: t('stock.modeCount'), disabled: target.levelMilli === null },
            ]}
          />
          <TextInput
            size="xl"
            label={mode === 'delta' ? t('stock.qtyDelta') : t('stock.qtyCounted')}
            description={mode === 'delta' ? t('stock.qtyDeltaHelp') : undefined}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            error={text.trim() && typed === null ? t('stock.error.invalid_qty') : undefined}
          />
          {mode === 'count' && preview?.ok && (
            <Text fw={700} c={preview.value < 0 ? 'red' : 'green'}>
              {t('stock.difference', { qty: `${preview.value > 0 ? '+' : ''}${fmt.qty(preview.value)}` })}
            </Text>
          )}
          {mode === 'delta' && (
            <Select
              size="md"
              label={t('stock.reasonLabel')}
              data={STOCK_REASONS.filter((r) => r !== 'count').map((r) => ({ value: r, label: t(`stock.reason.${r}`) }))}
              value={reason}
              onChange={(v) => v && setReason(v)}
              allowDeselect={false}
            />
          )}
          <Textarea label={t('stock.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={500} />
          <Text size="sm" c="dimmed">
            {t('stock.savedLocally')}
          </Text>
          {saveError && (
            <Alert color="red" role="alert">
              {t(`stock.error.${saveError.code}`)}
            </Alert>
          )}
          <Group grow>
            <Button variant="default" h={48} onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" h={48} loading={saving} disabled={typed === null}>
              {t('stock.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
