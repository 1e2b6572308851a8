// A store's configuration as its tills receive it (GET/PUT /stores/:id/config): time zone, currency,
// language, tax-inclusive pricing, cash rounding, variance alert, return window, and the receipt's header
// and footer. Saved whole, with the `_rev` it was read at (a stale save says so and offers the current
// one). Read-only without the "Provision stores" permission.
import { useState } from 'react';
import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { money, parseMoney } from '../../../../../shared/money';
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { Body, Result } from '../../api/routes';
import { LoadError, Loading } from '../../components/PageState';
import { SaveError } from '../../components/SaveError';
import { useT } from '../../i18n/useT';
import { minorDigits } from '../../lib/format';
import { useFormat } from '../../lib/hooks';
import { minorToText } from '../catalog/ProductEditor';
import { usePermissions } from '../session/permissions';

type ConfigAnswer = Result<'GET /api/v1/stores/:id/config'>;
type ConfigBody = Body<'PUT /api/v1/stores/:id/config'>;

const configApi = api.injectEndpoints({
  endpoints: (build) => ({
    storeConfig: build.query<ConfigAnswer, string>({
      query: (id) => hq('GET', '/api/v1/stores/:id/config', { id }),
      providesTags: (_r, _e, id) => [{ type: 'StoreConfig', id }],
    }),
    saveStoreConfig: build.mutation<ConfigAnswer, { id: string; body: ConfigBody }>({
      query: ({ id, body }) => ({ ...hq('PUT', '/api/v1/stores/:id/config', { id }), body }),
      invalidatesTags: (_r, _e, { id }) => [{ type: 'StoreConfig', id }, { type: 'Store', id }],
    }),
  }),
});

const ROUNDINGS = [0, 1, 5, 10, 50, 100];

interface Values {
  timeZone: string;
  currency: string;
  locale: 'en' | 'es';
  taxMode: 'exclusive' | 'inclusive';
  cashRounding: string;
  varianceAlert: string;
  returnDays: string;
  headerName: string;
  headerAddress: string;
  footerEn: string;
  footerEs: string;
}

function valuesOf(a: ConfigAnswer): Values {
  const c = a.config;
  const digits = minorDigits(c.currency);
  return {
    timeZone: c.timeZone,
    currency: c.currency,
    locale: c.locale,
    taxMode: c.taxMode,
    cashRounding: String(c.cashRounding),
    varianceAlert: minorToText(c.varianceAlert, digits),
    returnDays: String(c.returnDays),
    headerName: a.receiptHeader.name,
    headerAddress: a.receiptHeader.address,
    footerEn: a.receiptFooter.en,
    footerEs: a.receiptFooter.es,
  };
}

