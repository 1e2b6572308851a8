// The product list, fast over 100k products: the server pages and searches (200 rows a page, SKU cursor),
// and only the rows on screen exist in the page (@tanstack/react-virtual), so neither the network nor the
// DOM grows with the catalog. Scrolling near the end of what is loaded asks for the next page.
// Keyboard: Tab reaches the rows' SKU links; ↑/↓ move between rows, Enter opens the editor. "New product"
// (with `catalog.edit`) opens the editor in create mode at /catalog?new (ProductCreator.tsx).
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Anchor, Badge, Box, Button, Group, Loader, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useT } from '../../i18n/useT';
import { Link, Outlet, useNavigate, useSearchParams } from 'react-router';
import type { ProductRow } from '../../api/types';
import { LoadError } from '../../components/PageState';
import { useFormat, useLang } from '../../lib/hooks';
import { useChainDefaults } from '../stores/storesApi';
import { usePermissions } from '../session/permissions';
import { useProductsInfiniteQuery } from './catalogApi';
import { ProductCreator } from './ProductCreator';

const ROW_HEIGHT = 56;
/** Ask for the next page when this few loaded rows remain below the screen. */
const PREFETCH_ROWS = 60;
const COLUMNS = '130px minmax(220px, 1fr) 160px 130px 100px 260px';

function HeaderCell({ children, align }: { children: string; align?: 'right' }) {
  return (
    <Text role="columnheader" size="sm" fw={700} ta={align ?? 'left'} px="sm">
      {children}
    </Text>
  );
}

function Row({ product, index, top, currency, timeZone }: { product: ProductRow | undefined; index: number; top: number; currency: string; timeZone: string }) {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const navigate = useNavigate();
  const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${top}px)`, display: 'grid', gridTemplateColumns: COLUMNS, alignItems: 'center' };
  if (!product) {
    return (
      <Box role="row" aria-rowindex={index + 2} style={style} px="sm">
        <Skeleton h={20} style={{ gridColumn: '1 / -1' }} />
      </Box>
    );
  }
  const other = lang === 'es' ? product.name.en : product.name.es;
  return (
    <Box
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      style={{ ...style, cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      bg={index % 2 ? 'gray.0' : undefined}
      onClick={() => void navigate(`/catalog/${encodeURIComponent(product.sku)}`)}
    >
      <Box role="cell" px="sm">
        <Anchor component={Link} to={`/catalog/${encodeURIComponent(product.sku)}`} ff="monospace" fw={600} data-row-link={index} onClick={(e) => e.stopPropagation()} py={12} display="inline-block">
          {product.sku}
        </Anchor>
      </Box>
      <Box role="cell" px="sm" style={{ minWidth: 0 }}>
        <Text size="sm" fw={500} truncate="end">
          {product.name[lang]}
        </Text>
        {other && other !== product.name[lang] && (
          <Text size="xs" c="dimmed" truncate="end" lang={lang === 'es' ? 'en' : 'es'}>
            {other}
          </Text>
        )}
      </Box>
      <Text role="cell" size="sm" ff="monospace" px="sm" truncate="end">
        {product.barcodes[0] ?? t('common.none')}
      </Text>
      <Text role="cell" size="sm" ta="right" px="sm" fw={600}>
        {f.money(product.price, currency)}
        {product.unit === 'kg' && (
          <Text span size="xs" c="dimmed" fw={400}>
            {' '}
            {t('catalog.kg')}
          </Text>
        )}
      </Text>
      <Box role="cell" px="sm">
        <Badge color={product.active ? 'green' : 'gray'} variant="light" style={{ textTransform: 'none' }}>
          {product.active ? t('catalog.active') : t('catalog.inactive')}
        </Badge>
      </Box>
      <Text role="cell" size="sm" c="dimmed" px="sm" truncate="end">
        {f.dateTime(product.updatedAt, timeZone)}
      </Text>
    </Box>
  );
}

export function ProductsView() {
  const t = useT();
  const { currency, timeZone } = useChainDefaults();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const creating = params.has('new') && can('catalog.edit');
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 250);
  const list = useProductsInfiniteQuery(q);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const count = rows.length + (list.hasNextPage ? 1 : 0);
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer returns functions by design; React Compiler's memo rules do not apply to it.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index ?? 0;

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= rows.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastVisible, rows.length]);

  // A new search starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [q]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const current = (document.activeElement as HTMLElement | null)?.dataset.rowLink;
    const from = current === undefined ? -1 : Number(current);
    const to = Math.max(0, Math.min(rows.length - 1, from + (e.key === 'ArrowDown' ? 1 : -1)));
    e.preventDefault();
    virtualizer.scrollToIndex(to, { align: 'auto' });
    const link = () => scroller.current?.querySelector<HTMLElement>(`[data-row-link="${to}"]`);
    // A row on screen is focused at once; one scrolled into view exists after the virtualizer's next render.
    const now = link();
    if (now) now.focus();
    else requestAnimationFrame(() => link()?.focus());
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1}>{t('catalog.title')}</Title>
          <Text c="dimmed">{t('catalog.description', { currency, zone: timeZone })}</Text>
        </div>
        <Group gap="md">
          <Text fw={600} aria-live="polite">
            {list.data ? t('catalog.count', { count: total }) : ''}
          </Text>
          {can('catalog.edit') && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setParams({ new: '' })}>
              {t('catalog.new')}
            </Button>
          )}
        </Group>
      </Group>
      <TextInput
        type="search"
        label={t('catalog.search')}
        description={t('catalog.searchHint')}
        leftSection={<IconSearch size={18} aria-hidden />}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        maw={520}
      />
      {list.error && <LoadError error={list.error} onRetry={() => void list.refetch()} />}
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Box role="table" aria-label={t('catalog.tableLabel')} aria-rowcount={total + 1} style={{ overflowX: 'auto' }}>
          <Box miw={960}>
            <Box role="rowgroup" bg="gray.1" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Box role="row" aria-rowindex={1} style={{ display: 'grid', gridTemplateColumns: COLUMNS, alignItems: 'center', height: 44 }}>
                <HeaderCell>{t('catalog.col.sku')}</HeaderCell>
                <HeaderCell>{t('catalog.col.name')}</HeaderCell>
                <HeaderCell>{t('catalog.col.barcode')}</HeaderCell>
                <HeaderCell align="right">{t('catalog.col.price')}</HeaderCell>
                <HeaderCell>{t('catalog.col.status')}</HeaderCell>
                <HeaderCell>{t('catalog.col.updated')}</HeaderCell>
              </Box>
            </Box>
            <Box ref={scroller} role="rowgroup" onKeyDown={onKeyDown} style={{ height: 'max(360px, calc(100dvh - 330px))', overflowY: 'auto', position: 'relative' }}>
              <Box style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => (
                  <Row key={item.key} product={rows[item.index]} index={item.index} top={item.start} currency={currency} timeZone={timeZone} />
                ))}
              </Box>
              {list.isLoading && (
                <Group justify="center" p="xl">
                  <Loader aria-label={t('common.loading')} />
                </Group>
              )}
              {list.data && rows.length === 0 && (
                <Text c="dimmed" ta="center" p="xl">
                  {q ? t('catalog.noMatch', { q }) : t('catalog.empty')}
                </Text>
              )}
            </Box>
          </Box>
        </Box>
        {isFetchingNextPage && (
          <Text size="sm" c="dimmed" p="xs" ta="center" role="status">
            {t('catalog.loadingMore')}
          </Text>
        )}
      </Paper>
      <Outlet />
      {creating && <ProductCreator onClose={() => setParams({})} />}
    </Stack>
  );
}
