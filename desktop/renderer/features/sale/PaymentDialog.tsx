// Taking payment: tenders one after the other (cash, card with its reference, gift card, store credit, foreign
// cash), each checked by shared/pos settle() as it is added, so the cashier sees what is still due or the change
// before the sale is kept. The sale is committed as soon as the tenders cover it.
import { Alert, Button, Group, Kbd, Modal, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton, ActionIcon } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { money, type Money } from '../../../../shared/money';
import type { Tender } from '../../../../shared/model/types';
import { settle, type Settlement, type TenderError, type TenderInput } from '../../../../shared/pos/tenders';
import { useErrorText } from '../../app/errorText';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { uiError } from '../../app/uiError';
import { completeSale, paymentClosed, tenderAdded, tenderRemoved, type TenderEntry } from './saleSlice';
import { useCartTotals } from './SaleView';
import { CASH_TENDER_ID } from '../../../../shared/model/ids';

const KIND_ORDER = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'];

function toInput(entry: TenderEntry, tender: Tender): TenderInput {
  if (tender.kind === 'foreign') return { tender, foreignAmount: entry.amount };
  // The preview trusts a gift card or credit balance; the commit reads the real one from the credit ledger.
  const balance = tender.kind === 'giftcard' || tender.kind === 'storecredit' ? { balance: entry.amount } : {};
  return { tender, tendered: entry.amount, ...(entry.reference ? { reference: entry.reference } : {}), ...balance };
}

type Preview = { ok: true; value: Settlement } | { ok: false; error: TenderError };

