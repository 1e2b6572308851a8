// The filter bar of a report page: stores (the whole chain, or some of its stores; the X: one store), the
// period (a preset resolved in the stores' time zone, or custom dates), the grouping, and the department,
// cashier, product or shift filters the report takes. Every change goes into the URL (ReportPage).
import { Group, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ReportName } from '../../../../../shared/api/reports';
import { MAX_REPORT_STORES } from '../../../../../shared/api/reports';
import type { Store } from '../../api/types';
import { useT } from '../../i18n/useT';
import { useLang } from '../../lib/hooks';
import { useDepartmentTreeQuery, type DepartmentNode } from '../catalog/adminApi';
import { useUsersQuery } from '../people/peopleApi';
import { usePermissions } from '../session/permissions';
import { PRESETS, REPORT_DEFS, type Preset } from './defs';
import { presetRange, type ReportFilters } from './filters';

function flatten(nodes: readonly DepartmentNode[], depth = 0): Array<{ node: DepartmentNode; depth: number }> {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** A text filter applied on Enter or when the field is left (not on every key). */
function TextFilter({ label, value, onChange, placeholder, w = 180 }: { label: string; value: string | null; onChange: (v: string | null) => void; placeholder?: string; w?: number }) {
  const [draft, setDraft] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value ?? '');
  }
  const apply = () => onChange(draft.trim() || null);
  return (
    <TextInput
      label={label}
      value={draft}
      placeholder={placeholder}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
      }}
      w={w}
    />
  );
}

export function FilterBar({ name, filters, stores, today, onChange }: { name: ReportName; filters: ReportFilters; stores: readonly Store[]; today: string; onChange: (f: ReportFilters) => void }) {
  const t = useT();
  const lang = useLang();
  const def = REPORT_DEFS[name];
  const { can } = usePermissions();
  const departments = useDepartmentTreeQuery(undefined, { skip: !def.filters.includes('department') });
  const users = useUsersQuery(undefined, { skip: !def.filters.includes('cashier') || !can('users.manage') });
  const set = (patch: Partial<ReportFilters>) => onChange({ ...filters, ...patch });
  const storeOptions = stores.map((s) => ({ value: s.code, label: `${s.code} · ${s.name}` }));
  const presets: readonly Preset[] = def.period === 'day' ? ['today', 'yesterday', 'custom'] : PRESETS;
  const choosePreset = (p: Preset) => (p === 'custom' ? set({ preset: 'custom' }) : set({ preset: p, ...presetRange(p, today), ...(def.period === 'day' ? { from: presetRange(p, today).to, to: presetRange(p, today).to } : {}) }));
  const setDate = (key: 'from' | 'to', v: string) => {
    if (!isDay(v)) return;
    const next = { ...filters, preset: 'custom' as const, [key]: v };
    if (def.period === 'day') next.to = next.from;
    if (next.from > next.to) {
      if (key === 'from') next.to = next.from;
      else next.from = next.to;
    }
    onChange(next);
  };
  const cashierOptions = (users.data ?? []).map((u) => ({ value: u.id, label: u.displayName || u.username }));
  if (filters.cashier && !cashierOptions.some((o) => o.value === filters.cashier)) cashierOptions.unshift({ value: filters.cashier, label: filters.cashier });

  return (
    <Stack gap="xs" className="report-filters" component="form" role="search" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
      <Group gap="md" align="flex-end" wrap="wrap">
        {def.oneStore ? (
          <Select label={t('reports.store')} data={storeOptions} value={filters.stores[0] ?? null} onChange={(v) => v && set({ stores: [v] })} allowDeselect={false} searchable w={240} />
        ) : (
          <MultiSelect
            label={t('reports.stores')}
            placeholder={filters.stores.length ? undefined : t('reports.wholeChain')}
            data={storeOptions}
            value={filters.stores}
            onChange={(v) => set({ stores: [...v].sort() })}
            maxValues={MAX_REPORT_STORES}
            searchable
            clearable
            w={360}
          />
        )}
        {def.period !== 'now' && (
          <Select
            label={def.period === 'day' ? t('reports.day') : t('reports.period')}
            data={presets.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))}
            value={filters.preset}
            onChange={(v) => v && choosePreset(v)}
            allowDeselect={false}
            w={180}
          />
        )}
        {def.period !== 'now' && (
          <TextInput type="date" label={def.period === 'day' ? t('reports.date') : t('reports.from')} value={filters.from} onChange={(e) => setDate('from', e.currentTarget.value)} w={170} />
        )}
        {def.period === 'range' && <TextInput type="date" label={t('reports.to')} value={filters.to} onChange={(e) => setDate('to', e.currentTarget.value)} w={170} />}
        {def.group && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="report-group-label">
              {t('reports.groupBy')}
            </Text>
            <SegmentedControl
              aria-labelledby="report-group-label"
              value={filters.group}
              onChange={(v) => set({ group: v })}
              data={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`reports.group.${g}`) }))}
            />
          </Stack>
        )}
        {def.filters.includes('department') && (
          <Select
            label={t('reports.department')}
            placeholder={t('reports.all')}
            data={flatten(departments.data ?? []).map(({ node, depth }) => ({ value: node._id, label: `${'— '.repeat(depth)}${node.name[lang]}` }))}
            value={filters.department ? (filters.department.startsWith('department:') ? filters.department : `department:${filters.department}`) : null}
            onChange={(v) => set({ department: v })}
            searchable
            clearable
            w={220}
          />
        )}
        {def.filters.includes('cashier') &&
          (cashierOptions.length > 0 ? (
            <Select label={t('reports.cashier')} placeholder={t('reports.all')} data={cashierOptions} value={filters.cashier} onChange={(v) => set({ cashier: v })} searchable clearable w={220} />
          ) : (
            <TextFilter label={t('reports.cashier')} value={filters.cashier} onChange={(v) => set({ cashier: v })} placeholder={t('reports.cashierId')} />
          ))}
        {def.filters.includes('product') && <TextFilter label={t('reports.product')} value={filters.product} onChange={(v) => set({ product: v })} placeholder={t('reports.sku')} />}
        {def.filters.includes('shift') && <TextFilter label={t('reports.shift')} value={filters.shift} onChange={(v) => set({ shift: v })} placeholder={t('reports.openShifts')} w={300} />}
      </Group>
    </Stack>
  );
}
