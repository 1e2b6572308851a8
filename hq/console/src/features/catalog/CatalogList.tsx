// The shape every small catalog type's page shares (tenders, suppliers, sales reps, specials): a heading with
// its New button, a table of the documents with their status, Edit and Deactivate per row, the type's own
// editor dialog, and deactivation behind a confirmation (never a delete: sales and products name them).
// A page gives its columns, its dialog and its words; this file owns the layout and the deactivation flow,
// so the pages cannot drift apart. Edits and deactivations carry the `_rev` they were made on.
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconPencil, IconPlus } from '@tabler/icons-react';
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiError } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { LoadError, Loading } from '../../components/PageState';
import { SaveError } from '../../components/SaveError';
import { useT } from '../../i18n/useT';
import { useErrorText } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';

/** Letters, digits, dot, dash or underscore, starting with a letter or digit (shared/api/catalogAdmin.ts). */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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

/** Active unless `active` is false (departments and taxes written before they had the field are active). */
export function ActiveBadge({ active }: { active: boolean | undefined }) {
  const t = useT();
  return active !== false ? (
    <Badge color="green" variant="light">
      {t('admin.active')}
    </Badge>
  ) : (
    <Badge color="gray">{t('admin.inactive')}</Badge>
  );
}

export function DialogButtons({ isNew, loading, onClose, createLabel }: { isNew: boolean; loading: boolean; onClose: () => void; createLabel?: string }) {
  const t = useT();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {isNew ? (createLabel ?? t('admin.create')) : t('editor.save')}
      </Button>
    </Group>
  );
}

/**
 * A catalog editor dialog: its title, the save's refusal (a stale edit offers their version), the fields, and
 * Cancel / Create or Save. `isNew` while creating.
 */
export function EditorModal<T>(p: {
  title: string;
  isNew: boolean;
  loading: boolean;
  error: ApiError | SerializedError | undefined;
  onLoadTheirs: (current: T) => void;
  onSubmit: (e?: FormEvent<HTMLFormElement>) => void;
  onClose: () => void;
  createLabel?: string;
  size?: 'lg' | 'xl';
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={p.onClose} size={p.size ?? 'lg'} title={<Text fw={700} size="lg">{p.title}</Text>}>
      <form onSubmit={p.onSubmit} noValidate>
        <Stack gap="md">
          <SaveError<T> error={p.error} onLoadTheirs={p.onLoadTheirs} />
          {p.children}
          <DialogButtons isNew={p.isNew} loading={p.loading} onClose={p.onClose} {...(p.createLabel ? { createLabel: p.createLabel } : {})} />
        </Stack>
      </form>
    </Modal>
  );
}

type Outcome = { data?: unknown; error?: ApiError | SerializedError };

/** Deactivation with its confirmation; a stale `_rev` or any refusal is said in a notification. */
export function useDeactivate<T extends { code: string; _rev?: string }>(run: (arg: { code: string; _rev: string }) => Promise<Outcome>) {
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

/**
 * The button that asks to deactivate one document (the confirmation follows). `quiet` where it repeats on
 * every row of a long list (the department tree), so the page is not a column of red.
 */
export function DeactivateButton({ code, onClick, quiet = false }: { code: string; onClick: () => void; quiet?: boolean }) {
  const t = useT();
  return (
    <Button variant="subtle" color={quiet ? 'gray' : 'red'} h={44} leftSection={<IconBan size={16} />} onClick={onClick} aria-label={t('admin.deactivateOne', { code })}>
      {t('admin.deactivate')}
    </Button>
  );
}

/** The confirmation before a deactivation, for `useDeactivate`'s target. */
export function DeactivateConfirm<T extends { code: string; _rev?: string }>({ off, body }: { off: ReturnType<typeof useDeactivate<T>>; body: (target: T) => string }) {
  const t = useT();
  if (!off.target) return null;
  return (
    <ConfirmDialog title={t('admin.deactivateOne', { code: off.target.code })} confirmLabel={t('admin.deactivate')} loading={off.busy} onConfirm={() => void off.confirm()} onClose={() => off.setTarget(null)}>
      {body(off.target)}
    </ConfirmDialog>
  );
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Codes and amounts read better in a fixed-width font. */
  mono?: boolean;
  align?: 'right';
}

type Listed = { _id: string; code: string; _rev?: string; active?: boolean };

export interface CatalogListProps<T extends Listed> {
  title: string;
  description: string;
  newLabel: string;
  /** Shown in the table when the type has no documents yet. */
  empty: string;
  list: { data?: T[] | undefined; isLoading: boolean; error?: ApiError | SerializedError | undefined; refetch: () => unknown };
  /** The columns between the code and the status. */
  columns: Column<T>[];
  /** The accessible name of a row's Edit button (and its dialog's title), e.g. "Edit tender cash". */
  editLabel: (row: T) => string;
  /** Whether an active row may be deactivated (tender:cash may not). */
  deactivatable?: (row: T) => boolean;
  deactivate: (arg: { code: string; _rev: string }) => Promise<Outcome>;
  /** What deactivating this one means, in the confirmation. */
  deactivateBody: (row: T) => string;
  /** The type's editor: `editing` null to create. */
  dialog: (editing: T | null, onClose: () => void) => ReactNode;
  maw?: number;
}

export function CatalogListPage<T extends Listed>(p: CatalogListProps<T>) {
  const t = useT();
  const { can } = usePermissions();
  const canEdit = can('catalog.edit');
  const [dialog, setDialog] = useState<{ editing: T | null } | null>(null);
  const off = useDeactivate<T>(p.deactivate);
  const { list } = p;
  const span = p.columns.length + 3;
  return (
    <Stack gap="lg" maw={p.maw ?? 1100}>
      <PageHead title={p.title} description={p.description} newLabel={p.newLabel} onNew={canEdit ? () => setDialog({ editing: null }) : null} />
      {list.isLoading && <Loading />}
      {list.error && <LoadError error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-label={p.title}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.code')}</Table.Th>
                  {p.columns.map((c) => (
                    <Table.Th key={c.header} ta={c.align}>
                      {c.header}
                    </Table.Th>
                  ))}
                  <Table.Th>{t('admin.status')}</Table.Th>
                  {canEdit && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((row) => (
                  <Table.Tr key={row._id}>
                    <Table.Td ff="monospace">{row.code}</Table.Td>
                    {p.columns.map((c) => (
                      <Table.Td key={c.header} ff={c.mono ? 'monospace' : undefined} ta={c.align}>
                        {c.cell(row)}
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <ActiveBadge active={row.active} />
                    </Table.Td>
                    {canEdit && (
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button variant="subtle" h={44} leftSection={<IconPencil size={16} />} onClick={() => setDialog({ editing: row })} aria-label={p.editLabel(row)}>
                            {t('admin.edit')}
                          </Button>
                          {row.active !== false && (p.deactivatable?.(row) ?? true) && <DeactivateButton code={row.code} onClick={() => off.setTarget(row)} />}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
                {!list.data.length && (
                  <Table.Tr>
                    <Table.Td colSpan={span}>
                      <Text c="dimmed" ta="center" py="md">
                        {p.empty}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {dialog && p.dialog(dialog.editing, () => setDialog(null))}
      <DeactivateConfirm off={off} body={p.deactivateBody} />
    </Stack>
  );
}
