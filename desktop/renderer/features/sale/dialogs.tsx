// The small dialogs of the sale screen: weight of a weighed item, quantity, discounts, price change, parked sales.
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { discountCart, discountLine, itemAdded, overrideLinePrice, qtyChanged, recallSale, weighingCancelled } from './saleSlice';

/** A decimal number typed by a person, "1,250" or "1.250"; null when it is not one. */
function parseNumber(text: string): number | null {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
}

function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} centered size="md" closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      {children}
    </Modal>
  );
}

export function WeighDialog() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const weighing = useAppSelector((s) => s.sale.weighing);
  const lang = useAppSelector((s) => s.ui.lang);
  const fmt = useFormat();
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  if (!weighing) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const kg = parseNumber(text);
    // Weighed goods are sold to the gram: 3 decimals of a kilogram at most.
    if (kg === null || kg <= 0 || Math.round(kg * 1000) / 1000 !== kg) {
      setBad(true);
      return;
    }
    setText('');
    setBad(false);
    dispatch(itemAdded({ product: weighing.product, qty: kg, storePrice: weighing.storePrice }));
  };
  const price = weighing.storePrice?.price ?? weighing.product.price;
  return (
    <Dialog title={t('weigh.title')} onClose={() => dispatch(weighingCancelled())}>
      <form onSubmit={submit}>
        <Stack>
          <Text fw={600}>
            {weighing.product.name[lang]} · {fmt.money(price)} {t('sale.perKg')}
          </Text>
          <TextInput label={t('weigh.kg')} value={text} onChange={(e) => setText(e.currentTarget.value)} inputMode="decimal" size="xl" data-autofocus error={bad ? t('weigh.invalid') : undefined} />
          <Button type="submit" size="lg">
            {t('weigh.add')}
          </Button>
        </Stack>
      </form>
    </Dialog>
  );
}

export function QtyDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { cart, selectedLine } = useAppSelector((s) => s.sale);
  const line = cart.lines.find((l) => l.lineNo === selectedLine);
  const [text, setText] = useState(line ? String(line.qty) : '');
  if (!line) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const qty = parseNumber(text);
    if (qty === null) return;
    dispatch(qtyChanged({ lineNo: line.lineNo, qty }));
    onClose();
  };
  return (
    <Dialog title={t('qty.title')} onClose={onClose}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={line.weighed ? t('weigh.kg') : t('qty.label')} value={text} onChange={(e) => setText(e.currentTarget.value)} inputMode="decimal" size="xl" data-autofocus />
          <Button type="submit" size="lg">
            {t('common.apply')}
          </Button>
        </Stack>
      </form>
    </Dialog>
  );
}

export function DiscountDialog({ scope, onClose }: { scope: 'line' | 'cart'; onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const { selectedLine, cart } = useAppSelector((s) => s.sale);
  const limit = useAppSelector((s) => s.session.user?.discountLimitBp ?? 0);
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const apply = (clear: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    let discount = null;
    if (!clear) {
      if (kind === 'percent') {
        const pct = parseNumber(text);
        if (pct === null || pct < 0 || pct > 100) return setBad(true);
        discount = { kind: 'percent' as const, percentBp: Math.round(pct * 100) };
      } else {
        const amount = fmt.parseMoney(text);
        if (amount === null || amount < 0) return setBad(true);
        discount = { kind: 'amount' as const, amount };
      }
    }
    if (scope === 'line' && selectedLine !== null) dispatch(discountLine(selectedLine, discount));
    else dispatch(discountCart(discount));
    onClose();
  };
  const hasDiscount = scope === 'cart' ? Boolean(cart.cartDiscount) : Boolean(cart.lines.find((l) => l.lineNo === selectedLine)?.discount);
  return (
    <Dialog title={scope === 'line' ? t('discount.lineTitle') : t('discount.cartTitle')} onClose={onClose}>
      <form onSubmit={apply(false)}>
        <Stack>
          <SegmentedControl
            aria-label={t('discount.kind')}
            value={kind}
            onChange={(v) => setKind(v === 'amount' ? 'amount' : 'percent')}
            data={[
              { value: 'percent', label: t('discount.percent') },
              { value: 'amount', label: t('discount.amount') },
            ]}
            size="md"
          />
          <TextInput label={kind === 'percent' ? t('discount.percentLabel') : t('discount.amountLabel')} value={text} onChange={(e) => setText(e.currentTarget.value)} inputMode="decimal" size="xl" data-autofocus error={bad ? t('discount.invalid') : undefined} />
          <Text size="sm" c="dimmed">
            {t('discount.limit', { percent: limit / 100 })}
          </Text>
          <Group grow>
            {hasDiscount && (
              <Button variant="default" size="lg" onClick={apply(true)}>
                {t('discount.remove')}
              </Button>
            )}
            <Button type="submit" size="lg">
              {t('common.apply')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}

export function PriceDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const { cart, selectedLine } = useAppSelector((s) => s.sale);
  const line = cart.lines.find((l) => l.lineNo === selectedLine);
  const [text, setText] = useState(line ? fmt.amountInput(line.unitPrice) : '');
  const [bad, setBad] = useState(false);
  if (!line) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const price = fmt.parseMoney(text);
    if (price === null || price < 0) return setBad(true);
    dispatch(overrideLinePrice(line.lineNo, price));
    onClose();
  };
  return (
    <Dialog title={t('price.title')} onClose={onClose}>
      <form onSubmit={submit}>
        <Stack>
          <Text>{t('price.was', { price: fmt.money(line.listPrice) })}</Text>
          <TextInput label={t('price.label')} value={text} onChange={(e) => setText(e.currentTarget.value)} inputMode="decimal" size="xl" data-autofocus error={bad ? t('price.invalid') : undefined} />
          <Button type="submit" size="lg">
            {t('common.apply')}
          </Button>
        </Stack>
      </form>
    </Dialog>
  );
}

export function ParkedDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const parked = useAppSelector((s) => s.sale.parked);
  return (
    <Dialog title={t('parked.title')} onClose={onClose}>
      <Stack gap="xs">
        {parked.length === 0 && <Text c="dimmed">{t('parked.none')}</Text>}
        {parked.map((p) => (
          <UnstyledButton
            key={p.id}
            className="caja-tile"
            onClick={() => {
              void dispatch(recallSale(p.id));
              onClose();
            }}
          >
            <Group justify="space-between">
              <Text fw={600}>{t('parked.entry', { time: fmt.time(p.parkedAt), by: p.parkedBy })}</Text>
              <Text>{t('parked.lines', { count: p.lines })}</Text>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </Dialog>
  );
}
