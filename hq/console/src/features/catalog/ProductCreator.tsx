// The product editor in create mode (the products page's "New product", at /catalog?new): SKU, names in both
// languages, barcodes, department, tax group (the department's by default), supplier, how it is sold, price,
// cost and whether it is sold, over POST /products. Only active departments, tax groups and suppliers are
// offered (HQ refuses a deactivated one anyway). A refusal is said at its field: a SKU in use (`sku_taken`),
// a barcode another product carries, a department or group deactivated meanwhile; once created, the editor
// opens on the new product. Amounts are typed as decimals and sent as integer minor units.
import { Alert, Button, Drawer, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { money, parseMoney } from '../../../../../shared/money';
import type { ApiError } from '../../api/types';
import { useT } from '../../i18n/useT';
import { minorDigits } from '../../lib/format';
import { useErrorText, useLang } from '../../lib/hooks';
import { useChainDefaults } from '../stores/storesApi';
import type { DepartmentNode } from './adminApi';
import { useCreateProductMutation, useDepartmentTreeQuery, useSuppliersQuery, useTaxGroupsQuery } from './adminApi';
import { CODE } from './CatalogList';
import { moneyError, ProductNames, ProductTerms } from './ProductEditor';
import type { SharedField, SharedValues } from './ProductEditor';

interface Values extends SharedValues {
  sku: string;
  departmentId: string | null;
  taxGroupId: string | null;
  supplierId: string | null;
  unit: 'each' | 'kg';
}

const EMPTY: Values = { sku: '', nameEn: '', nameEs: '', price: '', cost: '', barcodes: [], active: true, departmentId: null, taxGroupId: null, supplierId: null, unit: 'each' };

/** The active departments in tree order (one under a deactivated parent is still offered: it is itself active). */
function activeDepartments(nodes: readonly DepartmentNode[], depth = 0): Array<{ node: DepartmentNode; depth: number }> {
  return nodes.flatMap((node) => [...(node.active !== false ? [{ node, depth }] : []), ...activeDepartments(node.children, depth + 1)]);
}

const FIELD_OF: Record<string, keyof Values> = { sku_taken: 'sku', barcode_taken: 'barcodes', invalid_barcode: 'barcodes' };

export function ProductCreator({ onClose }: { onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { currency } = useChainDefaults();
  const digits = minorDigits(currency);
  const tree = useDepartmentTreeQuery(undefined, { refetchOnMountOrArgChange: true });
  const groups = useTaxGroupsQuery(undefined, { refetchOnMountOrArgChange: true });
  const suppliers = useSuppliersQuery(undefined, { refetchOnMountOrArgChange: true });
  const [create, creating] = useCreateProductMutation();
  // A refusal no field explains (HQ unreachable, a document HQ would not keep).
  const [general, setGeneral] = useState<ApiError | null>(null);
  const [groupPicked, setGroupPicked] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: {
      sku: (v) => (CODE.test(v.trim()) && v.trim().length <= 64 ? null : t('admin.badCode')),
      nameEn: (v) => (v.trim() ? null : t('editor.required')),
      nameEs: (v) => (v.trim() ? null : t('editor.required')),
      price: (v) => (moneyError(v, digits, false) ? t('editor.notMoney') : null),
      cost: (v) => (moneyError(v, digits, true) ? t('editor.notMoney') : null),
      departmentId: (v) => (v ? null : t('editor.required')),
      taxGroupId: (v) => (v ? null : t('editor.required')),
    },
  });

  const departments = activeDepartments(tree.data ?? []);
  const byId = new Map(departments.map(({ node }) => [node._id, node]));
  const activeGroups = (groups.data ?? []).filter((g) => g.active !== false);
  const chooseDepartment = (id: string | null) => {
    form.setFieldValue('departmentId', id);
    // The department's tax group, until the person picks one themselves.
    const own = id ? byId.get(id)?.taxGroupId : undefined;
    if (!groupPicked && own && activeGroups.some((g) => g._id === own)) form.setFieldValue('taxGroupId', own);
  };

  const submit = form.onSubmit(async (v) => {
    setGeneral(null);
    const sku = v.sku.trim();
    const cost = v.cost.trim() ? parseMoney(v.cost, digits) : null;
    const result = await create({
      sku,
      name: { en: v.nameEn.trim(), es: v.nameEs.trim() },
      barcodes: v.barcodes,
      departmentId: v.departmentId ?? '',
      taxGroupId: v.taxGroupId ?? '',
      ...(v.supplierId ? { supplierId: v.supplierId } : {}),
      price: parseMoney(v.price, digits) ?? money(0),
      ...(cost !== null ? { cost } : {}),
      unit: v.unit,
      active: v.active,
    });
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('creator.created', { sku }) });
      await navigate(`/catalog/${encodeURIComponent(sku)}`);
      return;
    }
    const err = ('error' in result ? result.error : undefined) as ApiError | undefined;
    if (!err) return;
    const named = err.details?.field;
    const field = FIELD_OF[err.code] ?? (typeof named === 'string' && named in EMPTY ? (named as keyof Values) : undefined);
    if (field) form.setFieldError(field, errorText(err));
    else setGeneral(err);
  });

  const input = (field: SharedField, checkbox?: boolean) => form.getInputProps(field, checkbox ? { type: 'checkbox' } : undefined);
  return (
    <Drawer opened onClose={onClose} position="right" size={720} title={<Text fw={700} size="lg">{t('creator.title')}</Text>} closeButtonProps={{ 'aria-label': t('editor.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {general && (
            <Alert color="red" icon={<IconAlertTriangle />} role="alert">
              {errorText(general)}
            </Alert>
          )}
          {/* Side by side fields line up at their inputs, whatever the length of their descriptions. */}
          <Group grow align="flex-end">
            <TextInput label={t('creator.sku')} description={t('admin.codeHint')} required autoFocus {...form.getInputProps('sku')} />
            <Select
              label={t('creator.unit')}
              description={t('creator.unitHint')}
              data={[
                { value: 'each', label: t('creator.each') },
                { value: 'kg', label: t('creator.kg') },
              ]}
              allowDeselect={false}
              {...form.getInputProps('unit')}
            />
          </Group>
          <ProductNames input={input} />
          <Select
            label={t('creator.department')}
            required
            searchable
            data={departments.map(({ node, depth }) => ({ value: node._id, label: `${'— '.repeat(depth)}${node.name[lang]} (${node.code})` }))}
            {...form.getInputProps('departmentId')}
            onChange={chooseDepartment}
          />
          <Group grow align="flex-end">
            <Select
              label={t('creator.taxGroup')}
              description={t('creator.taxGroupHint')}
              required
              searchable
              data={activeGroups.map((g) => ({ value: g._id, label: `${g.name[lang]} (${g.code})` }))}
              {...form.getInputProps('taxGroupId')}
              onChange={(id) => {
                setGroupPicked(true);
                form.setFieldValue('taxGroupId', id);
              }}
            />
            <Select
              label={t('creator.supplier')}
              placeholder={t('common.none')}
              clearable
              searchable
              data={(suppliers.data ?? []).filter((s) => s.active).map((s) => ({ value: s._id, label: `${s.name} (${s.code})` }))}
              {...form.getInputProps('supplierId')}
            />
          </Group>
          <ProductTerms input={input} currency={currency} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={creating.isLoading} leftSection={<IconPlus size={18} />}>
              {t('creator.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
