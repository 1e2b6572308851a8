// The sale screen: find products (search by name in either language, SKU or barcode; departments for touch) on
// the left, the cart with its lines and totals on the right. Scans arrive from any screen (App.tsx). Every figure
// is computed by shared/pos computeTotals, the same function that builds the Sale document.
import { ActionIcon, Alert, Badge, Button, Group, Kbd, Paper, ScrollArea, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconBarcode, IconDiscount2, IconMinus, IconPlayerPause, IconPlus, IconReceipt, IconSearch, IconStar, IconStarFilled, IconTrash, IconUser, IconX } from '@tabler/icons-react';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department, Product, SaleLine, StoreConfig } from '../../../../shared/model/types';
import { computeTotals, type Cart, type CartLine, type CartTotals } from '../../../../shared/pos/cart';
import { totalsContext, type PricingCatalog } from '../../../../shared/pos/sale';
import { useErrorText } from '../../app/errorText';
import { KeyButton } from '../../app/KeyButton';
import { useFormat } from '../../app/format';
import { useSearchField } from '../../app/searchField';
import { useServices } from '../../app/servicesContext';
import { useAppDispatch, useAppSelector, useAppStore } from '../../app/store';
import { screenChosen } from '../../app/uiSlice';
import { loadFavouriteTiles, toggleFavouriteTile } from '../catalog/catalogSlice';
import { productsInDepartment, searchProducts } from '../catalog/productSearch';
import { CustomerDialog } from '../customers/CustomerDialog';
import { ReceiptDialog } from '../receipt/ReceiptDialog';
import { DiscountDialog, ParkedDialog, PriceDialog, QtyDialog, WeighDialog } from './dialogs';
import { PaymentDialog } from './PaymentDialog';
import { errorCleared, lineRemoved, lineSelected, loadParked, parkCurrentSale, openPayment, pickProduct, qtyChanged, saleCancelled } from './saleSlice';

// The last totals computed, shared by the cart, the totals block and the payment dialog (each would otherwise
// compute them again on every change of the cart).
let lastTotals: { cart: Cart; config: StoreConfig; pricing: PricingCatalog; version: number; totals: CartTotals } | null = null;

/** The cart's totals now (specials are evaluated at this instant, as the commit will). */
export function useCartTotals(): CartTotals | null {
  const services = useServices();
  const cart = useAppSelector((s) => s.sale.cart);
  const config = useAppSelector((s) => s.catalog.config);
  const version = useAppSelector((s) => s.catalog.version);
  return useMemo(() => {
    if (!config || !services.index) return null;
    // Recomputed when the cart or the catalog (prices, taxes, specials) changes.
    const pricing = services.index.pricing();
    const last = lastTotals;
    if (last && last.cart === cart && last.config === config && last.pricing === pricing && last.version === version) return last.totals;
    const totals = computeTotals(cart, totalsContext(config, pricing, new Date()));
    lastTotals = { cart, config, pricing, version, totals };
    return totals;
  }, [cart, config, version, services]);
}

type Dialog = null | 'qty' | 'lineDiscount' | 'cartDiscount' | 'price' | 'parked' | 'customer';

