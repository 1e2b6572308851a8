// Picks a product of the local catalog (no network): by barcode or SKU typed or scanned, or by words of its
// name. Enter takes the exact code, else the first match; the matches are buttons, reachable by Tab.
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconBarcode } from '@tabler/icons-react';
import { useDeferredValue, useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../../../shared/model/types';
import { useServices } from '../../app/servicesContext';
import { useSearchField } from '../../app/searchField';
import { useAppSelector } from '../../app/store';
import { searchProducts } from '../catalog/productSearch';

/** At most this many matches are shown: the list is for picking, not browsing. */
const SHOWN = 8;

export function ProductPicker({ label, onPick, autoFocus = false }: { label: string; onPick: (product: Product) => void; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const services = useServices();
  const lang = useAppSelector((s) => s.ui.lang);
  const version = useAppSelector((s) => s.catalog.version);
  const field = useRef<HTMLInputElement>(null);
  // Uncontrolled, searched once typing pauses: a scan typed into it costs no search per key (app/searchField.ts).
  const { query, onChange, clear } = useSearchField(field);
  const shown = useDeferredValue(query);

  const results = useMemo(() => {
    void version;
    return services.index && shown.trim() ? searchProducts(services.index, shown, lang, SHOWN) : [];
  }, [services, shown, lang, version]);

  const pick = (p: Product) => {
    onPick(p);
    clear();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') clear();
    const q = e.currentTarget.value.trim();
    if (e.key !== 'Enter' || !q || !services.index) return;
    e.preventDefault();
    // Enter acts on what was typed, even if the deferred results have not caught up yet.
    const first = services.index.lookup(q)?.product ?? searchProducts(services.index, q, lang, 1)[0];
    if (first) pick(first);
  };

  return (
    <Stack gap={6}>
      <TextInput
        size="lg"
        label={label}
        placeholder={t('stock.pickPlaceholder')}
        leftSection={<IconBarcode />}
        ref={field}
        defaultValue=""
        onChange={onChange}
        onKeyDown={onKeyDown}
        autoComplete="off"
        data-autofocus={autoFocus || undefined}
      />
      {shown.trim() && results.length === 0 && <Text c="dimmed">{t('stock.noMatch')}</Text>}
      {results.length > 0 && (
        <Group gap={6} role="list" aria-label={t('stock.matches')}>
          {results.map((p) => (
            <Button key={p._id} role="listitem" variant="default" h={48} onClick={() => pick(p)} styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}>
              {p.name[lang]}
              <Text span c="dimmed" size="sm" ml={6}>
                {p.sku}
              </Text>
            </Button>
          ))}
        </Group>
      )}
    </Stack>
  );
}