function ConfigForm({ code, initial, readOnly }: { code: string; initial: ConfigAnswer; readOnly: boolean }) {
  const t = useT();
  const f = useFormat();
  const [base, setBase] = useState(initial);
  const [save, saving] = configApi.useSaveStoreConfigMutation();
  const form = useForm<Values>({
    initialValues: valuesOf(initial),
    validate: {
      timeZone: (v) => (v.trim() ? null : t('editor.required')),
      currency: (v) => (/^[A-Z]{3}$/.test(v) ? null : t('tenders.badCurrency')),
      varianceAlert: (v, all) => ((parseMoney(v, minorDigits(all.currency)) ?? -1) >= 0 ? null : t('editor.notMoney')),
      returnDays: (v) => (/^[0-9]{1,4}$/.test(v) && Number(v) <= 3650 ? null : t('storeConfig.badDays')),
      headerName: (v) => (v.trim() ? null : t('editor.required')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const body: ConfigBody = {
      _rev: base.config._rev ?? '',
      timeZone: v.timeZone.trim(),
      currency: v.currency,
      locale: v.locale,
      taxMode: v.taxMode,
      cashRounding: money(Number(v.cashRounding)),
      varianceAlert: parseMoney(v.varianceAlert, minorDigits(v.currency)) ?? money(0),
      returnDays: Number(v.returnDays),
      receiptHeader: { name: v.headerName.trim(), address: v.headerAddress },
      receiptFooter: { en: v.footerEn, es: v.footerEs },
    };
    const result = await save({ id: code, body });
    if ('data' in result && result.data) {
      setBase(result.data);
      form.setValues(valuesOf(result.data));
      form.resetDirty(valuesOf(result.data));
      notifications.show({ color: 'green', message: t('storeConfig.saved', { code }) });
    }
  });
  // The 409 carries the configuration as GET answers it (hq/services/stores.ts configAnswer).
  const loadTheirs = (current: ConfigAnswer) => {
    setBase(current);
    form.setValues(valuesOf(current));
    saving.reset();
  };
  const digits = minorDigits(form.values.currency);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <SaveError<ConfigAnswer> error={saving.error} onLoadTheirs={loadTheirs} />
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <TextInput label={t('store.timeZone')} readOnly={readOnly} {...form.getInputProps('timeZone')} />
          <TextInput label={t('store.currency')} maxLength={3} readOnly={readOnly} {...form.getInputProps('currency')} />
          <Select label={t('store.language')} data={[{ value: 'en', label: 'English' }, { value: 'es', label: 'Español' }]} allowDeselect={false} readOnly={readOnly} {...form.getInputProps('locale')} />
          <Select
            label={t('store.taxMode')}
            data={[
              { value: 'exclusive', label: t('store.taxExclusive') },
              { value: 'inclusive', label: t('store.taxInclusive') },
            ]}
            allowDeselect={false}
            readOnly={readOnly}
            {...form.getInputProps('taxMode')}
          />
          <Select
            label={t('storeConfig.cashRounding')}
            data={ROUNDINGS.map((r) => ({ value: String(r), label: r === 0 ? t('storeConfig.noRounding') : f.money(r, form.values.currency) }))}
            allowDeselect={false}
            readOnly={readOnly}
            {...form.getInputProps('cashRounding')}
          />
          <TextInput label={t('storeConfig.varianceAlert', { currency: form.values.currency })} inputMode={digits ? 'decimal' : 'numeric'} readOnly={readOnly} {...form.getInputProps('varianceAlert')} />
          <TextInput label={t('storeConfig.returnDays')} inputMode="numeric" readOnly={readOnly} {...form.getInputProps('returnDays')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <Stack gap="sm">
            <TextInput label={t('storeConfig.headerName')} readOnly={readOnly} {...form.getInputProps('headerName')} />
            <Textarea label={t('storeConfig.headerAddress')} autosize minRows={2} readOnly={readOnly} {...form.getInputProps('headerAddress')} />
          </Stack>
          <Stack gap="sm">
            <Textarea label={t('storeConfig.footerEn')} lang="en" autosize minRows={2} readOnly={readOnly} {...form.getInputProps('footerEn')} />
            <Textarea label={t('storeConfig.footerEs')} lang="es" autosize minRows={2} readOnly={readOnly} {...form.getInputProps('footerEs')} />
          </Stack>
        </SimpleGrid>
        {!readOnly && (
          <Group justify="flex-end">
            <Button type="submit" loading={saving.isLoading} leftSection={<IconDeviceFloppy size={18} />}>
              {t('storeConfig.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

export function StoreConfigPanel({ code }: { code: string }) {
  const t = useT();
  const { can } = usePermissions();
  const config = configApi.useStoreConfigQuery(code, { refetchOnMountOrArgChange: true });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={t('storeConfig.title')}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('storeConfig.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {can('stores.provision') ? t('storeConfig.help') : t('storeConfig.readOnly')}
        </Text>
        {config.isLoading && <Loading />}
        {config.error && <LoadError error={config.error} onRetry={() => void config.refetch()} />}
        {config.data && <ConfigForm key={config.data.config._rev} code={code} initial={config.data} readOnly={!can('stores.provision')} />}
      </Stack>
    </Paper>
  );
}
