// Tenders (how customers pay) and suppliers: a list each, an editor dialog, and deactivation behind a
// confirmation (never a delete: sales and products name them). Edits and deactivations carry the `_rev` they
// were made on; a stale one says so and offers the current version.
import { useState } from 'react';
import { Badge, Button, Group, Modal, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBan, IconPencil, IconPlus } from '@tabler/icons-react';
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiError } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { LoadError, Loading } from '../../components/PageState';
import { SaveError } from '../../components/SaveError';
import { useT } from '../../i18n/useT';
import { useErrorText, useLang } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
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

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KINDS = ['cash', 'card', 'giftcard', 'storecredit', 'foreign', 'other'] as const;
type Kind = (typeof KINDS)[number];

export function PageHead({ title, description, newLabel, onNew }: { title: string; description: string; newLabel: string; onNew: (() => void) | null }) {
  return (
    <Group justify="space-between" align="flex-end">
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{description}</Text>
      </Stack>
      {onNew && (
        <Button leftSection={<IconPlus size={18} />} onClick={onNew}>
          {newLabel}
        </Button>
      )}
    </Group>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  const t = useT();
  return active ? (
    <Badge color="green" variant="light">
      {t('admin.active')}
    </Badge>
  ) : (
    <Badge color="gray">{t('admin.inactive')}</Badge>
  );
}

export function DialogButtons({ isNew, loading, onClose }: { isNew: boolean; loading: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {isNew ? t('admin.create') : t('editor.save')}
      </Button>
    </Group>
  );
}

/** Deactivation with its confirmation; a stale `_rev` or any refusal is said in a notification. */
export function useDeactivate<T extends { code: string; _rev?: string }>(run: (arg: { code: string; _rev: string }) => Promise<{ data?: unknown; error?: ApiError | SerializedError }>) {
  const t = useT();
  const errorText = useErrorText();
  const [target, setTarget] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!target) return;
    setBusy(true);
    const result = await run({ code: target.code, _rev: target._rev ?? '' });
    setBusy(false);
    setTarget(null);
    if (result.error) notifications.show({ color: 'red', message: errorText(result.error) });
    else notifications.show({ color: 'green', message: t('admin.deactivated', { code: target.code }) });
  };
  return { target, setTarget, busy, confirm };
}

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
  const error = (base ? saving.error : creating.error) as ApiError | undefined;
  return (
    <Modal opened onClose={onClose} size="lg" title={<Text fw={700} size="lg">{base ? t('tenders.editTitle', { code: base.code }) : t('tenders.new')}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SaveError<Tender>
            error={error}
            onLoadTheirs={(current) => {
              setBase(current);
              form.setValues(tenderValues(current));
              saving.reset();
            }}
          />
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
          <DialogButtons isNew={!base} loading={creating.isLoading || saving.isLoading} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function TendersView() {
  const t = useT();
  const lang = useLang();
  const { can } = usePermissions();
  const canEdit = can('catalog.edit');
  const tenders = useTendersQuery(undefined, { refetchOnMountOrArgChange: true });
  const [dialog, setDialog] = useState<{ editing: Tender | null } | null>(null);
  const [deactivate] = useDeactivateTenderMutation();
  const off = useDeactivate<Tender>((arg) => deactivate(arg));
  return (
    <Stack gap="lg" maw={1100}>
      <PageHead title={t('tenders.title')} description={t('tenders.description')} newLabel={t('tenders.new')} onNew={canEdit ? () => setDialog({ editing: null }) : null} />
      {tenders.isLoading && <Loading />}
      {tenders.error && <LoadError error={tenders.error} onRetry={() => void tenders.refetch()} />}
      {tenders.data && (
        <Paper withBorder>
          <Table verticalSpacing="sm" aria-label={t('tenders.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.code')}</Table.Th>
                <Table.Th>{t('admin.name')}</Table.Th>
                <Table.Th>{t('tenders.kind')}</Table.Th>
                <Table.Th>{t('tenders.flags')}</Table.Th>
                <Table.Th>{t('admin.status')}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tenders.data.map((x) => (
                <Table.Tr key={x._id}>
                  <Table.Td ff="monospace">{x.code}</Table.Td>
                  <Table.Td>{x.name[lang]}</Table.Td>
                  <Table.Td>{t(`tenders.kinds.${x.kind}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {x.allowChange && <Badge variant="outline">{t('tenders.allowChange')}</Badge>}
                      {x.opensDrawer && <Badge variant="outline">{t('tenders.opensDrawer')}</Badge>}
                      {x.currency && <Badge variant="outline">{x.currency}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <ActiveBadge active={x.active} />
                  </Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button variant="subtle" h={44} leftSection={<IconPencil size={16} />} onClick={() => setDialog({ editing: x })} aria-label={t('tenders.editTitle', { code: x.code })}>
                          {t('admin.edit')}
                        </Button>
                        {x.active && x.kind !== 'cash' && (
                          <Button variant="subtle" color="red" h={44} leftSection={<IconBan size={16} />} onClick={() => off.setTarget(x)} aria-label={t('admin.deactivateOne', { code: x.code })}>
                            {t('admin.deactivate')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {dialog && <TenderDialog editing={dialog.editing} onClose={() => setDialog(null)} />}
      {off.target && (
        <ConfirmDialog title={t('admin.deactivateOne', { code: off.target.code })} confirmLabel={t('admin.deactivate')} loading={off.busy} onConfirm={() => void off.confirm()} onClose={() => off.setTarget(null)}>
          {t('tenders.deactivateBody', { name: off.target.name[lang] })}
        </ConfirmDialog>
      )}
    </Stack>
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
  const error = (base ? saving.error : creating.error) as ApiError | undefined;
  return (
    <Modal opened onClose={onClose} size="lg" title={<Text fw={700} size="lg">{base ? t('suppliers.editTitle', { code: base.code }) : t('suppliers.new')}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SaveError<Supplier>
            error={error}
            onLoadTheirs={(current) => {
              setBase(current);
              form.setValues(supplierValues(current));
              saving.reset();
            }}
          />
          <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
          <TextInput label={t('admin.name')} required {...form.getInputProps('name')} />
          <Group grow align="flex-start">
            <TextInput label={t('suppliers.email')} type="email" {...form.getInputProps('email')} />
            <TextInput label={t('suppliers.phone')} type="tel" {...form.getInputProps('phone')} />
          </Group>
          <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
          <DialogButtons isNew={!base} loading={creating.isLoading || saving.isLoading} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function SuppliersView() {
  const t = useT();
  const { can } = usePermissions();
  const canEdit = can('catalog.edit');
  const suppliers = useSuppliersQuery(undefined, { refetchOnMountOrArgChange: true });
  const [dialog, setDialog] = useState<{ editing: Supplier | null } | null>(null);
  const [deactivate] = useDeactivateSupplierMutation();
  const off = useDeactivate<Supplier>((arg) => deactivate(arg));
  return (
    <Stack gap="lg" maw={1100}>
      <PageHead title={t('suppliers.title')} description={t('suppliers.description')} newLabel={t('suppliers.new')} onNew={canEdit ? () => setDialog({ editing: null }) : null} />
      {suppliers.isLoading && <Loading />}
      {suppliers.error && <LoadError error={suppliers.error} onRetry={() => void suppliers.refetch()} />}
      {suppliers.data && (
        <Paper withBorder>
          <Table verticalSpacing="sm" aria-label={t('suppliers.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.code')}</Table.Th>
                <Table.Th>{t('admin.name')}</Table.Th>
                <Table.Th>{t('suppliers.contact')}</Table.Th>
                <Table.Th>{t('admin.status')}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {suppliers.data.map((x) => (
                <Table.Tr key={x._id}>
                  <Table.Td ff="monospace">{x.code}</Table.Td>
                  <Table.Td>{x.name}</Table.Td>
                  <Table.Td>{[x.contact?.email, x.contact?.phone].filter(Boolean).join(' · ') || t('common.none')}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={x.active} />
                  </Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button variant="subtle" h={44} leftSection={<IconPencil size={16} />} onClick={() => setDialog({ editing: x })} aria-label={t('suppliers.editTitle', { code: x.code })}>
                          {t('admin.edit')}
                        </Button>
                        {x.active && (
                          <Button variant="subtle" color="red" h={44} leftSection={<IconBan size={16} />} onClick={() => off.setTarget(x)} aria-label={t('admin.deactivateOne', { code: x.code })}>
                            {t('admin.deactivate')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
              {!suppliers.data.length && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="md">
                      {t('suppliers.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {dialog && <SupplierDialog editing={dialog.editing} onClose={() => setDialog(null)} />}
      {off.target && (
        <ConfirmDialog title={t('admin.deactivateOne', { code: off.target.code })} confirmLabel={t('admin.deactivate')} loading={off.busy} onConfirm={() => void off.confirm()} onClose={() => off.setTarget(null)}>
          {t('suppliers.deactivateBody', { name: off.target.name })}
        </ConfirmDialog>
      )}
    </Stack>
  );
}
