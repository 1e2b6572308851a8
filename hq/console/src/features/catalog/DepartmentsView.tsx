// The department tree (GET /department-tree): each department under its parent, with its default tax group.
// A department is created under any other (or at the top) and edited in a dialog: its names, its parent (a
// department cannot move under itself or its own children: those are not offered, and HQ refuses a loop
// anyway), its tax group and whether it is active. A department is deactivated, never deleted (products and
// sales name it): it stays in the tree, marked, and is no longer offered as a parent or for a new product.
// Edits carry the `_rev` they were made on; a stale one says so.
import { useState } from 'react';
import { Badge, Box, Button, Group, Modal, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import type { ApiError } from '../../api/types';
import { LoadError, Loading } from '../../components/PageState';
import { SaveError } from '../../components/SaveError';
import { useT } from '../../i18n/useT';
import { useLang } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import type { Department, DepartmentNode } from './adminApi';
import { useCreateDepartmentMutation, useDeactivateDepartmentMutation, useDepartmentTreeQuery, useEditDepartmentMutation, useTaxGroupsQuery } from './adminApi';
import { ActiveBadge, DeactivateButton, DeactivateConfirm, useDeactivate } from './CatalogList';

interface Values {
  code: string;
  nameEn: string;
  nameEs: string;
  parentId: string | null;
  taxGroupId: string | null;
  active: boolean;
}

/** The tree as rows in display order, with each row's depth. */
function flatten(nodes: readonly DepartmentNode[], depth = 0): Array<{ node: DepartmentNode; depth: number }> {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

/** A department's id and those of everything under it: where it may not move. */
function subtreeIds(node: DepartmentNode): string[] {
  return [node._id, ...node.children.flatMap(subtreeIds)];
}

function valuesOf(d: Department | null, parentId: string | null): Values {
  return d
    ? { code: d.code, nameEn: d.name.en, nameEs: d.name.es, parentId: d.parentId, taxGroupId: d.taxGroupId ?? null, active: d.active !== false }
    : { code: '', nameEn: '', nameEs: '', parentId, taxGroupId: null, active: true };
}

function DepartmentDialog({ editing, parentId, tree, onClose }: { editing: DepartmentNode | null; parentId: string | null; tree: DepartmentNode[]; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const groups = useTaxGroupsQuery();
  const [base, setBase] = useState<Department | null>(editing);
  const [create, creating] = useCreateDepartmentMutation();
  const [edit, saving] = useEditDepartmentMutation();
  const form = useForm<Values>({
    initialValues: valuesOf(editing, parentId),
    validate: {
      code: (v) => (editing || /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.trim()) ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
    },
  });
  const blocked = new Set(editing ? subtreeIds(editing) : []);
  // Deactivated ones are not offered, except the one it already has (HQ refuses only a new choice).
  const parents = flatten(tree)
    .filter(({ node }) => !blocked.has(node._id) && (node.active !== false || node._id === editing?.parentId))
    .map(({ node, depth }) => ({ value: node._id, label: `${'— '.repeat(depth)}${node.name[lang]} (${node.code})` }));
  const groupOptions = (groups.data ?? [])
    .filter((g) => g.active !== false || g._id === editing?.taxGroupId)
    .map((g) => ({ value: g._id, label: `${g.name[lang]} (${g.code})` }));

  const submit = form.onSubmit(async (v) => {
    const name = { en: v.nameEn.trim(), es: v.nameEs.trim() };
    const result = base
      ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name, parentId: v.parentId, taxGroupId: v.taxGroupId, active: v.active } })
      : await create({ code: v.code.trim(), name, parentId: v.parentId, ...(v.taxGroupId ? { taxGroupId: v.taxGroupId } : {}) });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  const loadTheirs = (current: Department) => {
    setBase(current);
    form.setValues(valuesOf(current, null));
    saving.reset();
  };
  const error = (base ? saving.error : creating.error) as ApiError | undefined;
  return (
    <Modal opened onClose={onClose} size="lg" title={<Text fw={700} size="lg">{base ? t('departments.editTitle', { code: base.code }) : t('departments.newTitle')}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SaveError error={error} onLoadTheirs={loadTheirs} />
          <TextInput label={t('admin.code')} required readOnly={Boolean(base)} description={base ? undefined : t('admin.codeHint')} {...form.getInputProps('code')} />
          <Group grow align="flex-start">
            <TextInput label={t('editor.nameEn')} lang="en" required {...form.getInputProps('nameEn')} />
            <TextInput label={t('editor.nameEs')} lang="es" required {...form.getInputProps('nameEs')} />
          </Group>
          <Select label={t('departments.parent')} placeholder={t('departments.topLevel')} data={parents} clearable searchable {...form.getInputProps('parentId')} />
          <Select label={t('departments.taxGroup')} placeholder={t('common.none')} data={groupOptions} clearable searchable {...form.getInputProps('taxGroupId')} />
          {base && <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={creating.isLoading || saving.isLoading}>
              {base ? t('editor.save') : t('departments.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface RowActions {
  canEdit: boolean;
  groupName: (id: string | undefined) => string;
  onEdit: (n: DepartmentNode) => void;
  onAdd: (parent: DepartmentNode) => void;
  onDeactivate: (n: DepartmentNode) => void;
}

function TreeRows({ nodes, depth, actions }: { nodes: DepartmentNode[]; depth: number; actions: RowActions }) {
  const { canEdit, groupName, onEdit, onAdd, onDeactivate } = actions;
  const t = useT();
  const lang = useLang();
  return (
    <Box component="ul" role={depth === 0 ? 'tree' : 'group'} aria-label={depth === 0 ? t('departments.treeLabel') : undefined} m={0} p={0} style={{ listStyle: 'none' }}>
      {nodes.map((n) => (
        <Box component="li" key={n._id} role="treeitem" aria-level={depth + 1} aria-expanded={n.children.length ? true : undefined} aria-label={`${n.name[lang]} (${n.code})`}>
          <Group justify="space-between" wrap="nowrap" mih={52} pl={depth * 28 + 8} pr="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
            <Group gap="sm" wrap="nowrap">
              <Text fw={depth === 0 ? 700 : 500}>{n.name[lang]}</Text>
              <Text size="sm" c="dimmed" ff="monospace">
                {n.code}
              </Text>
              {n.taxGroupId && (
                <Badge variant="light" color="gray">
                  {groupName(n.taxGroupId)}
                </Badge>
              )}
              {n.active === false && <ActiveBadge active={false} />}
            </Group>
            {canEdit && (
              <Group gap={4} wrap="nowrap">
                {n.active !== false && (
                  <Button variant="subtle" size="sm" h={44} leftSection={<IconPlus size={16} />} onClick={() => onAdd(n)} aria-label={t('departments.addUnder', { name: n.name[lang] })}>
                    {t('departments.sub')}
                  </Button>
                )}
                <Button variant="subtle" size="sm" h={44} leftSection={<IconPencil size={16} />} onClick={() => onEdit(n)} aria-label={t('departments.edit', { name: n.name[lang] })}>
                  {t('admin.edit')}
                </Button>
                {n.active !== false && <DeactivateButton code={n.code} onClick={() => onDeactivate(n)} quiet />}
              </Group>
            )}
          </Group>
          {n.children.length > 0 && <TreeRows nodes={n.children} depth={depth + 1} actions={actions} />}
        </Box>
      ))}
    </Box>
  );
}

export function DepartmentsView() {
  const t = useT();
  const lang = useLang();
  const { can } = usePermissions();
  // Fresh on every visit: others edit the catalog too.
  const tree = useDepartmentTreeQuery(undefined, { refetchOnMountOrArgChange: true });
  const groups = useTaxGroupsQuery();
  const [dialog, setDialog] = useState<{ editing: DepartmentNode | null; parentId: string | null } | null>(null);
  const canEdit = can('catalog.edit');
  const groupName = (id: string | undefined) => groups.data?.find((g) => g._id === id)?.name[lang] ?? id ?? '';
  const [deactivate] = useDeactivateDepartmentMutation();
  const off = useDeactivate<DepartmentNode>((arg) => deactivate(arg));
  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('departments.title')}</Title>
          <Text c="dimmed">{t('departments.description')}</Text>
        </Stack>
        {canEdit && (
          <Button leftSection={<IconPlus size={18} />} onClick={() => setDialog({ editing: null, parentId: null })}>
            {t('departments.new')}
          </Button>
        )}
      </Group>
      {tree.isLoading && <Loading />}
      {tree.error && <LoadError error={tree.error} onRetry={() => void tree.refetch()} />}
      {tree.data && (
        <Paper withBorder p="xs">
          {tree.data.length ? (
            <TreeRows
              nodes={tree.data}
              depth={0}
              actions={{ canEdit, groupName, onEdit: (n) => setDialog({ editing: n, parentId: n.parentId }), onAdd: (p) => setDialog({ editing: null, parentId: p._id }), onDeactivate: (n) => off.setTarget(n) }}
            />
          ) : (
            <Text p="md" c="dimmed">
              {t('departments.empty')}
            </Text>
          )}
        </Paper>
      )}
      {dialog && tree.data && <DepartmentDialog editing={dialog.editing} parentId={dialog.parentId} tree={tree.data} onClose={() => setDialog(null)} />}
      <DeactivateConfirm off={off} body={(n) => t('departments.deactivateBody', { name: n.name[lang] })} />
    </Stack>
  );
}
