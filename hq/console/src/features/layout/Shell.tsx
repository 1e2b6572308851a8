// The frame of every signed-in page: a header (menu button on narrow screens, language, the person and
// Sign out) and the navigation, which lists only what the person's permissions open to them.
import { AppShell, Burger, Button, Group, Menu, NavLink, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBinaryTree, IconBuildingStore, IconCash, IconChevronDown, IconAddressBook, IconDiscount, IconLayoutDashboard, IconLogout, IconPackage, IconPercentage, IconReceipt, IconReportAnalytics, IconTruck, IconUserDollar, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useT } from '../../i18n/useT';
import { Link, Outlet, useLocation } from 'react-router';
import { useAppSelector } from '../../app/hooks';
import { LanguageSwitch } from '../prefs/LanguageSwitch';
import { usePermissions } from '../session/permissions';
import { useSignOut } from '../session/useSignOut';

function Nav({ onNavigate }: { onNavigate: () => void }) {
  const t = useT();
  const { pathname } = useLocation();
  const { can } = usePermissions();
  const links: Array<{ to: string; label: string; icon: ReactNode; show: boolean }> = [
    { to: '/dashboard', label: t('dashboard.title'), icon: <IconLayoutDashboard size={20} aria-hidden />, show: can('reports.view') },
    { to: '/stores', label: t('nav.stores'), icon: <IconBuildingStore size={20} aria-hidden />, show: true },
    { to: '/catalog', label: t('nav.catalog'), icon: <IconPackage size={20} aria-hidden />, show: true },
    { to: '/departments', label: t('nav.departments'), icon: <IconBinaryTree size={20} aria-hidden />, show: true },
    { to: '/taxes', label: t('nav.taxes'), icon: <IconPercentage size={20} aria-hidden />, show: true },
    { to: '/tenders', label: t('nav.tenders'), icon: <IconCash size={20} aria-hidden />, show: true },
    { to: '/suppliers', label: t('nav.suppliers'), icon: <IconTruck size={20} aria-hidden />, show: true },
    { to: '/sales-reps', label: t('nav.salesReps'), icon: <IconUserDollar size={20} aria-hidden />, show: true },
    { to: '/specials', label: t('nav.specials'), icon: <IconDiscount size={20} aria-hidden />, show: true },
    { to: '/sales', label: t('nav.sales'), icon: <IconReceipt size={20} aria-hidden />, show: can('reports.view') },
    { to: '/reports', label: t('reports.title'), icon: <IconReportAnalytics size={20} aria-hidden />, show: can('reports.view') },
    { to: '/customers', label: t('nav.customers'), icon: <IconAddressBook size={20} aria-hidden />, show: can('customers.edit') },
    { to: '/people', label: t('nav.people'), icon: <IconUsers size={20} aria-hidden />, show: can('users.manage') },
  ];
  return (
    <Stack component="nav" aria-label={t('app.mainNavigation')} gap={4}>
      {links
        .filter((l) => l.show)
        .map((l) => {
          const active = pathname === l.to || pathname.startsWith(`${l.to}/`);
          return (
            <NavLink key={l.to} component={Link} to={l.to} label={l.label} leftSection={l.icon} active={active} aria-current={active ? 'page' : undefined} onClick={onNavigate} variant="light" fw={500} />
          );
        })}
    </Stack>
  );
}

export function Shell() {
  const t = useT();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { signOut } = useSignOut();
  const username = useAppSelector((s) => s.session.current?.username ?? '');
  const { me } = usePermissions();
  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="md" aria-label={t('app.toggleNavigation')} />
            <a href="#main" className="skip-link">
              {t('app.skipToContent')}
            </a>
            <Text component={Link} to="/" fw={800} size="xl" c="blue.8" style={{ textDecoration: 'none' }}>
              {t('app.title')}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={t('app.signedInAs', { name: me?.user.displayName ?? username })} mih={44} px="xs">
                  <Group gap={6} wrap="nowrap">
                    <Text fw={600} size="sm" visibleFrom="xs">
                      {me?.user.displayName ?? username}
                    </Text>
                    <IconChevronDown size={16} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('app.signedInAs', { name: username })}</Menu.Label>
                <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
                  {t('app.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Nav onNavigate={close} />
        <VisuallyHidden>
          <Button onClick={() => void signOut()}>{t('app.signOut')}</Button>
        </VisuallyHidden>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
