// A store's prices (issue #12), on its page: the overrides it has now, beside each product's chain price
// (GET /store-prices/:store, searched and paged by HQ), and a change in bulk: lines `sku,price` pasted,
// typed or uploaded from a CSV file (read by shared/api/priceCsv.ts), previewed line by line with what each
// would do and why a line is refused (unreadable here; unknown or repeated SKU said by HQ's check, which
// writes nothing), then applied through PUT /store-prices/:store with the lines in error left out, and its
// answer shown: how many were set, removed or unchanged, and which were not applied. Money is typed as
// decimals in the store's currency and sent as integer minor units.
import { useState } from 'react';
import { Alert, Badge, Box, Button, FileButton, Group, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChecks, IconSearch, IconUpload } from '@tabler/icons-react';
import { parsePriceCsv } from '../../../../../shared/api/priceCsv';
import type { PriceCsvProblemKind } from '../../../../../shared/api/priceCsv';
import { MAX_BULK_PRICES } from '../../../../../shared/api/hqRecords';
import type { Money } from '../../../../../shared/money';
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Body, Result } from '../../api/routes';
import type { ApiError } from '../../api/types';
import { LoadError } from '../../components/PageState';
import { useT } from '../../i18n/useT';
import { minorDigits } from '../../lib/format';
import { useErrorText, useFormat, useLang } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';

type Page = Result<'GET /api/v1/store-prices/:store'>;
type Check = Result<'POST /api/v1/store-prices/:store/check'>;
type Applied = Result<'PUT /api/v1/store-prices/:store'>;
type Lines = Body<'PUT /api/v1/store-prices/:store'>;

const PAGE = 100;

const pricesApi = api.injectEndpoints({
  endpoints: (build) => ({
    storePrices: build.infiniteQuery<Page, { store: string; q: string }, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (last) => last.nextCursor },
      query: ({ queryArg, pageParam }) => ({ ...hq('GET', '/api/v1/store-prices/:store', { store: queryArg.store }), params: { q: queryArg.q, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }),
      providesTags: (_r, _e, { store }) => [{ type: 'StorePrice', id: store }],
    }),
    checkStorePrices: build.mutation<Check, { store: string; body: Lines }>({
      query: ({ store, body }) => ({ ...hq('POST', '/api/v1/store-prices/:store/check', { store }), body }),
    }),
    applyStorePrices: build.mutation<Applied, { store: string; body: Lines }>({
      query: ({ store, body }) => ({ ...hq('PUT', '/api/v1/store-prices/:store', { store }), body }),
      invalidatesTags: (_r, _e, { store }) => [{ type: 'StorePrice', id: store }],
    }),
  }),
});
const { useStorePricesInfiniteQuery, useCheckStorePricesMutation, useApplyStorePricesMutation } = pricesApi;

/** One line of the preview: read here (or not), and what HQ's check says it would do. */
interface PreviewRow {
  line: number;
  sku: string;
  price: Money | null;
  result: Check['lines'][number]['result'];
  problem?: PriceCsvProblemKind | 'unknown_sku' | 'repeated_sku';
  current: number | null;
  basePrice: number | null;
  name: string | null;
}

const RESULT_COLOR: Record<PreviewRow['result'], string> = { set: 'blue', removed: 'orange', unchanged: 'gray', error: 'red' };

