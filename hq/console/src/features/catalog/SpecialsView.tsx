// Specials: a kind and its terms (percent off, amount off, fixed price, buy X get Y; quantity breaks are shown
// but kept as they are), what they apply to (departments, product SKUs), when (calendar days in the chain's
// zone, first to last inclusive) and where (some stores, or all). The kind is not edited: a new kind is a
// new special. Edits carry the `_rev` they were made on; a stale one says so.
import { useState } from 'react';
import { Badge, Group, MultiSelect, Select, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { money, parseMoney } from '../../../../../shared/money';
import { businessDate } from '../../../../../shared/pos/clock';
import { useT } from '../../i18n/useT';
import { minorDigits, zonedDayEnd, zonedDayStart } from '../../lib/format';
import { useFormat, useLang } from '../../lib/hooks';
import { useChainDefaults, useStoresQuery } from '../stores/storesApi';
import { minorToText } from './ProductEditor';
import type { DepartmentNode, Special } from './adminApi';
import { useCreateSpecialMutation, useDeactivateSpecialMutation, useDepartmentTreeQuery, useEditSpecialMutation, useSpecialsQuery } from './adminApi';
import { CatalogListPage, CODE, EditorModal } from './CatalogList';

const KINDS = ['percent_off', 'amount_off', 'fixed_price', 'buy_x_get_y', 'qty_break'] as const;
type Kind = (typeof KINDS)[number];

interface Values {
  code: string;
  nameEn: string;
  nameEs: string;
  kind: Kind;
  percent: string;
  amount: string;
  buyQty: string;
  getQty: string;
  departmentIds: string[];
  skus: string[];
  storeIds: string[];
  from: string;
  to: string;
  active: boolean;
}

function flatten(nodes: readonly DepartmentNode[], depth = 0): Array<{ node: DepartmentNode; depth: number }> {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

function valuesOf(s: Special | null, zone: string, digits: number): Values {
  const today = businessDate(new Date(), zone);
  if (!s) return { code: '', nameEn: '', nameEs: '', kind: 'percent_off', percent: '', amount: '', buyQty: '', getQty: '', departmentIds: [], skus: [], storeIds: [], from: today, to: today, active: true };
  return {
    code: s.code,
    nameEn: s.name.en,
    nameEs: s.name.es,
    kind: s.kind,
    percent: s.percentBp === undefined ? '' : minorToText(s.percentBp, 2),
    amount: s.amount === undefined ? '' : minorToText(s.amount, digits),
    buyQty: s.buyQty === undefined ? '' : String(s.buyQty),
    getQty: s.getQty === undefined ? '' : String(s.getQty),
    departmentIds: [...(s.target.departmentIds ?? [])],
    skus: (s.target.productIds ?? []).map((id) => id.replace(/^product:/, '')),
    storeIds: [...(s.storeIds ?? [])],
    from: businessDate(s.startsAt, zone),
    to: businessDate(s.endsAt, zone),
    active: s.active,
  };
}

/** The kind's terms as the API takes them (only the fields of that kind). */
function termsOf(v: Values, digits: number) {
  if (v.kind === 'percent_off') return { percentBp: parseMoney(v.percent, 2) ?? 0 };
  if (v.kind === 'amount_off' || v.kind === 'fixed_price') return { amount: parseMoney(v.amount, digits) ?? money(0) };
  if (v.kind === 'buy_x_get_y') return { buyQty: Number(v.buyQty), getQty: Number(v.getQty) };
  return {};
}

function SpecialDialog({ editing, onClose }: { editing: Special | null; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const { currency, timeZone } = useChainDefaults();
  const digits = minorDigits(currency);
  const stores = useStoresQuery();
  const tree = useDepartmentTreeQuery();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateSpecialMutation();
  const [edit, saving] = useEditSpecialMutation();
  const count = (v: string) => (/^[1-9][0-9]{0,4}$/.test(v.trim()) ? null : t('specials.badQty'));
  const form = useForm<Values>({
    initialValues: valuesOf(editing, timeZone, digits),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
      percent: (v, all) => (all.kind !== 'percent_off' || ((parseMoney(v, 2) ?? -1) >= 0 && (parseMoney(v, 2) ?? 0) <= 10_000) ? null : t('taxes.badPercent')),
      amount: (v, all) => ((all.kind !== 'amount_off' && all.kind !== 'fixed_price') || (parseMoney(v, digits) ?? -1) >= 0 ? null : t('editor.notMoney')),
      buyQty: (v, all) => (all.kind !== 'buy_x_get_y' ? null : count(v)),
      getQty: (v, all) => (all.kind !== 'buy_x_get_y' ? null : count(v)),
      from: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : t('editor.required')),
      to: (v, all) => (!/^\d{4}-\d{2}-\d{2}$/.test(v) ? t('editor.required') : v < all.from ? t('sales.badPeriod') : null),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const name = { en: v.nameEn.trim(), es: v.nameEs.trim() };
    const target = { departmentIds: v.departmentIds, productIds: v.skus.map((s) => `product:${s.trim()}`) };
    const when = { startsAt: zonedDayStart(v.from, timeZone), endsAt: zonedDayEnd(v.to, timeZone) };
    const terms = termsOf(v, digits);
    const result = base
      ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name, target, ...when, ...terms, storeIds: v.storeIds.length ? v.storeIds : null, active: v.active } })
      : await create({ code: v.code.trim(), name, kind: v.kind, target, ...when, ...terms, ...(v.storeIds.length ? { storeIds: v.storeIds } : {}), active: v.active });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  const kind = form.values.kind;
  return (
    <EditorModal<Special>
      title={base ? t('specials.editTitle', { code: base.code }) : t('specials.new')}
      size="xl"
      isNew={!base}
      loading={creating.isLoading || saving.isLoading}
      error={base ? saving.error : creating.error}
      onLoadTheirs={(current) => {
        setBase(current);
        form.setValues(valuesOf(current, timeZone, digits));
        saving.reset();
      }}
      onSubmit={submit}
      onClose={onClose}
    >
      <Group grow align="flex-start">
        <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
        <Select label={t('specials.kind')} data={KINDS.map((k) => ({ value: k, label: t(`specials.kinds.${k}`) }))} disabled={Boolean(base)} allowDeselect={false} {...form.getInputProps('kind')} />
      </Group>
      <Group grow align="flex-start">
        <TextInput label={t('editor.nameEn')} lang="en" required {...form.getInputProps('nameEn')} />
        <TextInput label={t('editor.nameEs')} lang="es" required {...form.getInputProps('nameEs')} />
      </Group>
      {kind === 'percent_off' && <TextInput label={t('specials.percent')} inputMode="decimal" w={200} {...form.getInputProps('percent')} />}
      {(kind === 'amount_off' || kind === 'fixed_price') && <TextInput label={t(kind === 'amount_off' ? 'specials.amountOff' : 'specials.fixedPrice', { currency })} inputMode="decimal" w={240} {...form.getInputProps('amount')} />}
      {kind === 'buy_x_get_y' && (
        <Group grow align="flex-start">
          <TextInput label={t('specials.buyQty')} inputMode="numeric" {...form.getInputProps('buyQty')} />
          <TextInput label={t('specials.getQty')} inputMode="numeric" {...form.getInputProps('getQty')} />
        </Group>
      )}
      {kind === 'qty_break' && <Text c="dimmed">{t('specials.breaksKept')}</Text>}
      <Group grow align="flex-start">
        <TextInput type="date" label={t('specials.from')} description={t('specials.zone', { zone: timeZone })} required {...form.getInputProps('from')} />
        <TextInput type="date" label={t('specials.to')} description={t('specials.inclusive')} required {...form.getInputProps('to')} />
      </Group>
      <MultiSelect
        label={t('specials.departments')}
        data={flatten(tree.data ?? []).map(({ node, depth }) => ({ value: node._id, label: `${'— '.repeat(depth)}${node.name[lang]} (${node.code})` }))}
        searchable
        {...form.getInputProps('departmentIds')}
      />
      <TagsInput label={t('specials.products')} description={t('specials.productsHint')} {...form.getInputProps('skus')} />
      <MultiSelect
        label={t('specials.stores')}
        placeholder={form.values.storeIds.length ? undefined : t('specials.allStores')}
        data={(stores.data ?? []).map((s) => ({ value: s.code, label: `${s.code} · ${s.name}` }))}
        searchable
        {...form.getInputProps('storeIds')}
      />
      <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </EditorModal>
  );
}

function termsText(s: Special, currency: string, f: ReturnType<typeof useFormat>, t: ReturnType<typeof useT>): string {
  if (s.kind === 'percent_off') return f.percentBp(s.percentBp ?? 0);
  if (s.kind === 'amount_off' || s.kind === 'fixed_price') return f.money(s.amount ?? 0, currency);
  if (s.kind === 'buy_x_get_y') return t('specials.buyGet', { buy: s.buyQty ?? 0, get: s.getQty ?? 0 });
  return (s.breaks ?? []).map((b) => `${b.minQty}+ ${f.money(b.unitPrice, currency)}`).join(', ');
}

export function SpecialsView() {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const { currency, timeZone } = useChainDefaults();
  const specials = useSpecialsQuery(undefined, { refetchOnMountOrArgChange: true });
  const [deactivate] = useDeactivateSpecialMutation();
  return (
    <CatalogListPage<Special>
      maw={1300}
      title={t('specials.title')}
      description={t('specials.description')}
      newLabel={t('specials.new')}
      empty={t('specials.empty')}
      list={specials}
      columns={[
        { header: t('admin.name'), cell: (s) => s.name[lang] },
        { header: t('specials.kind'), cell: (s) => `${t(`specials.kinds.${s.kind}`)} · ${termsText(s, currency, f, t)}` },
        { header: t('specials.when'), cell: (s) => t('specials.period', { from: f.dateTime(s.startsAt, timeZone), to: f.dateTime(s.endsAt, timeZone) }) },
        {
          header: t('specials.stores'),
          cell: (s) =>
            s.storeIds?.length
              ? s.storeIds.map((c) => (
                  <Badge key={c} variant="outline" mr={4}>
                    {c}
                  </Badge>
                ))
              : t('specials.allStores'),
        },
      ]}
      editLabel={(s) => t('specials.editTitle', { code: s.code })}
      deactivate={(arg) => deactivate(arg)}
      deactivateBody={(s) => t('specials.deactivateBody', { name: s.name[lang] })}
      dialog={(editing, onClose) => <SpecialDialog editing={editing} onClose={onClose} />}
    />
  );
}
