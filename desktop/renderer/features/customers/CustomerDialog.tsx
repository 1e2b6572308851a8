// Attach a customer to the sale (F5): search by name, phone or e-mail in the local replica, or create one on
// the spot; works offline like everything at the till. A tax-exempt customer makes the sale tax-free.
import { Badge, Button, Divider, Group, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../app/errorText';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { customerChosen } from '../sale/saleSlice';
import { matchCustomers } from './customers';
import { createAndAttachCustomer, followCustomers, loadCustomers } from './customersSlice';

export function CustomerDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const errorText = useErrorText();
  const { list, saving, error } = useAppSelector((s) => s.customers);
  const attached = useAppSelector((s) => s.sale.cart.customer?.customerId ?? null);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({ name: '', phone: '', email: '' });

  useEffect(() => {
    void dispatch(loadCustomers());
    return dispatch(followCustomers());
  }, [dispatch]);

  const matches = useMemo(() => matchCustomers(list, query), [list, query]);
  const choose = (c: (typeof list)[number] | null) => {
    dispatch(customerChosen(c));
    onClose();
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await dispatch(createAndAttachCustomer(form))) onClose();
  };

  return (
    <Modal opened onClose={onClose} title={t('customer.title')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      {creating ? (
        <form onSubmit={(e) => void create(e)}>
          <Stack>
            <TextInput label={t('customer.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} size="lg" data-autofocus required />
            <TextInput label={t('customer.phone')} value={form.phone} onChange={(e) => setForm({ ...form, phone: e.currentTarget.value })} size="lg" inputMode="tel" />
            <TextInput label={t('customer.email')} value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} size="lg" type="email" />
            {error && (
              <Text c="red" role="alert">
                {errorText(error)}
              </Text>
            )}
            <Group grow>
              <Button variant="default" h={48} onClick={() => setCreating(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" h={48} loading={saving}>
                {t('customer.createAttach')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack>
          <TextInput
            label={t('customer.search')}
            placeholder={t('customer.searchHint')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            size="lg"
            data-autofocus
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0]) choose(matches[0]);
            }}
          />
          <ScrollArea.Autosize mah={320} type="auto">
            <Stack gap={6} role="listbox" aria-label={t('customer.results')}>
              {matches.length === 0 && <Text c="dimmed">{t('customer.none')}</Text>}
              {matches.map((c) => (
                <UnstyledButton key={c._id} className="caja-line" role="option" aria-selected={c._id === attached} data-active={c._id === attached || undefined} onClick={() => choose(c)}>
                  <Group justify="space-between" wrap="nowrap">
                    <div style={{ minWidth: 0 }}>
                      <Text fw={600} truncate="end">
                        {c.name}
                      </Text>
                      <Text size="sm" c="dimmed" truncate="end">
                        {[c.phone, c.email].filter(Boolean).join(' · ')}
                      </Text>
                    </div>
                    {c.taxExempt && <Badge color="grape">{t('customer.taxExempt')}</Badge>}
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
          <Divider />
          <Group grow>
            {attached && (
              <Button variant="default" color="red" h={48} onClick={() => choose(null)}>
                {t('customer.remove')}
              </Button>
            )}
            <Button variant="light" h={48} leftSection={<IconUserPlus size={18} />} onClick={() => setCreating(true)}>
              {t('customer.new')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
