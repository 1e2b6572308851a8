// Creates a store (POST /stores): code, name, address, time zone, currency, receipt language and how
// shelf prices carry tax. The new store is `pending` until its relay presents a sync token.
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { useNavigate } from 'react-router';
import { notifications } from '@mantine/notifications';
import type { StoreInput } from '../../api/types';
import { errorMessage } from '../../../../../shared/api/errors';
import { isStoreCode } from '../../../../../shared/model/ids';
import { useErrorText, useLang } from '../../lib/hooks';
import { useCreateStoreMutation } from './storesApi';

const CURRENCIES = ['MXN', 'USD', 'EUR', 'COP', 'CLP', 'PEN', 'ARS', 'GTQ', 'CAD'];

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['America/Mexico_City', 'America/Monterrey', 'America/Cancun', 'America/Tijuana', 'America/New_York', 'Europe/Madrid', 'UTC'];
  }
}

export function CreateStoreModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const lang = useLang();
  const [create, { isLoading, error }] = useCreateStoreMutation();
  const form = useForm<Required<StoreInput>>({
    mode: 'controlled',
    initialValues: { code: '', name: '', address: '', timeZone: 'America/Mexico_City', currency: 'MXN', locale: 'es', taxMode: 'inclusive' },
    validate: {
      code: (v) => (isStoreCode(v) ? null : errorMessage('invalid_store_code', lang)),
      name: (v) => (v.trim() ? null : t('createStore.required')),
    },
    transformValues: (v) => ({ ...v, code: v.code.trim().toUpperCase(), name: v.name.trim(), address: v.address.trim() }),
  });

  const submit = form.onSubmit(async (values) => {
    const result = await create(values);
    if ('data' in result && result.data) {
      notifications.show({ color: 'green', message: t('createStore.created', { code: result.data.code }) });
      onClose();
      void navigate(`/stores/${result.data.code}`);
    }
  });

  return (
    <Modal opened onClose={onClose} title={<Text fw={700} size="lg">{t('createStore.title')}</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert">
              {errorText(error)}
            </Alert>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={t('createStore.code')}
              description={t('createStore.codeHint')}
              required
              data-autofocus
              {...form.getInputProps('code')}
              onChange={(e) => form.setFieldValue('code', e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={t('createStore.name')} required {...form.getInputProps('name')} />
          </Group>
          <TextInput label={t('createStore.address')} {...form.getInputProps('address')} />
          <Group grow align="flex-start" wrap="wrap">
            <Select label={t('createStore.timeZone')} data={timeZones()} searchable allowDeselect={false} {...form.getInputProps('timeZone')} />
            <Select label={t('createStore.currency')} data={CURRENCIES} searchable allowDeselect={false} {...form.getInputProps('currency')} />
          </Group>
          <Group grow align="flex-start" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="store-locale-label">
                {t('createStore.language')}
              </Text>
              <SegmentedControl
                aria-labelledby="store-locale-label"
                data={[
                  { value: 'es', label: 'Español' },
                  { value: 'en', label: 'English' },
                ]}
                {...form.getInputProps('locale')}
              />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="store-tax-label">
                {t('createStore.taxMode')}
              </Text>
              <SegmentedControl
                aria-labelledby="store-tax-label"
                data={[
                  { value: 'inclusive', label: t('createStore.taxInclusive') },
                  { value: 'exclusive', label: t('createStore.taxExclusive') },
                ]}
                {...form.getInputProps('taxMode')}
              />
            </Stack>
          </Group>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isLoading}>
              {t('createStore.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
