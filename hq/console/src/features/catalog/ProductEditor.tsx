// The product editor, a drawer over the list (route /catalog/:sku; creating one is ProductCreator.tsx, which
// shares its fields). An edit is sent with the revision it
// was made on; if someone saved the product in between, HQ answers 409 `stale_edit` with their version and
// the editor shows both side by side: the person chooses to load theirs or re-apply their own changes on
// top of it. Nothing is ever overwritten silently. Prices are typed as decimals and sent as integer minor
// units (shared/money parseMoney), never through a float.
import { useState } from 'react';
import { Alert, Button, Drawer, Group, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { GetInputPropsReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDeviceFloppy } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { useNavigate, useParams } from 'react-router';
import { parseMoney } from '../../../../../shared/money';
import type { ApiError, ProductDoc, ProductEdit } from '../../api/types';
import { LoadError, Loading } from '../../components/PageState';
import { minorDigits } from '../../lib/format';
import { useErrorText, useFormat } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import { useChainDefaults } from '../stores/storesApi';
import { useEditProductMutation, useProductQuery } from './catalogApi';

/** The fields the editor and the creator share, as the person types them (amounts as decimals). */
export interface SharedValues {
  nameEn: string;
  nameEs: string;
  price: string;
  cost: string;
  barcodes: string[];
  active: boolean;
}
export type SharedField = keyof SharedValues;

type Values = SharedValues;

type FieldInput = (field: SharedField, checkbox?: boolean) => GetInputPropsReturnType;

/** The names in both languages. */
export function ProductNames({ input, readOnly = false }: { input: FieldInput; readOnly?: boolean }) {
  const t = useT();
  return (
    <>
      <TextInput label={t('editor.nameEn')} lang="en" required readOnly={readOnly} {...input('nameEn')} />
      <TextInput label={t('editor.nameEs')} lang="es" required readOnly={readOnly} {...input('nameEs')} />
    </>
  );
}

/** Price and cost in the chain's currency, barcodes, and whether it is sold. */
export function ProductTerms({ input, currency, readOnly = false }: { input: FieldInput; currency: string; readOnly?: boolean }) {
  const t = useT();
  return (
    <>
      <Group grow align="flex-start">
        <TextInput label={t('editor.price', { currency })} inputMode="decimal" required readOnly={readOnly} {...input('price')} />
        <TextInput label={t('editor.cost', { currency })} inputMode="decimal" readOnly={readOnly} {...input('cost')} />
      </Group>
      <TagsInput label={t('editor.barcodes')} description={t('editor.barcodesHint')} readOnly={readOnly} {...input('barcodes')} />
      <Switch label={t('editor.active')} size="md" disabled={readOnly} {...input('active', true)} />
    </>
  );
}

/** A typed amount (minor units) that is valid money from zero up, or null. */
export function moneyError(text: string, digits: number, optional: boolean): boolean {
  if (optional && !text.trim()) return false;
  const m = parseMoney(text, digits);
  return m === null || m < 0;
}

/** Minor units as the decimal a person types ("1250" -> "12.50"), by integer arithmetic. */
export function minorToText(minor: number | undefined, digits: number): string {
  if (minor === undefined) return '';
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, '0')}`;
}

function valuesOf(p: ProductDoc, digits: number): Values {
  return { nameEn: p.name.en, nameEs: p.name.es, price: minorToText(p.price, digits), cost: minorToText(p.cost, digits), barcodes: [...p.barcodes], active: p.active };
}

/** The fields of `values` that differ from `base`, as the API takes them. */
function changes(base: ProductDoc, values: Values, digits: number): Omit<ProductEdit, 'sku' | '_rev'> {
  const out: Omit<ProductEdit, 'sku' | '_rev'> = {};
  const nameEn = values.nameEn.trim();
  const nameEs = values.nameEs.trim();
  if (nameEn !== base.name.en || nameEs !== base.name.es) out.name = { en: nameEn, es: nameEs };
  const price = parseMoney(values.price, digits);
  if (price !== null && price !== base.price) out.price = price;
  const cost = values.cost.trim() ? parseMoney(values.cost, digits) : null;
  if (cost !== null && cost !== base.cost) out.cost = cost;
  if (values.barcodes.join('\n') !== base.barcodes.join('\n')) out.barcodes = values.barcodes;
  if (values.active !== base.active) out.active = values.active;
  return out;
}

/** Each field as the person reads it, for comparing versions. */
function readable(v: Values, digits: number, currency: string, f: ReturnType<typeof useFormat>, t: ReturnType<typeof useT>): Record<keyof Values, string> {
  const amount = (text: string) => {
    if (!text.trim()) return t('common.none');
    const m = parseMoney(text, digits);
    return m === null ? text : f.money(m, currency);
  };
  return {
    nameEn: v.nameEn.trim(),
    nameEs: v.nameEs.trim(),
    price: amount(v.price),
    cost: amount(v.cost),
    barcodes: v.barcodes.join(', ') || t('common.none'),
    active: v.active ? t('common.yes') : t('common.no'),
  };
}

/** The fields someone else or this person changed since the editor opened: before, theirs, yours. */
function StaleCompare({ before, theirs, values, digits, currency }: { before: ProductDoc; theirs: ProductDoc; values: Values; digits: number; currency: string }) {
  const t = useT();
  const f = useFormat();
  const was = readable(valuesOf(before, digits), digits, currency, f, t);
  const other = readable(valuesOf(theirs, digits), digits, currency, f, t);
  const mine = readable(values, digits, currency, f, t);
  const labels: Record<keyof Values, string> = {
    nameEn: t('editor.nameEn'),
    nameEs: t('editor.nameEs'),
    price: t('editor.price', { currency }),
    cost: t('editor.cost', { currency }),
    barcodes: t('editor.barcodes'),
    active: t('editor.active'),
  };
  const fields = (Object.keys(labels) as Array<keyof Values>).filter((k) => other[k] !== was[k] || mine[k] !== was[k]);
  if (!fields.length) return null;
  return (
    <Table withTableBorder verticalSpacing="xs" bg="white" aria-label={t('editor.staleTitle')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('editor.staleField')}</Table.Th>
          <Table.Th>{t('editor.staleBefore')}</Table.Th>
          <Table.Th>{t('editor.staleTheirs')}</Table.Th>
          <Table.Th>{t('editor.staleYours')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map((k) => (
          <Table.Tr key={k}>
            <Table.Td fw={600}>{labels[k]}</Table.Td>
            <Table.Td c="dimmed">{was[k]}</Table.Td>
            <Table.Td fw={other[k] !== was[k] ? 700 : undefined}>{other[k]}</Table.Td>
            <Table.Td fw={mine[k] !== was[k] ? 700 : undefined}>{mine[k]}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function EditorForm({ initial, currency, timeZone, readOnly, onClose }: { initial: ProductDoc; currency: string; timeZone: string; readOnly: boolean; onClose: () => void }) {
  const t = useT();
  const f = useFormat();
  const errorText = useErrorText();
  const digits = minorDigits(currency);
  // The version this edit is based on: changed only by a save or by the person's choice after a 409, never
  // by a background refetch (which would move the edit onto a version the person has not seen).
  const [base, setBase] = useState(initial);
  const [theirs, setTheirs] = useState<ProductDoc | null>(null);
  const [edit, editing] = useEditProductMutation();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(initial, digits),
    validate: {
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
      price: (v) => (moneyError(v, digits, false) ? t('editor.notMoney') : null),
      cost: (v) => (moneyError(v, digits, true) ? t('editor.notMoney') : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    const patch = changes(base, values, digits);
    if (!Object.keys(patch).length) {
      notifications.show({ color: 'gray', message: t('editor.noChanges') });
      return;
    }
    const result = await edit({ sku: base.sku, _rev: base._rev ?? '', ...patch });
    if ('data' in result && result.data) {
      setBase(result.data);
      setTheirs(null);
      form.setValues(valuesOf(result.data, digits));
      form.resetDirty(valuesOf(result.data, digits));
      notifications.show({ color: 'green', message: t('editor.saved', { sku: base.sku }) });
      return;
    }
    const err = 'error' in result ? (result.error as ApiError) : null;
    const current = err?.code === 'stale_edit' ? (err.details?.current as ProductDoc | undefined) : undefined;
    if (current) setTheirs(current);
  });

  const loadTheirs = () => {
    if (!theirs) return;
    setBase(theirs);
    form.setValues(valuesOf(theirs, digits));
    form.resetDirty(valuesOf(theirs, digits));
    setTheirs(null);
    editing.reset();
  };
  const applyMine = () => {
    if (!theirs) return;
    // Only the fields this person changed are carried onto their version; every other field takes theirs,
    // so re-applying cannot undo someone else's change. The next save is made on their revision.
    const opened = valuesOf(base, digits);
    const other = valuesOf(theirs, digits);
    const mine = form.values;
    const same = (k: keyof Values) => JSON.stringify(mine[k]) === JSON.stringify(opened[k]);
    const merged: Values = {
      nameEn: same('nameEn') ? other.nameEn : mine.nameEn,
      nameEs: same('nameEs') ? other.nameEs : mine.nameEs,
      price: same('price') ? other.price : mine.price,
      cost: same('cost') ? other.cost : mine.cost,
      barcodes: same('barcodes') ? other.barcodes : mine.barcodes,
      active: same('active') ? other.active : mine.active,
    };
    setBase(theirs);
    form.setValues(merged);
    form.resetDirty(other);
    setTheirs(null);
    editing.reset();
  };

  const error = editing.error as ApiError | undefined;
  const input: FieldInput = (field, checkbox) => form.getInputProps(field, checkbox ? { type: 'checkbox' } : undefined);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {readOnly && (
          <Alert color="blue" variant="light">
            {t('editor.readOnly')}
          </Alert>
        )}
        {theirs && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t('editor.staleTitle')} role="alert">
            <Stack gap="sm">
              <Text size="sm">{t('editor.staleBody')}</Text>
              <StaleCompare before={base} theirs={theirs} values={form.values} digits={digits} currency={currency} />
              <Group gap="sm">
                <Button variant="white" color="red" onClick={loadTheirs}>
                  {t('editor.loadTheirs')}
                </Button>
                <Button variant="filled" color="red" onClick={applyMine}>
                  {t('editor.applyMine')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {error && !theirs && error.code !== 'stale_edit' && (
          <Alert color="red" icon={<IconAlertTriangle />} role="alert">
            {errorText(error)}
          </Alert>
        )}
        <ProductNames input={input} readOnly={readOnly} />
        <ProductTerms input={input} currency={currency} readOnly={readOnly} />
        <Text size="xs" c="dimmed">
          {t('editor.revision', { rev: (base._rev ?? '').slice(0, 10), time: f.dateTime(base.updatedAt, timeZone) })}
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
          {!readOnly && (
            <Button type="submit" loading={editing.isLoading} disabled={Boolean(theirs)} leftSection={<IconDeviceFloppy size={18} />}>
              {t('editor.save')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

export function ProductEditor() {
  const { sku = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const { currency, timeZone } = useChainDefaults();
  // Always the current version when the editor opens, not a cached one: an edit starts from what is saved.
  const [openedAt] = useState(() => Date.now());
  const product = useProductQuery(sku, { refetchOnMountOrArgChange: true });
  const fresh = product.data && (product.fulfilledTimeStamp ?? 0) >= openedAt ? product.data : undefined;
  const readOnly = !can('catalog.edit');
  const close = () => void navigate('/catalog');
  return (
    <Drawer
      opened
      onClose={close}
      position="right"
      size={720}
      title={<Text fw={700} size="lg">{readOnly ? t('editor.titleReadOnly', { sku }) : t('editor.title', { sku })}</Text>}
      closeButtonProps={{ 'aria-label': t('editor.close') }}
    >
      {!fresh && !product.error && <Loading />}
      {product.error && <LoadError error={product.error} onRetry={() => void product.refetch()} />}
      {fresh && <EditorForm key={fresh.sku} initial={fresh} currency={currency} timeZone={timeZone} readOnly={readOnly} onClose={close} />}
    </Drawer>
  );
}
