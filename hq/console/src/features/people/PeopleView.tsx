// People: staff accounts with their HQ roles and store assignments; a drawer per person (route
// /people/:id) resets their till PIN and sets their roles in each store. Needs `users.manage`.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Drawer, Group, MultiSelect, Paper, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconUsersGroup } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../../../../shared/api/errors';
import type { PublicUser, RoleDoc, Store } from '../../api/types';
import { LoadError, Loading } from '../../components/PageState';
import { useErrorText, useLang } from '../../lib/hooks';
import { useStoresQuery } from '../stores/storesApi';
import { useResetPinMutation, useRolesQuery, useSetStoreRolesMutation, useUsersQuery } from './peopleApi';

const PIN = /^\d{4,6}$/;

function roleName(roles: readonly RoleDoc[] | undefined, id: string, lang: 'en' | 'es'): string {
  return roles?.find((r) => r._id === id)?.name[lang] ?? id.replace(/^role:/, '');
}

function PinReset({ user }: { user: PublicUser }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const [pin, setPin] = useState('');
  const [reset, resetting] = useResetPinMutation();
  const valid = PIN.test(pin);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    const result = await reset({ id: user.id, pin });
    if ('data' in result) {
      setPin('');
      notifications.show({ color: 'green', message: t('people.pinReset', { name: user.displayName }) });
    }
  };
  return (
    <Stack gap="sm" component="form" onSubmit={(e: FormEvent) => void submit(e)}>
      <Title order={3} size="h4">
        {t('people.pinTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('people.pinHelp')}
      </Text>
      {resetting.error && (
        <Alert color="red" role="alert">
          {errorText(resetting.error)}
        </Alert>
      )}
      <Group align="flex-end" gap="sm">
        <PasswordInput
          label={t('people.newPin')}
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={6}
          value={pin}
          onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
          error={pin && !valid ? errorMessage('invalid_pin', lang) : undefined}
          w={200}
        />
        <Button type="submit" leftSection={<IconKey size={18} />} disabled={!valid} loading={resetting.isLoading}>
          {t('people.resetPin')}
        </Button>
      </Group>
    </Stack>
  );
}

function StoreRoles({ user, stores, roles }: { user: PublicUser; stores: readonly Store[]; roles: readonly RoleDoc[] }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Record<string, string[]>>(() => ({ ...user.storeRoles }));
  const [save, saving] = useSetStoreRolesMutation();
  const options = roles.map((r) => ({ value: r._id, label: r.name[lang] }));
  const submit = async () => {
    const storeRoles = Object.fromEntries(Object.entries(draft).filter(([, ids]) => ids.length > 0));
    const result = await save({ id: user.id, storeRoles });
    if ('data' in result) notifications.show({ color: 'green', message: t('people.rolesSaved', { name: user.displayName }) });
  };
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('people.rolesTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('people.rolesHelp')}
      </Text>
      {saving.error && (
        <Alert color="red" role="alert">
          {errorText(saving.error)}
        </Alert>
      )}
      {stores.map((s) => (
        <MultiSelect
          key={s.code}
          label={t('people.rolesAt', { code: `${s.code} · ${s.name}` })}
          data={options}
          value={draft[s.code] ?? []}
          onChange={(ids) => setDraft((d) => ({ ...d, [s.code]: ids }))}
          clearable
          searchable
        />
      ))}
      <Group justify="flex-end">
        <Button loading={saving.isLoading} onClick={() => void submit()}>
          {t('people.saveRoles')}
        </Button>
      </Group>
    </Stack>
  );
}

export function PersonDrawer() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const users = useUsersQuery();
  const stores = useStoresQuery();
  const roles = useRolesQuery();
  const user = users.data?.find((u) => u.id === id);
  const close = () => void navigate('/people');
  return (
    <Drawer opened onClose={close} position="right" size="lg" title={<Text fw={700} size="lg">{user ? t('people.edit', { name: user.displayName }) : ''}</Text>} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {(users.isLoading || stores.isLoading || roles.isLoading) && <Loading />}
      {users.data && !user && <LoadError error={{ status: 404, code: 'user_not_found', reason: '' }} />}
      {user && stores.data && roles.data && (
        <Stack gap="xl">
          <PinReset user={user} />
          {/* Keyed by the person only: a PIN reset (which changes updatedAt) must not wipe role picks not yet saved. */}
          <StoreRoles key={user.id} user={user} stores={stores.data} roles={roles.data} />
        </Stack>
      )}
    </Drawer>
  );
}

export function PeopleView() {
  const t = useT();
  const lang = useLang();
  const users = useUsersQuery();
  const roles = useRolesQuery();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('people.title')}</Title>
        <Text c="dimmed">{t('people.description')}</Text>
      </div>
      {users.isLoading && <Loading />}
      {users.error && <LoadError error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" striped highlightOnHover aria-label={t('people.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('people.col.username')}</Table.Th>
                  <Table.Th>{t('people.col.name')}</Table.Th>
                  <Table.Th>{t('people.col.hqRoles')}</Table.Th>
                  <Table.Th>{t('people.col.stores')}</Table.Th>
                  <Table.Th>{t('people.col.pin')}</Table.Th>
                  <Table.Th>{t('people.col.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...users.data]
                  .sort((a, b) => a.username.localeCompare(b.username))
                  .map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/people/${u.id}`} fw={600} aria-label={t('people.edit', { name: u.displayName })} py={10} display="inline-block">
                          {u.username}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{u.displayName}</Table.Td>
                      <Table.Td>{u.roles.map((r) => roleName(roles.data, r, lang)).join(', ') || t('common.none')}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {Object.entries(u.storeRoles).map(([code, ids]) => (
                            <Badge key={code} variant="light" style={{ textTransform: 'none' }}>
                              {code}: {ids.map((r) => roleName(roles.data, r, lang)).join(', ')}
                            </Badge>
                          ))}
                          {Object.keys(u.storeRoles).length === 0 && (
                            <Text size="sm" c="dimmed">
                              {t('people.noStores')}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{u.hasPin ? t('people.pinSet') : t('people.pinMissing')}</Table.Td>
                      <Table.Td>
                        <Badge color={u.active ? 'green' : 'gray'} variant="light" style={{ textTransform: 'none' }}>
                          {u.active ? t('people.active') : t('people.inactive')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {users.data.length === 0 && (
            <Group justify="center" p="xl">
              <IconUsersGroup aria-hidden />
            </Group>
          )}
        </Paper>
      )}
      <Outlet />
    </Stack>
  );
}
