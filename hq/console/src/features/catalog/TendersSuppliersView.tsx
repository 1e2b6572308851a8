// Tenders (how customers pay) and suppliers: each a catalog list page (CatalogList.tsx: the table, Edit and
// Deactivate per row, never a delete) with its own editor dialog. Edits carry the `_rev` they were made on; a
// stale one says so and offers the current version.
import { useState } from 'react';
import { Badge, Group, Select, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useT } from '../../i18n/useT';
import { useLang } from '../../lib/hooks';
import type { Supplier, Tender } from './adminApi';
import {
  useCreateSupplierMutation,
  useCreateTenderMutation,
  useDeactivateSupplierMutation,
  useDeactivateTenderMutation,
  useEditSupplierMutation,
  useEditTenderMutation,
  useSuppliersQuery,
  useTendersQuery,
} from './adminApi';
import { CatalogListPage, CODE, EditorModal } from './CatalogList';

const KINDS = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'] as const;
type Kind = (typeof KINDS)[number];

// ---------- tenders ----------

interface TenderValues {
  code: string;
  nameEn: string;
  nameEs: string;
  kind: Kind;
  allowChange: boolean;
  allowOverTender: boolean;
  opensDrawer: boolean;
  currency: string;
  active: boolean;
}

function tenderValues(x: Tender | null): TenderValues {
  return x
    ? { code: x.code, nameEn: x.name.en, nameEs: x.name.es, kind: x.kind, allowChange: x.allowChange, allowOverTender: x.allowOverTender, opensDrawer: x.opensDrawer, currency: x.currency ?? '', active: x.active }
    : { code: '', nameEn: '', nameEs: '', kind: 'card', allowChange: false, allowOverTender: false, opensDrawer: false, currency: '', active: true };
}