export function SaleView() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  // Narrow subscriptions: a scanned line re-renders the cart, not the whole screen.
  const store = useAppStore();
  const hasLines = useAppSelector((s) => s.sale.cart.lines.length > 0);
  const error = useAppSelector((s) => s.sale.error);
  const shift = useAppSelector((s) => s.register.shift);
  const shiftLoaded = useAppSelector((s) => s.register.loaded);
  const parkedCount = useAppSelector((s) => s.sale.parked.length);
  const errorText = useErrorText();
  const [dialog, setDialog] = useState<Dialog>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void dispatch(loadParked());
    searchRef.current?.focus();
  }, [dispatch]);

  const pay = () => hasLines && dispatch(openPayment());
  const withLine = (d: Dialog) => () => store.getState().sale.selectedLine !== null && setDialog(d);
  useHotkeys(
    [
      ['F2', () => searchRef.current?.focus()],
      ['F5', () => setDialog('customer')],
      ['F7', withLine('qty')],
      ['F8', withLine('lineDiscount')],
      ['shift+F8', () => hasLines && setDialog('cartDiscount')],
      ['F9', () => (hasLines ? void dispatch(parkCurrentSale()) : setDialog('parked'))],
      ['F10', pay],
    ],
    [],
  );

  return (
    <div className="caja-sale">
      <ProductPanel searchRef={searchRef} />
      <Paper withBorder p="sm" className="caja-cart" aria-label={t('sale.cart')} component="section">
        {shiftLoaded && !shift && (
          <Alert color="orange" mb="xs" title={t('sale.registerClosed')} role="alert">
            <Group justify="space-between">
              <Text size="sm" style={{ flex: '1 1 12rem' }}>
                {t('sale.registerClosedHelp')}
              </Text>
              <Button h={44} style={{ flexShrink: 0 }} onClick={() => dispatch(screenChosen('register'))}>
                {t('sale.openRegister')}
              </Button>
            </Group>
          </Alert>
        )}
        <CustomerChip onOpen={() => setDialog('customer')} />
        <CartLines />
        {error && (
          <Alert color="red" mt="xs" role="alert" withCloseButton closeButtonLabel={t('common.dismiss')} onClose={() => dispatch(errorCleared())}>
            {errorText(error)}
          </Alert>
        )}
        <LineActions onDialog={setDialog} />
        <Totals />
        <Group grow gap={6} mt="xs">
          {hasLines ? (
            <KeyButton label={t('sale.park')} shortcut="F9" icon={<IconPlayerPause size={18} />} onClick={() => void dispatch(parkCurrentSale())} />
          ) : (
            <KeyButton label={t('sale.recall', { count: parkedCount })} shortcut="F9" onClick={() => setDialog('parked')} disabled={parkedCount === 0} />
          )}
          <KeyButton label={t('sale.cartDiscount')} shortcut="Shift+F8" icon={<IconDiscount2 size={18} />} onClick={() => setDialog('cartDiscount')} disabled={!hasLines} />
          <KeyButton label={t('sale.cancel')} icon={<IconX size={18} />} color="red" onClick={() => dispatch(saleCancelled())} disabled={!hasLines} />
        </Group>
        <Button fullWidth mt="xs" h={64} size="xl" color="green" leftSection={<IconReceipt />} rightSection={<Kbd>F10</Kbd>} onClick={pay} disabled={!hasLines}>
          {t('sale.pay')}
        </Button>
      </Paper>
      <PaymentDialog />
      <ReceiptDialog />
      <WeighDialog />
      {dialog === 'qty' && <QtyDialog onClose={() => setDialog(null)} />}
      {(dialog === 'lineDiscount' || dialog === 'cartDiscount') && <DiscountDialog scope={dialog === 'lineDiscount' ? 'line' : 'cart'} onClose={() => setDialog(null)} />}
      {dialog === 'price' && <PriceDialog onClose={() => setDialog(null)} />}
      {dialog === 'parked' && <ParkedDialog onClose={() => setDialog(null)} />}
      {dialog === 'customer' && <CustomerDialog onClose={() => setDialog(null)} />}
    </div>
  );
}

