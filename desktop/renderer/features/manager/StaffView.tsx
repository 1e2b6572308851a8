// Manager mode: the staff assigned to this store, from the terminal's replica (HQ assigns people to stores; a
// user document reaches only the stores the person works at). Shows each person's roles, discount limit and
// whether they can log in at the till (active, PIN set) — read only: people are managed at HQ.
import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { typePrefix } from '../../../../shared/model/ids';
import type { Role, StoreUser } from '../../../../shared/model/types';
import { useServices } from '../../app/servicesContext';
import { useAppSelector } from '../../app/store';
import { docsWithPrefix } from '../checkout/localDb';

export function StaffView() {
  const { t } = useTranslation();
  const lang = useAppSelector((s) => s.ui.lang);
  const storeCode = useAppSelector((s) => s.catalog.config?.storeId ?? null);
  const db = useServices().db;
  const [staff, setStaff] = useState<StoreUser[] | null>(null);
  const [roles, setRoles] = useState<Role[]>([]);

  useEffect(() => {
    if (!db) return;
    void Promise.all([docsWithPrefix<StoreUser>(db, typePrefix('user')), docsWithPrefix<Role>(db, typePrefix('role'))]).then(([users, rs]) => {
      setStaff(users.filter((u) => u.type === 'user' && u.storeId === storeCode).sort((a, b) => a.displayName.localeCompare(b.displayName)));
      setRoles(rs.filter((r) => r.type === 'role'));
    });
  }, [db, storeCode]);

  const roleName = (id: string) => roles.find((r) => r._id === id)?.name[lang] ?? id;
  return (
    <Paper withBorder p="sm" className="caja-scroll-page" component="section" aria-label={t('staff.title')}>
      <Title order={2}>{t('staff.title')}</Title>
      <Text c="dimmed" mb="sm">
        {t('staff.help')}
      </Text>
      <Table verticalSpacing="sm" aria-label={t('staff.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('staff.name')}</Table.Th>
            <Table.Th>{t('staff.username')}</Table.Th>
            <Table.Th>{t('staff.roles')}</Table.Th>
            <Table.Th ta="right">{t('staff.discountLimit')}</Table.Th>
            <Table.Th>{t('staff.till')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(staff ?? []).map((u) => (
            <Table.Tr key={u._id}>
              <Table.Td fw={600}>{u.displayName}</Table.Td>
              <Table.Td ff="monospace">{u.username}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {u.roles.map((r) => (
                    <Badge key={r} variant="light" style={{ textTransform: 'none' }}>
                      {roleName(r)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td ta="right">{(u.discountLimitBp / 100).toLocaleString(lang)} %</Table.Td>
              <Table.Td>
                {!u.active ? <Badge color="gray">{t('staff.inactive')}</Badge> : u.pin ? <Badge color="green">{t('staff.canLogIn')}</Badge> : <Badge color="orange">{t('staff.noPin')}</Badge>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {staff?.length === 0 && <Text c="dimmed">{t('staff.none')}</Text>}
    </Paper>
  );
}