function CurrentPrices({ code, currency, timeZone }: { code: string; currency: string; timeZone: string }) {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 250);
  const list = useStorePricesInfiniteQuery({ store: code, q }, { refetchOnMountOrArgChange: true });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <TextInput
          type="search"
          label={t('storePrices.search')}
          description={t('storePrices.searchHint')}
          leftSection={<IconSearch size={18} aria-hidden />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={360}
        />
        <Text fw={600} aria-live="polite">
          {list.data ? t('storePrices.count', { count: total }) : ''}
        </Text>
      </Group>
      {list.error && <LoadError error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && !rows.length && <Text c="dimmed">{q ? t('storePrices.noMatch', { q }) : t('storePrices.empty')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" striped aria-label={t('storePrices.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('storePrices.col.sku')}</Table.Th>
                <Table.Th>{t('storePrices.col.product')}</Table.Th>
                <Table.Th ta="right">{t('storePrices.col.chainPrice')}</Table.Th>
                <Table.Th ta="right">{t('storePrices.col.storePrice')}</Table.Th>
                <Table.Th>{t('storePrices.col.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.sku}>
                  <Table.Td ff="monospace">{r.sku}</Table.Td>
                  <Table.Td>{r.name?.[lang] ?? t('common.none')}</Table.Td>
                  <Table.Td ta="right" c="dimmed">
                    {r.basePrice === null ? t('common.none') : f.money(r.basePrice, currency)}
                  </Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {f.money(r.price, currency)}
                  </Table.Td>
                  <Table.Td>{f.dateTime(r.updatedAt, timeZone)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Box>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('storePrices.more')}
          </Button>
        </Box>
      )}
    </Stack>
  );
}

function Preview({ rows, currency }: { rows: PreviewRow[]; currency: string }) {
  const t = useT();
  const f = useFormat();
  const amount = (m: number | null) => (m === null ? t('common.none') : f.money(m, currency));
  return (
    <Table.ScrollContainer minWidth={760} mah={420}>
      <Table verticalSpacing="xs" stickyHeader aria-label={t('storePrices.previewLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">{t('storePrices.col.line')}</Table.Th>
            <Table.Th>{t('storePrices.col.sku')}</Table.Th>
            <Table.Th>{t('storePrices.col.product')}</Table.Th>
            <Table.Th ta="right">{t('storePrices.col.now')}</Table.Th>
            <Table.Th ta="right">{t('storePrices.col.new')}</Table.Th>
            <Table.Th>{t('storePrices.col.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.line} bg={r.result === 'error' ? 'red.0' : undefined}>
              <Table.Td ta="right" c="dimmed">
                {r.line}
              </Table.Td>
              <Table.Td ff="monospace">{r.sku || t('common.none')}</Table.Td>
              <Table.Td>{r.name ?? t('common.none')}</Table.Td>
              <Table.Td ta="right">{r.current === null && r.basePrice !== null ? <Text span c="dimmed">{amount(r.basePrice)}</Text> : amount(r.current)}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {r.result === 'error' ? '' : r.price === null ? amount(r.basePrice) : amount(r.price)}
              </Table.Td>
              <Table.Td>
                <Badge color={RESULT_COLOR[r.result]} variant="light" style={{ textTransform: 'none' }}>
                  {t(`storePrices.result.${r.result}`)}
                </Badge>
                {r.problem && (
                  <Text size="sm" c="red.8">
                    {t(`storePrices.problem.${r.problem}`)}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function BulkChange({ code, currency }: { code: string; currency: string }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const digits = minorDigits(currency);
  const [text, setText] = useState('');
  const [rows, setRows] = useState<PreviewRow[] | null>(null);
  const [applied, setApplied] = useState<{ answer: Applied; leftOut: PreviewRow[] } | null>(null);
  const [check, checking] = useCheckStorePricesMutation();
  const [apply, applying] = useApplyStorePricesMutation();
  const read = parsePriceCsv(text, digits);
  const edited = (value: string) => {
    setText(value);
    // A preview is of the text it was made from.
    setRows(null);
  };
  const upload = async (file: File | null) => {
    if (file) edited(await file.text());
  };

  const preview = async () => {
    setApplied(null);
    const readRows: PreviewRow[] = read.problems.map((p) => ({ line: p.line, sku: p.text.split(/[,;\t]/)[0]?.trim() ?? '', price: null, result: 'error', problem: p.problem, current: null, basePrice: null, name: null }));
    if (read.lines.length) {
      const result = await check({ store: code, body: { prices: read.lines.map((l) => ({ sku: l.sku, price: l.price })) } });
      if (!('data' in result) || !result.data) return;
      result.data.lines.forEach((c, i) => {
        const at = read.lines[i];
        if (!at) return;
        readRows.push({ line: at.line, sku: c.sku, price: c.price, result: c.result, ...(c.error ? { problem: c.error } : {}), current: c.current, basePrice: c.basePrice, name: c.name?.[lang] ?? null });
      });
    }
    setRows(readRows.sort((a, b) => a.line - b.line));
  };

  const toApply = (rows ?? []).filter((r) => r.result === 'set' || r.result === 'removed');
  const leftOut = (rows ?? []).filter((r) => r.result === 'error');
  const count = (result: PreviewRow['result']) => (rows ?? []).filter((r) => r.result === result).length;

  const run = async () => {
    const result = await apply({ store: code, body: { prices: toApply.map((r) => ({ sku: r.sku, price: r.price })) } });
    if ('data' in result && result.data) {
      setApplied({ answer: result.data, leftOut });
      setRows(null);
      setText('');
      const c = result.data.counts;
      notifications.show({ color: 'green', message: t('storePrices.applied', { code, set: c.set, removed: c.removed, unchanged: c.unchanged }) });
    }
  };
  // Not applied: the lines left out for their errors, and any HQ could not write.
  const refused = applied ? [...applied.leftOut.map((r) => ({ key: `line-${r.line}`, sku: r.sku, why: r.problem ? t(`storePrices.problem.${r.problem}`) : '' })), ...applied.answer.lines.filter((l) => l.result === 'error').map((l) => ({ key: l.sku, sku: l.sku, why: l.error ?? '' }))] : [];
  const error = (checking.error ?? applying.error) as ApiError | undefined;

  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('storePrices.bulkTitle')}
      </Title>
      <Textarea
        label={t('storePrices.lines')}
        description={t('storePrices.linesHint', { currency })}
        placeholder={'sku,price\n7501000000017,24.50\n7501000000024,'}
        autosize
        minRows={4}
        maxRows={14}
        value={text}
        onChange={(e) => edited(e.currentTarget.value)}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      {read.tooMany && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {t('storePrices.tooMany', { max: MAX_BULK_PRICES, count: read.lines.length })}
        </Alert>
      )}
      <Group gap="sm">
        <FileButton onChange={(f) => void upload(f)} accept=".csv,text/csv,text/plain">
          {(props) => (
            <Button variant="default" leftSection={<IconUpload size={18} />} {...props}>
              {t('storePrices.upload')}
            </Button>
          )}
        </FileButton>
        <Button variant="light" leftSection={<IconChecks size={18} />} loading={checking.isLoading} disabled={!text.trim() || read.tooMany} onClick={() => void preview()}>
          {t('storePrices.check')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {errorText(error)}
        </Alert>
      )}
      {rows && (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Text fw={600} role="status">
              {t('storePrices.summary', { set: count('set'), removed: count('removed'), unchanged: count('unchanged'), errors: leftOut.length })}
            </Text>
            <Preview rows={rows} currency={currency} />
            <Group gap="sm">
              <Button disabled={!toApply.length} loading={applying.isLoading} onClick={() => void run()}>
                {toApply.length ? t('storePrices.apply', { count: toApply.length }) : t('storePrices.nothingToApply')}
              </Button>
              {leftOut.length > 0 && toApply.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('storePrices.leftOut')}
                </Text>
              )}
            </Group>
          </Stack>
        </Paper>
      )}
      {applied && (
        <Alert color={refused.length ? 'orange' : 'green'} role="status" title={t('storePrices.applied', { code, set: applied.answer.counts.set, removed: applied.answer.counts.removed, unchanged: applied.answer.counts.unchanged })}>
          {refused.length > 0 && (
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {t('storePrices.refusedTitle')}
              </Text>
              {refused.map((l) => (
                <Text key={l.key} size="sm">
                  <Text span ff="monospace">
                    {l.sku || t('common.none')}
                  </Text>
                  : {l.why}
                </Text>
              ))}
            </Stack>
          )}
        </Alert>
      )}
    </Stack>
  );
}

export function StorePricesPanel({ code, currency, timeZone }: { code: string; currency: string; timeZone: string }) {
  const t = useT();
  const { can } = usePermissions();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="store-prices-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id="store-prices-title">
            {t('storePrices.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('storePrices.help')}
          </Text>
        </div>
        <CurrentPrices code={code} currency={currency} timeZone={timeZone} />
        {can('catalog.edit') && <BulkChange code={code} currency={currency} />}
      </Stack>
    </Paper>
  );
}
