// Tax groups and tax rates. A group is its rates in the order they apply; a compound rate is charged on the
// price plus the taxes before it. The live example computes a group's taxes on an amount the person types,
// inclusive or exclusive, with the till's own code (shared/pos/tax.ts), so what HQ shows is what a till will
// charge to the cent. Rates and groups are deactivated, never deleted (products and sales name them): a
// deactivated group stays on its products but is not offered for new ones, a deactivated rate stays in its
// groups but cannot be added to one. Edits carry the `_rev` they were made on; a stale one says so.
import { useState } from 'react';
import { Badge, Button, Group, Modal, MultiSelect, Paper, SegmentedControl, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { money, parseMoney } from '../../../../../shared/money';
import { computeLineTaxes } from '../../../../../shared/pos/tax';
import type { TaxMode } from '../../../../../shared/pos/tax';
import type { ApiError } from '../../api/types';
import { LoadError, Loading } from '../../components/PageState';
import { SaveError } from '../../components/SaveError';
import { useT } from '../../i18n/useT';
import { minorDigits } from '../../lib/format';
import { useFormat, useLang } from '../../lib/hooks';
import { usePermissions } from '../session/permissions';
import { useChainDefaults } from '../stores/storesApi';
import { minorToText } from './ProductEditor';
import type { TaxGroup, TaxRate } from './adminApi';
import {
  useCreateTaxGroupMutation,
  useCreateTaxRateMutation,
  useDeactivateTaxGroupMutation,
  useDeactivateTaxRateMutation,
  useEditTaxGroupMutation,
  useEditTaxRateMutation,
  useTaxGroupsQuery,
  useTaxRatesQuery,
} from './adminApi';
import { ActiveBadge, CODE, DeactivateButton, DeactivateConfirm, useDeactivate } from './CatalogList';


/** The rates of a group in their order (an id the rates list lacks is skipped: HQ checks references). */
function ratesOf(group: TaxGroup, rates: readonly TaxRate[]): TaxRate[] {
  return group.rateIds.flatMap((id) => rates.filter((r) => r._id === id));
}

/** A rate as people read it: its name, and its percentage unless the name already says it ("VAT 16%"). */
function useRateLabel() {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  return (r: TaxRate) => {
    const pct = f.percentBp(r.rateBp);
    const name = r.name[lang];
    return `${name.includes(pct) ? name : `${name} ${pct}`}${r.compound ? ` · ${t('taxes.compound')}` : ''}`;
  };
}

/** The group's taxes on an amount, as a till computes them, updated on every keystroke. */
function LiveExample({ group, rates }: { group: TaxGroup; rates: TaxRate[] }) {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const { currency } = useChainDefaults();
  const digits = minorDigits(currency);
  const [text, setText] = useState(minorToText(10000, digits));
  const [mode, setMode] = useState<TaxMode>('exclusive');
  const amount = parseMoney(text, digits);
  const valid = amount !== null && amount >= 0;
  const result = valid ? computeLineTaxes(money(amount), rates, mode, false) : null;
  const gross = result && amount !== null ? (mode === 'inclusive' ? amount : amount + result.taxTotal) : 0;
  const byId = new Map(rates.map((r) => [r._id, r]));
  const label = useRateLabel();
  return (
    <Paper withBorder p="md" bg="blue.0" aria-label={t('taxes.exampleOf', { name: group.name[lang] })} role="region">
      <Stack gap="sm">
        <Text fw={700}>{t('taxes.example')}</Text>
        <Group align="flex-end" gap="md">
          <TextInput label={t('taxes.amount', { currency })} inputMode="decimal" value={text} onChange={(e) => setText(e.currentTarget.value)} error={valid ? undefined : t('editor.notMoney')} w={180} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`mode-${group.code}`}>
              {t('taxes.mode')}
            </Text>
            <SegmentedControl
              aria-labelledby={`mode-${group.code}`}
              value={mode}
              onChange={(v) => setMode(v === 'inclusive' ? 'inclusive' : 'exclusive')}
              data={[
                { value: 'exclusive', label: t('taxes.exclusive') },
                { value: 'inclusive', label: t('taxes.inclusive') },
              ]}
              size="md"
            />
          </Stack>
        </Group>
        {result && (
          <Table withTableBorder bg="white" aria-label={t('taxes.exampleTable')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('taxes.rate')}</Table.Th>
                <Table.Th ta="right">{t('taxes.basis')}</Table.Th>
                <Table.Th ta="right">{t('taxes.tax')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>{t('taxes.net')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right">{f.money(result.net, currency)}</Table.Td>
              </Table.Tr>
              {result.taxes.map((tax) => {
                const rate = byId.get(tax.rateId);
                return (
                  <Table.Tr key={tax.rateId}>
                    <Table.Td>
                      {rate ? label(rate) : tax.code}
                    </Table.Td>
                    <Table.Td ta="right">{f.money(tax.basis, currency)}</Table.Td>
                    <Table.Td ta="right">{f.money(tax.amount, currency)}</Table.Td>
                  </Table.Tr>
                );
              })}
              <Table.Tr>
                <Table.Td fw={600}>{t('taxes.taxTotal')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right" fw={600}>
                  {f.money(result.taxTotal, currency)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td fw={700}>{t('taxes.pays')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right" fw={700}>
                  {f.money(gross, currency)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

interface GroupValues {
  code: string;
  nameEn: string;
  nameEs: string;
  rateIds: string[];
  active: boolean;
}

function GroupDialog({ editing, rates, onClose }: { editing: TaxGroup | null; rates: TaxRate[]; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateTaxGroupMutation();
  const label = useRateLabel();
  const [edit, saving] = useEditTaxGroupMutation();
  const valuesOf = (g: TaxGroup | null): GroupValues =>
    g ? { code: g.code, nameEn: g.name.en, nameEs: g.name.es, rateIds: [...g.rateIds], active: g.active !== false } : { code: '', nameEn: '', nameEs: '', rateIds: [], active: true };
  const form = useForm<GroupValues>({
    initialValues: valuesOf(editing),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const name = { en: v.nameEn.trim(), es: v.nameEs.trim() };
    const result = base ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name, rateIds: v.rateIds, active: v.active } }) : await create({ code: v.code.trim(), name, rateIds: v.rateIds });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  const error = (base ? saving.error : creating.error) as ApiError | undefined;
  return (
    <Modal opened onClose={onClose} size="lg" title={<Text fw={700} size="lg">{base ? t('taxes.editGroup', { code: base.code }) : t('taxes.newGroup')}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SaveError<TaxGroup>
            error={error}
            onLoadTheirs={(current) => {
              setBase(current);
              form.setValues(valuesOf(current));
              saving.reset();
            }}
          />
          <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
          <Group grow align="flex-start">
            <TextInput label={t('editor.nameEn')} lang="en" required {...form.getInputProps('nameEn')} />
            <TextInput label={t('editor.nameEs')} lang="es" required {...form.getInputProps('nameEs')} />
          </Group>
          <MultiSelect
            label={t('taxes.groupRates')}
            description={t('taxes.groupRatesHint')}
            // A deactivated rate is offered only where the group already has it (HQ refuses adding one).
            data={rates.filter((r) => r.active !== false || editing?.rateIds.includes(r._id)).map((r) => ({ value: r._id, label: label(r) }))}
            searchable
            {...form.getInputProps('rateIds')}
          />
          {base && <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={creating.isLoading || saving.isLoading}>
              {base ? t('editor.save') : t('admin.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface RateValues {
  code: string;
  nameEn: string;
  nameEs: string;
  percent: string;
  compound: boolean;
  active: boolean;
}

function RateDialog({ editing, onClose }: { editing: TaxRate | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateTaxRateMutation();
  const [edit, saving] = useEditTaxRateMutation();
  // A rate is typed as a percentage with up to two decimals: exactly its basis points (16.5 -> 1650).
  const valuesOf = (r: TaxRate | null): RateValues =>
    r
      ? { code: r.code, nameEn: r.name.en, nameEs: r.name.es, percent: minorToText(r.rateBp, 2), compound: r.compound, active: r.active !== false }
      : { code: '', nameEn: '', nameEs: '', percent: '', compound: false, active: true };
  const form = useForm<RateValues>({
    initialValues: valuesOf(editing),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
      percent: (v) => {
        const bp = parseMoney(v, 2);
        return bp !== null && bp >= 0 && bp <= 1_000_000 ? null : t('taxes.badPercent');
      },
    },
  });
  const submit = form.onSubmit(async (v) => {
    const name = { en: v.nameEn.trim(), es: v.nameEs.trim() };
    const rateBp = parseMoney(v.percent, 2) ?? 0;
    const result = base ? await edit({ code: base.code, body: { _rev: base._rev ?? '', name, rateBp, compound: v.compound, active: v.active } }) : await create({ code: v.code.trim(), name, rateBp, compound: v.compound });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  const error = (base ? saving.error : creating.error) as ApiError | undefined;
  return (
    <Modal opened onClose={onClose} size="lg" title={<Text fw={700} size="lg">{base ? t('taxes.editRate', { code: base.code }) : t('taxes.newRate')}</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SaveError<TaxRate>
            error={error}
            onLoadTheirs={(current) => {
              setBase(current);
              form.setValues(valuesOf(current));
              saving.reset();
            }}
          />
          <TextInput label={t('admin.code')} required readOnly={Boolean(base)} {...form.getInputProps('code')} />
          <Group grow align="flex-start">
            <TextInput label={t('editor.nameEn')} lang="en" required {...form.getInputProps('nameEn')} />
            <TextInput label={t('editor.nameEs')} lang="es" required {...form.getInputProps('nameEs')} />
          </Group>
          <TextInput label={t('taxes.percent')} inputMode="decimal" required w={200} {...form.getInputProps('percent')} />
          <Switch size="md" label={t('taxes.compoundLabel')} description={t('taxes.compoundHint')} {...form.getInputProps('compound', { type: 'checkbox' })} />
          {base && <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={creating.isLoading || saving.isLoading}>
              {base ? t('editor.save') : t('admin.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function GroupCard({ group, rates, canEdit, onEdit, onDeactivate }: { group: TaxGroup; rates: TaxRate[]; canEdit: boolean; onEdit: () => void; onDeactivate: () => void }) {
  const t = useT();
  const lang = useLang();
  const own = ratesOf(group, rates);
  const label = useRateLabel();
  return (
    <Paper withBorder p="md" component="section" aria-label={group.name[lang]}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Title order={3} size="h4">
              {group.name[lang]}
            </Title>
            <Group gap="xs">
              <Text size="sm" c="dimmed" ff="monospace">
                {group.code}
              </Text>
              {group.active === false && <ActiveBadge active={false} />}
            </Group>
          </div>
          {canEdit && (
            <Button variant="light" h={44} leftSection={<IconPencil size={16} />} onClick={onEdit} aria-label={t('taxes.editGroup', { code: group.code })}>
              {t('admin.edit')}
            </Button>
          )}
        </Group>
        <Group gap={6} aria-label={t('taxes.groupRates')}>
          {own.length ? (
            own.map((r, i) => (
              <Badge key={r._id} size="lg" variant={r.compound ? 'filled' : 'light'} color={r.active === false ? 'gray' : undefined} tt="none">
                {`${i + 1}. ${label(r)}${r.active === false ? ` · ${t('admin.inactive')}` : ''}`}
              </Badge>
            ))
          ) : (
            <Text size="sm" c="dimmed">
              {t('taxes.noRates')}
            </Text>
          )}
        </Group>
        <LiveExample group={group} rates={own} />
        {canEdit && group.active !== false && (
          <Group justify="flex-end">
            <DeactivateButton code={group.code} onClick={onDeactivate} quiet />
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

export function TaxesView() {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const { can } = usePermissions();
  const canEdit = can('catalog.edit');
  // Fresh on every visit: others edit the catalog too.
  const groups = useTaxGroupsQuery(undefined, { refetchOnMountOrArgChange: true });
  const rates = useTaxRatesQuery(undefined, { refetchOnMountOrArgChange: true });
  const [groupDialog, setGroupDialog] = useState<{ editing: TaxGroup | null } | null>(null);
  const [rateDialog, setRateDialog] = useState<{ editing: TaxRate | null } | null>(null);
  const allRates = rates.data ?? [];
  const [deactivateGroup] = useDeactivateTaxGroupMutation();
  const [deactivateRate] = useDeactivateTaxRateMutation();
  const groupOff = useDeactivate<TaxGroup>((arg) => deactivateGroup(arg));
  const rateOff = useDeactivate<TaxRate>((arg) => deactivateRate(arg));
  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <Title order={1}>{t('taxes.title')}</Title>
        <Text c="dimmed">{t('taxes.description')}</Text>
      </Stack>
      <Group justify="space-between">
        <Title order={2}>{t('taxes.groups')}</Title>
        {canEdit && (
          <Button leftSection={<IconPlus size={18} />} onClick={() => setGroupDialog({ editing: null })}>
            {t('taxes.newGroup')}
          </Button>
        )}
      </Group>
      {(groups.isLoading || rates.isLoading) && <Loading />}
      {groups.error && <LoadError error={groups.error} onRetry={() => void groups.refetch()} />}
      {groups.data && rates.data && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {groups.data.map((g) => (
            <GroupCard key={g._id} group={g} rates={allRates} canEdit={canEdit} onEdit={() => setGroupDialog({ editing: g })} onDeactivate={() => groupOff.setTarget(g)} />
          ))}
        </SimpleGrid>
      )}
      <Group justify="space-between" mt="md">
        <Title order={2}>{t('taxes.rates')}</Title>
        {canEdit && (
          <Button leftSection={<IconPlus size={18} />} onClick={() => setRateDialog({ editing: null })}>
            {t('taxes.newRate')}
          </Button>
        )}
      </Group>
      {rates.error && <LoadError error={rates.error} onRetry={() => void rates.refetch()} />}
      {rates.data && (
        <Paper withBorder>
          <Table verticalSpacing="sm" aria-label={t('taxes.rates')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.code')}</Table.Th>
                <Table.Th>{t('admin.name')}</Table.Th>
                <Table.Th ta="right">{t('taxes.rate')}</Table.Th>
                <Table.Th>{t('taxes.compound')}</Table.Th>
                <Table.Th>{t('admin.status')}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rates.data.map((r) => (
                <Table.Tr key={r._id}>
                  <Table.Td ff="monospace">{r.code}</Table.Td>
                  <Table.Td>{r.name[lang]}</Table.Td>
                  <Table.Td ta="right">{f.percentBp(r.rateBp)}</Table.Td>
                  <Table.Td>{r.compound ? t('common.yes') : t('common.no')}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={r.active} />
                  </Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button variant="subtle" h={44} leftSection={<IconPencil size={16} />} onClick={() => setRateDialog({ editing: r })} aria-label={t('taxes.editRate', { code: r.code })}>
                          {t('admin.edit')}
                        </Button>
                        {r.active !== false && <DeactivateButton code={r.code} onClick={() => rateOff.setTarget(r)} />}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {groupDialog && <GroupDialog editing={groupDialog.editing} rates={allRates} onClose={() => setGroupDialog(null)} />}
      {rateDialog && <RateDialog editing={rateDialog.editing} onClose={() => setRateDialog(null)} />}
      <DeactivateConfirm off={groupOff} body={(g) => t('taxes.deactivateGroupBody', { name: g.name[lang] })} />
      <DeactivateConfirm off={rateOff} body={(r) => t('taxes.deactivateRateBody', { name: r.name[lang] })} />
    </Stack>
  );
}