const ProductPanel = memo(function ProductPanel({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const services = useServices();
  const lang = useAppSelector((s) => s.ui.lang);
  const version = useAppSelector((s) => s.catalog.version);
  const departments = useAppSelector((s) => s.catalog.departments);
  const favourites = useAppSelector((s) => s.catalog.favourites);
  // Uncontrolled: a scan's 13 keys cost no render, and the search runs once typing pauses (app/searchField.ts).
  const { query, onChange, clear } = useSearchField(searchRef);
  const [dept, setDept] = useState<string | null>(null);
  // Results render at low priority: keys typed meanwhile are never held up by them.
  const shownQuery = useDeferredValue(query);
  const searching = shownQuery.trim() !== '';

  const results = useMemo(() => {
    void version;
    const index = services.index;
    if (!index) return [];
    if (shownQuery.trim()) return searchProducts(index, shownQuery, lang, 48);
    if (dept) return productsInDepartment(index, departments, dept, lang, 48);
    return favourites.flatMap((sku) => {
      const found = index.lookupSku(sku);
      return found ? [found.product] : [];
    });
  }, [shownQuery, dept, lang, version, departments, services, favourites]);

  useEffect(() => {
    void dispatch(loadFavouriteTiles());
  }, [dispatch]);

  const pick = useCallback(
    (p: Product) => {
      dispatch(pickProduct(p._id));
      clear();
      searchRef.current?.focus();
    },
    [dispatch, clear, searchRef],
  );
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const text = e.currentTarget.value;
    if (e.key === 'Enter' && text.trim() && services.index) {
      // Enter acts on what was typed, even if the search has not run yet.
      const first = searchProducts(services.index, text, lang, 1)[0];
      if (first) {
        e.preventDefault();
        pick(first);
      }
    } else if (e.key === 'Escape') clear();
  };

  return (
    <Paper withBorder p="sm" className="caja-products" component="section" aria-label={t('sale.products')}>
      <TextInput
        ref={searchRef}
        size="lg"
        label={t('sale.search')}
        placeholder={t('sale.searchPlaceholder')}
        leftSection={<IconSearch />}
        rightSection={<Kbd size="xs">F2</Kbd>}
        rightSectionWidth={44}
        defaultValue=""
        onChange={onChange}
        onKeyDown={onKeyDown}
        autoComplete="off"
      />
      {!searching && <Departments departments={departments} dept={dept} onChoose={setDept} />}
      <ProductResults results={results} searching={searching} browsing={dept !== null} onPick={pick} />
    </Paper>
  );
});

/** The departments under the one chosen (the top level at first), and a way back up. */
const Departments = memo(function Departments({ departments, dept, onChoose }: { departments: Department[]; dept: string | null; onChoose: (id: string | null) => void }) {
  const { t } = useTranslation();
  const lang = useAppSelector((s) => s.ui.lang);
  const current = departments.find((d) => d._id === dept) ?? null;
  const shown = departments.filter((d) => d.parentId === (dept ?? null)).sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang));
  return (
    <Group gap={6} mt="xs" role="group" aria-label={t('sale.departments')}>
      {current && (
        <Button variant="light" h={44} leftSection={<IconArrowLeft size={18} />} onClick={() => onChoose(current.parentId)}>
          {current.name[lang]}
        </Button>
      )}
      {shown.map((d) => (
        <Button key={d._id} variant="default" h={44} onClick={() => onChoose(d._id)}>
          {d.name[lang]}
        </Button>
      ))}
    </Group>
  );
});

/** The search results, a department's products or the favourites, as tiles; re-rendered only when they change. */
const ProductResults = memo(function ProductResults({ results, searching, browsing, onPick }: { results: Product[]; searching: boolean; browsing: boolean; onPick: (p: Product) => void }) {
  const { t } = useTranslation();
  const services = useServices();
  const fmt = useFormat();
  const lang = useAppSelector((s) => s.ui.lang);
  return (
    <ScrollArea className="caja-results" mt="xs" type="auto">
      {results.length === 0 ? (
        <Stack align="center" gap={4} mt="xl" c="dimmed">
          <IconBarcode size={48} />
          <Text>{searching ? t('sale.noResults') : t('sale.scanOrSearch')}</Text>
          {!searching && !browsing && <Text size="sm">{t('sale.favouritesHint')}</Text>}
        </Stack>
      ) : (
        <SimpleGrid cols={{ base: 2, lg: 3 }} spacing={6} role="list" aria-label={t('sale.results')}>
          {results.map((p) => {
            const price = services.index?.storePrice(p.sku)?.price ?? p.price;
            return (
              <UnstyledButton key={p._id} className="caja-tile" onClick={() => onPick(p)} disabled={!p.active} role="listitem" aria-label={`${p.name[lang]} ${fmt.money(price)}`}>
                <Text fw={600} lineClamp={2} lh={1.2}>
                  {p.name[lang]}
                </Text>
                <Group justify="space-between" gap={4} mt={4} wrap="nowrap">
                  <Text size="xs" c="dimmed" truncate="end">
                    {p.sku}
                  </Text>
                  <Text fw={700}>
                    {fmt.money(price)}
                    {p.weighed ? ` ${t('sale.perKg')}` : ''}
                  </Text>
                </Group>
                {!p.active && (
                  <Badge color="gray" size="xs">
                    {t('sale.inactive')}
                  </Badge>
                )}
              </UnstyledButton>
            );
          })}
        </SimpleGrid>
      )}
    </ScrollArea>
  );
});

