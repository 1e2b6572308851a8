// Sales reps: the people a sale line may credit, with the commission they earn on it (basis points of the
// line's net amount, typed as a percentage with up to two decimals: 2.5 % is 250). A catalog list page
// (CatalogList.tsx) like tenders and suppliers; they reach every store's tills with the catalog. Deactivated,
// never deleted: past sale lines name them.
import { useState } from 'react';
import { Group, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { parseMoney } from '../../../../../shared/money';
import { useT } from '../../i18n/useT';
import { useFormat } from '../../lib/hooks';
import { minorToText } from './ProductEditor';
import type { SalesRep } from './adminApi';
import { useCreateSalesRepMutation, useDeactivateSalesRepMutation, useEditSalesRepMutation, useSalesRepsQuery } from './adminApi';
import { CatalogListPage, CODE, EditorModal } from './CatalogList';

interface Values {
  code: string;
  name: string;
  commission: string;
  active: boolean;
}

const valuesOf = (x: SalesRep | null): Values =>
  x ? { code: x.code, name: x.name, commission: minorToText(x.commissionBp, 2), active: x.active } : { code: '', name: '', commission: '', active: true };

/** A commission typed as a percentage ("2.5") in basis points (250), or null when it is not one from 0 to 100. */
function commissionBp(text: string): number | null {
  const bp = parseMoney(text, 2);
  return bp !== null && bp >= 0 && bp <= 10_000 ? bp : null;
}

function SalesRepDialog({ editing, onClose }: { editing: SalesRep | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState(editing);
  const [create, creating] = useCreateSalesRepMutation();
  const [edit, saving] = useEditSalesRepMutation();
  const form = useForm<Values>({
    initialValues: valuesOf(editing),
    validate: {
      code: (v) => (editing || CODE.test(v.trim()) ? null : t('admin.badCode')),
      name: (v) => (v.trim() ? null : t('editor.required')),
      commission: (v) => (commissionBp(v) === null ? t('salesReps.badCommission') : null),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const fields = { name: v.name.trim(), commissionBp: commissionBp(v.commission) ?? 0, active: v.active };
    const result = base ? await edit({ code: base.code, body: { _rev: base._rev ?? '', ...fields } }) : await create({ code: v.code.trim(), ...fields });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('admin.saved', { code: result.data.code }) });
      onClose();
    }
  });
  return (
    <EditorModal<SalesRep>
      title={base ? t('salesReps.editTitle', { code: base.code }) : t('salesReps.new')}
      isNew={!base}
      loading={creating.isLoading || saving.isLoading}
      error={base ? saving.error : creating.error}
      onLoadTheirs={(current) => {
        setBase(current);
        form.setValues(valuesOf(current));
        saving.reset();
      }}
      onSubmit={submit}
      onClose={onClose}
    >
      <Group grow align="flex-start">
        <TextInput label={t('admin.code')} required readOnly={Boolean(base)} description={base ? undefined : t('admin.codeHint')} {...form.getInputProps('code')} />
        <TextInput label={t('salesReps.commission')} description={t('salesReps.commissionHint')} inputMode="decimal" required {...form.getInputProps('commission')} />
      </Group>
      <TextInput label={t('admin.name')} required {...form.getInputProps('name')} />
      <Switch size="md" label={t('admin.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </EditorModal>
  );
}

export function SalesRepsView() {
  const t = useT();
  const f = useFormat();
  const reps = useSalesRepsQuery(undefined, { refetchOnMountOrArgChange: true });
  const [deactivate] = useDeactivateSalesRepMutation();
  return (
    <CatalogListPage<SalesRep>
      title={t('salesReps.title')}
      description={t('salesReps.description')}
      newLabel={t('salesReps.new')}
      empty={t('salesReps.empty')}
      list={reps}
      columns={[
        { header: t('admin.name'), cell: (x) => x.name },
        { header: t('salesReps.commission'), cell: (x) => f.percentBp(x.commissionBp), align: 'right' },
      ]}
      editLabel={(x) => t('salesReps.editTitle', { code: x.code })}
      deactivate={(arg) => deactivate(arg)}
      deactivateBody={(x) => t('salesReps.deactivateBody', { name: x.name })}
      dialog={(editing, onClose) => <SalesRepDialog editing={editing} onClose={onClose} />}
    />
  );
}