function TenderDialog({ editing, onClose }: { editing: Tender | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateTenderMutation();
  const [edit, saving] = useEditTenderMutation();
  const form = useForm<TenderValues>({
    initialValues: tenderValues(editing),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
      currency: (v, all) => (all.kind !== 'foreign' || /^[A-Z]{3}$/.test(v) ? null : t('tenders.badCurrency')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const name = { en: v.nameEn.trim(), es: v.nameEs.trim() };
    const flags = { allowChange: v.allowChange, allowOverTender: v.allowOverTender, opensDrawer: v.opensDrawer, active: v.active, ...(v.kind === 'foreign' && v.currency ? { currency: v.currency } : {}) };
    const result = base ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name, ...flags } }) : await create({ code: v.code.trim(), name, kind: v.kind, ...flags });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  return (
    <EditorModal<Tender>
      title={base ? t('tenders.editTitle', { code: base.code }) : t('tenders.new')}
      isNew={!base}
      loading={creating.isLoading || saving.isLoading}
      error={base ? saving.error : creating.error}
      onLoadTheirs={(current) => {
        setBase(current);
        form.setValues(tenderValues(current));
        saving.reset();
      }}
      onSubmit={submit}
      onClose={onClose}
    >
      <Group grow align="flex-start">
        <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
        <Select
          label={t('tenders.kind')}
          description={base ? t('tenders.kindFixed') : undefined}
          data={KINDS.map((k) => ({ value: k, label: t(`tenders.kinds.${k}`) }))}
          disabled={Boolean(base)}
          allowDeselect={false}
          {...form.getInputProps('kind')}
        />
      </Group>
      <Group grow align="flex-start">
        <TextInput label={t('editor.nameEn')} lang="en" required {...form.getInputProps('nameEn')} />
        <TextInput label={t('editor.nameEs')} lang="es" required {...form.getInputProps('nameEs')} />
      </Group>
      {form.values.kind === 'foreign' && <TextInput label={t('tenders.currency')} w={160} maxLength={3} {...form.getInputProps('currency')} />}
      <Switch size="md" label={t('tenders.allowChange')} {...form.getInputProps('allowChange', { type: 'checkbox' })} />
      <Switch size="md" label={t('tenders.allowOverTender')} {...form.getInputProps('allowOverTender', { type: 'checkbox' })} />
      <Switch size="md" label={t('tenders.opensDrawer')} {...form.getInputProps('opensDrawer', { type: 'checkbox' })} />
      <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </EditorModal>
  );
}

export function TendersView() {
  const t = useT();
  const lang = useLang();
  const tenders = useTendersQuery(undefined, { refetchOnMountOrArgChange: true });
  const [deactivate] = useDeactivateTenderMutation();
  return (
    <CatalogListPage<Tender>
      title={t('tenders.title')}
      description={t('tenders.description')}
      newLabel={t('tenders.new')}
      empty={t('tenders.empty')}
      list={tenders}
      columns={[
        { header: t('admin.name'), cell: (x) => x.name[lang] },
        { header: t('tenders.kind'), cell: (x) => t(`tenders.kinds.${x.kind}`) },
        {
          header: t('tenders.flags'),
          cell: (x) => (
            <Group gap={4}>
              {x.allowChange && <Badge variant="outline">{t('tenders.allowChange')}</Badge>}
              {x.opensDrawer && <Badge variant="outline">{t('tenders.opensDrawer')}</Badge>}
              {x.currency && <Badge variant="outline">{x.currency}</Badge>}
            </Group>
          ),
        },
      ]}
      editLabel={(x) => t('tenders.editTitle', { code: x.code })}
      // Change is given in cash and refunds default to it: HQ refuses to deactivate it.
      deactivatable={(x) => x.kind !== 'cash'}
      deactivate={(arg) => deactivate(arg)}
      deactivateBody={(x) => t('tenders.deactivateBody', { name: x.name[lang] })}
      dialog={(editing, onClose) => <TenderDialog editing={editing} onClose={onClose} />}
    />
  );
}

// ---------- suppliers ----------

interface SupplierValues {
  code: string;
  name: string;
  email: string;
  phone: string;
  active: boolean;
}

function supplierValues(x: Supplier | null): SupplierValues {
  return x ? { code: x.code, name: x.name, email: x.contact?.email ?? '', phone: x.contact?.phone ?? '', active: x.active } : { code: '', name: '', email: '', phone: '', active: true };
}

function SupplierDialog({ editing, onClose }: { editing: Supplier | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateSupplierMutation();
  const [edit, saving] = useEditSupplierMutation();
  const form = useForm<SupplierValues>({
    initialValues: supplierValues(editing),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      name: (v) => (v.trim() ? null : t('editor.required')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const contact = { ...(v.email.trim() ? { email: v.email.trim() } : {}), ...(v.phone.trim() ? { phone: v.phone.trim() } : {}) };
    const result = base
      ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name: v.name.trim(), contact: Object.keys(contact).length ? contact : null, active: v.active } })
      : await create({ code: v.code.trim(), name: v.name.trim(), contact, active: v.active });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  return (
    <EditorModal<Supplier>
      title={base ? t('suppliers.editTitle', { code: base.code }) : t('suppliers.new')}
      isNew={!base}
      loading={creating.isLoading || saving.isLoading}
      error={base ? saving.error : creating.error}
      onLoadTheirs={(current) => {
        setBase(current);
        form.setValues(supplierValues(current));
        saving.reset();
      }}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
      <TextInput label={t('admin.name')} required {...form.getInputProps('name')} />
      <Group grow align="flex-start">
        <TextInput label={t('suppliers.email')} type="email" {...form.getInputProps('email')} />
        <TextInput label={t('suppliers.phone')} type="tel" {...form.getInputProps('phone')} />
      </Group>
      <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </EditorModal>
  );
}

export function SuppliersView() {
  const t = useT();
  const suppliers = useSuppliersQuery(undefined, { refetchOnMountOrArgChange: true });
  const [deactivate] = useDeactivateSupplierMutation();
  return (
    <CatalogListPage<Supplier>
      title={t('suppliers.title')}
      description={t('suppliers.description')}
      newLabel={t('suppliers.new')}
      empty={t('suppliers.empty')}
      list={suppliers}
      columns={[
        { header: t('admin.name'), cell: (x) => x.name },
        { header: t('suppliers.contact'), cell: (x) => [x.contact?.email, x.contact?.phone].filter(Boolean).join(' · ') || t('common.none') },
      ]}
      editLabel={(x) => t('suppliers.editTitle', { code: x.code })}
      deactivate={(arg) => deactivate(arg)}
      deactivateBody={(x) => t('suppliers.deactivateBody', { name: x.name })}
      dialog={(editing, onClose) => <SupplierDialog editing={editing} onClose={onClose} />}
    />
  );
}