/** The sale's customer (name, tax exemption) or a button to attach one (F5). */
function CustomerChip({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const customerId = useAppSelector((s) => s.sale.cart.customer?.customerId ?? null);
  const exempt = useAppSelector((s) => Boolean(s.sale.cart.customer?.taxExemptId));
  const name = useAppSelector((s) => s.customers.list.find((c) => c._id === customerId)?.name ?? null);
  return (
    <Group justify="space-between" mb={6} wrap="nowrap">
      <Button variant={customerId ? 'light' : 'subtle'} h={44} leftSection={<IconUser size={18} />} rightSection={<Kbd size="xs">F5</Kbd>} onClick={onOpen} aria-label={t('customer.title')}>
        <Text truncate="end" maw={260}>
          {customerId ? (name ?? customerId) : t('customer.add')}
        </Text>
      </Button>
      {exempt && <Badge color="grape">{t('customer.taxExempt')}</Badge>}
    </Group>
  );
}

function CartLines() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const lines = useAppSelector((s) => s.sale.cart.lines);
  const selectedLine = useAppSelector((s) => s.sale.selectedLine);
  const lastAddedLine = useAppSelector((s) => s.sale.lastAddedLine);
  const totals = useCartTotals();
  const viewport = useRef<HTMLDivElement>(null);
  const select = useCallback((lineNo: number) => dispatch(lineSelected(lineNo)), [dispatch]);

  useEffect(() => {
    viewport.current?.querySelector(`[data-line="${String(lastAddedLine)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [lastAddedLine, lines.length]);

  if (lines.length === 0) {
    return (
      <Stack className="caja-lines" align="center" justify="center" c="dimmed">
        <IconBarcode size={48} />
        <Text>{t('sale.empty')}</Text>
      </Stack>
    );
  }
  return (
    <ScrollArea className="caja-lines" viewportRef={viewport} type="auto">
      <Stack gap={4} role="listbox" aria-label={t('sale.lines')}>
        {lines.map((l) => {
          const priced = totals?.lines.find((x) => x.lineNo === l.lineNo);
          return <CartLineRow key={l.lineNo} line={l} selected={l.lineNo === selectedLine} gross={priced?.grossAmount ?? 0} discounts={priced?.discounts ?? NO_DISCOUNTS} onSelect={select} />;
        })}
      </Stack>
    </ScrollArea>
  );
}

type LineDiscounts = SaleLine['discounts'];
const NO_DISCOUNTS: LineDiscounts = [];

function sameDiscounts(a: LineDiscounts, b: LineDiscounts): boolean {
  return a.length === b.length && a.every((d, i) => d.kind === b[i]?.kind && d.amount === b[i]?.amount && d.reason === b[i]?.reason);
}

interface CartLineProps {
  line: CartLine;
  selected: boolean;
  gross: number;
  discounts: LineDiscounts;
  onSelect: (lineNo: number) => void;
}

/** One line of the cart; a scan adds a row without rendering the others again (totals are recomputed each time). */
const CartLineRow = memo(
  function CartLineRow({ line: l, selected, gross, discounts, onSelect }: CartLineProps) {
    const { t } = useTranslation();
    const fmt = useFormat();
    const lang = useAppSelector((s) => s.ui.lang);
    return (
      <UnstyledButton data-line={l.lineNo} className="caja-line" data-active={selected || undefined} role="option" aria-selected={selected} onClick={() => onSelect(l.lineNo)}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} truncate="end">
              {l.name[lang]}
            </Text>
            <Text size="sm" c="dimmed">
              {fmt.qty(l.qty)}
              {l.weighed ? ' kg' : ''} × {fmt.money(l.unitPrice)}
              {l.priceSource === 'override' ? ` (${t('sale.priceChanged')})` : ''}
            </Text>
            {discounts.map((d, i) => (
              <Text key={i} size="sm" c="green.8">
                {d.kind === 'special' ? t('sale.offer', { code: d.reason ?? '' }) : t('sale.lineDiscount')} −{fmt.money(d.amount)}
              </Text>
            ))}
          </div>
          <Text fw={700} style={{ whiteSpace: 'nowrap' }}>
            {fmt.money(gross)}
          </Text>
        </Group>
      </UnstyledButton>
    );
  },
  (a, b) => a.line === b.line && a.selected === b.selected && a.gross === b.gross && a.onSelect === b.onSelect && sameDiscounts(a.discounts, b.discounts),
);

function LineActions({ onDialog }: { onDialog: (d: Dialog) => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const line = useAppSelector((s) => s.sale.cart.lines.find((l) => l.lineNo === s.sale.selectedLine));
  const canPin = useAppSelector((s) => s.session.user?.permissions.includes('terminals.manage') ?? false);
  const pinned = useAppSelector((s) => s.catalog.favourites);
  if (!line) return null;
  const isPinned = pinned.includes(line.sku);
  const step = (delta: number) => {
    const next = line.qty + delta;
    if (next <= 0) dispatch(lineRemoved(line.lineNo));
    else dispatch(qtyChanged({ lineNo: line.lineNo, qty: next }));
  };
  return (
    <Group gap={6} mt="xs" wrap="nowrap" role="group" aria-label={t('sale.lineActions')} grow preventGrowOverflow={false}>
      <ActionIcon variant="default" size={56} onClick={() => step(-1)} disabled={line.weighed} aria-label={t('sale.less')} style={{ flex: '0 0 48px' }}>
        <IconMinus />
      </ActionIcon>
      <ActionIcon variant="default" size={56} onClick={() => step(1)} disabled={line.weighed} aria-label={t('sale.more')} style={{ flex: '0 0 48px' }}>
        <IconPlus />
      </ActionIcon>
      <KeyButton label={t('sale.qty')} shortcut="F7" onClick={() => onDialog('qty')} />
      <KeyButton label={t('sale.discount')} shortcut="F8" onClick={() => onDialog('lineDiscount')} />
      <KeyButton label={t('sale.price')} onClick={() => onDialog('price')} />
      {canPin && (
        <ActionIcon variant={isPinned ? 'filled' : 'default'} color="yellow" size={56} onClick={() => void dispatch(toggleFavouriteTile(line.sku))} aria-label={isPinned ? t('sale.unpin') : t('sale.pin')} aria-pressed={isPinned} style={{ flex: '0 0 48px' }}>
          {isPinned ? <IconStarFilled /> : <IconStar />}
        </ActionIcon>
      )}
      <ActionIcon variant="light" color="red" size={56} onClick={() => dispatch(lineRemoved(line.lineNo))} aria-label={t('sale.remove')} style={{ flex: '0 0 48px' }}>
        <IconTrash />
      </ActionIcon>
    </Group>
  );
}

function Totals() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const totals = useCartTotals();
  if (!totals) return null;
  const taxLabel = totals.taxMode === 'inclusive' ? t('sale.taxIncluded') : t('sale.tax');
  return (
    <Stack gap={2} mt="xs" className="caja-totals">
      <Row label={t('sale.subtotal')} value={fmt.money(totals.subtotal)} />
      {totals.discountTotal > 0 && <Row label={t('sale.discounts')} value={`−${fmt.money(totals.discountTotal)}`} />}
      <Row label={taxLabel} value={fmt.money(totals.taxTotal)} />
      <Group justify="space-between" mt={4}>
        <Title order={2}>{t('sale.total')}</Title>
        <Title order={1} aria-label={t('sale.totalDue')}>
          {fmt.money(totals.total)}
        </Title>
      </Group>
    </Stack>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Group justify="space-between">
      <Text c="dimmed">{label}</Text>
      <Text fw={600}>{value}</Text>
    </Group>
  );
}