export function PaymentDialog() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const errorText = useErrorText();
  const paying = useAppSelector((s) => s.sale.paying);
  const entries = useAppSelector((s) => s.sale.tenders);
  const committing = useAppSelector((s) => s.sale.committing);
  const error = useAppSelector((s) => s.sale.error);
  const catalogTenders = useAppSelector((s) => s.catalog.tenders);
  const cashRounding = useAppSelector((s) => s.catalog.config?.cashRounding ?? 0);
  const lang = useAppSelector((s) => s.ui.lang);
  const totals = useCartTotals();
  const available = useMemo(() => catalogTenders.filter((x) => x.active).sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code)), [catalogTenders]);
  const [tenderId, setTenderId] = useState<string>(CASH_TENDER_ID);
  const [amountText, setAmountText] = useState('');
  const [reference, setReference] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);

  const byId = useMemo(() => new Map(available.map((x) => [x._id, x])), [available]);
  const tender = byId.get(tenderId) ?? available[0] ?? null;
  const simulate = (list: TenderEntry[]): Preview | null => {
    if (!totals) return null;
    const inputs = list.flatMap((e) => {
      const tt = byId.get(e.tenderId);
      return tt ? [toInput(e, tt)] : [];
    });
    return settle(totals, inputs, { cashRounding });
  };
  const preview = simulate(entries);
  const remaining: Money = preview && !preview.ok && preview.error.code === 'insufficient' ? preview.error.remaining : money(0);
  const paid = preview?.ok ? preview.value : null;
  const due = totals?.total ?? money(0);

  // The amount field offers what is still due, in the tender's currency.
  const suggested = (tt: Tender | null): string => {
    if (!tt || remaining <= 0) return '';
    const minor = tt.kind === 'foreign' && tt.rateToBase ? Math.ceil((remaining * 1_000_000) / tt.rateToBase) : remaining;
    return fmt.amountInput(minor);
  };
  // Every payment starts on cash: the dialog stays mounted, and the last customer's tender (dollars, a card)
  // must not be the next one's default.
  useEffect(() => {
    if (paying) setTenderId(CASH_TENDER_ID);
  }, [paying]);
  useEffect(() => {
    if (!paying) return;
    setAmountText(suggested(tender));
    setReference('');
    setLocalError(null);
    setTimeout(() => amountRef.current?.select(), 0);
    // Re-suggest when the tender or what is due changes, not on every keystroke.
  }, [paying, tenderId, remaining]);

  const add = (e?: FormEvent, amountOverride?: Money) => {
    e?.preventDefault();
    if (!tender || committing) return;
    const amount = amountOverride ?? fmt.parseMoney(amountText);
    if (amount === null || amount <= 0) {
      setLocalError(t('payment.amountInvalid'));
      return;
    }
    const entry: TenderEntry = { tenderId: tender._id, amount, ...(reference.trim() ? { reference: reference.trim() } : {}) };
    const next = simulate([...entries, entry]);
    if (next && !next.ok && next.error.code !== 'insufficient') {
      setLocalError(errorText(uiError(next.error)));
      return;
    }
    setLocalError(null);
    // Covered: keep the sale now (one put), the receipt shows the change. The covering tender goes with the
    // commit rather than into the state first, so no render comes between Pay and the write.
    if (next?.ok) void dispatch(completeSale(entry));
    else dispatch(tenderAdded(entry));
  };

  const quickCash = useMemo(() => {
    if (remaining <= 0) return [];
    const steps = [5000, 10000, 20000, 50000, 100000];
    const out = new Set<number>([remaining]);
    for (const s of steps) {
      const v = Math.ceil(remaining / s) * s;
      if (v > remaining) out.add(v);
    }
    return [...out].sort((a, b) => a - b).slice(0, 5);
  }, [remaining]);

  const needsReference = tender?.kind === 'card' || tender?.kind === 'giftcard' || tender?.kind === 'storecredit';

  return (
    <Modal opened={paying} onClose={() => dispatch(paymentClosed())} title={t('payment.title')} size={860} centered closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      <Group align="stretch" grow wrap="nowrap" gap="lg">
        <form onSubmit={add}>
          <Stack gap="sm">
            <SimpleGrid cols={3} spacing={6} role="radiogroup" aria-label={t('payment.tender')}>
              {available.map((x) => (
                <UnstyledButton key={x._id} className="caja-tile caja-tender" data-active={x._id === tender?._id || undefined} role="radio" aria-checked={x._id === tender?._id} onClick={() => setTenderId(x._id)}>
                  <Text fw={700} ta="center">
                    {x.name[lang]}
                  </Text>
                </UnstyledButton>
              ))}
            </SimpleGrid>
            <TextInput
              ref={amountRef}
              label={tender?.kind === 'foreign' ? t('payment.amountForeign', { currency: tender.currency ?? '' }) : t('payment.amount')}
              value={amountText}
              onChange={(e) => setAmountText(e.currentTarget.value)}
              inputMode="decimal"
              size="xl"
              autoComplete="off"
              rightSection={<Kbd size="xs">{t('common.keyEnter')}</Kbd>}
              rightSectionWidth={64}
            />
            {needsReference && (
              <TextInput
                label={tender?.kind === 'card' ? t('payment.cardReference') : tender?.kind === 'giftcard' ? t('payment.giftCardNumber') : t('payment.creditAccount')}
                value={reference}
                onChange={(e) => setReference(e.currentTarget.value)}
                size="lg"
                autoComplete="off"
                required={tender?.kind !== 'storecredit'}
              />
            )}
            {tender?.kind === 'cash' && quickCash.length > 0 && (
              <Group gap={6} role="group" aria-label={t('payment.quickCash')}>
                {quickCash.map((v) => (
                  <Button key={v} variant="default" h={48} onClick={() => add(undefined, money(v))}>
                    {v === remaining ? t('payment.exact') : fmt.money(v)}
                  </Button>
                ))}
              </Group>
            )}
            {(localError || error) && (
              <Alert color="red" role="alert">
                {localError ?? (error ? errorText(error) : '')}
              </Alert>
            )}
            <Button type="submit" size="lg" h={56} loading={committing}>
              {t('payment.add')}
            </Button>
          </Stack>
        </form>
        <Stack gap="sm">
          <Group justify="space-between">
            <Text size="lg">{t('payment.due')}</Text>
            <Title order={2}>{fmt.money(due)}</Title>
          </Group>
          <Stack gap={4} role="list" aria-label={t('payment.taken')}>
            {entries.map((e, i) => {
              const tt = byId.get(e.tenderId);
              return (
                <Group key={i} justify="space-between" role="listitem" wrap="nowrap" className="caja-tender-row">
                  <div>
                    <Text fw={600}>{tt?.name[lang] ?? e.tenderId}</Text>
                    {e.reference && (
                      <Text size="xs" c="dimmed">
                        {e.reference}
                      </Text>
                    )}
                  </div>
                  <Group gap={4} wrap="nowrap">
                    <Text fw={700}>{tt?.kind === 'foreign' ? fmt.foreignMoney(e.amount, tt.currency ?? fmt.currency) : fmt.money(e.amount)}</Text>
                    <ActionIcon variant="subtle" color="red" size={44} onClick={() => dispatch(tenderRemoved(i))} aria-label={t('payment.removeTender')} disabled={committing}>
                      <IconTrash size={18} />
                    </ActionIcon>
                  </Group>
                </Group>
              );
            })}
          </Stack>
          <div className="caja-due-box" data-done={paid ? true : undefined}>
            {paid ? (
              <>
                <Text size="lg" fw={600}>
                  {t('payment.change')}
                </Text>
                <Text className="caja-big-amount" aria-label={t('payment.change')}>
                  {fmt.money(paid.change)}
                </Text>
              </>
            ) : (
              <>
                <Text size="lg" fw={600}>
                  {t('payment.remaining')}
                </Text>
                <Text className="caja-big-amount" aria-label={t('payment.remaining')}>
                  {fmt.money(remaining)}
                </Text>
              </>
            )}
          </div>
          {paid && (
            <Button size="lg" h={56} color="green" onClick={() => void dispatch(completeSale())} loading={committing}>
              {t('payment.finish')}
            </Button>
          )}
        </Stack>
      </Group>
    </Modal>
  );
}
