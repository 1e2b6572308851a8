// The frame around the cashier's screens: the store and terminal, the always-visible sync indicator, the
// language switch and who is logged in on top; the screens on a rail at the left, each with its F-key.
import { AppShell, Badge, Button, Center, Group, Kbd, Loader, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconBuildingStore, IconCash, IconChartBar, IconDevices, IconPackage, IconPrinter, IconReportMoney, IconTruckDelivery, IconUsers, IconListDetails, IconLock, IconReceiptRefund, IconShoppingCart } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { JournalView } from '../features/journal/JournalView';
import { RegisterView } from '../features/register/RegisterView';
import { loadShift } from '../features/register/registerSlice';
import { ReturnsView } from '../features/returns/ReturnsView';
import { SaleView } from '../features/sale/SaleView';
import { loggedOut } from '../features/session/sessionSlice';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { LanguageSwitch } from './LanguageSwitch';
import { useAppDispatch, useAppSelector } from './store';
import { screenChosen, type Screen } from './uiSlice';

// Manager screens load on first use (their code, charts included, is about a third of the app): the till's start
// parses only what the PIN screen and the cashier's screens need. The service worker caches them all the same.
const DashboardView = lazy(() => import('../features/manager/DashboardView').then((m) => ({ default: m.DashboardView })));
const StaffView = lazy(() => import('../features/manager/StaffView').then((m) => ({ default: m.StaffView })));
const StockView = lazy(() => import('../features/stock/StockView').then((m) => ({ default: m.StockView })));
const TransfersView = lazy(() => import('../features/transfers/TransfersView').then((m) => ({ default: m.TransfersView })));
const DayCloseView = lazy(() => import('../features/manager/StoreServerViews').then((m) => ({ default: m.DayCloseView })));
const TerminalsView = lazy(() => import('../features/manager/StoreServerViews').then((m) => ({ default: m.TerminalsView })));
const PrinterView = lazy(() => import('../features/printer/PrinterView').then((m) => ({ default: m.PrinterView })));
const ReportsView = lazy(() => import('../features/reports/ReportsView').then((m) => ({ default: m.ReportsView })));

// Manager screens show for a user with the permission (the session keeps the user's resolved permissions).
const NAV: Array<{ screen: Screen; key: string; icon: ReactNode; label: 'nav.sale' | 'nav.journal' | 'nav.returns' | 'nav.register' | 'nav.dashboard' | 'nav.staff' | 'nav.stock' | 'nav.transfers' | 'nav.dayClose' | 'nav.terminals' | 'nav.printer' | 'reports.nav'; permission?: string }> = [
  { screen: 'sale', key: 'F1', icon: <IconShoppingCart size={22} />, label: 'nav.sale' },
  { screen: 'journal', key: 'F3', icon: <IconListDetails size={22} />, label: 'nav.journal' },
  { screen: 'returns', key: 'F4', icon: <IconReceiptRefund size={22} />, label: 'nav.returns' },
  { screen: 'register', key: 'F6', icon: <IconCash size={22} />, label: 'nav.register' },
  { screen: 'dashboard', key: 'alt+M', icon: <IconBuildingStore size={22} />, label: 'nav.dashboard', permission: 'reports.view' },
  { screen: 'staff', key: 'alt+U', icon: <IconUsers size={22} />, label: 'nav.staff', permission: 'reports.view' },
  { screen: 'stock', key: 'alt+S', icon: <IconPackage size={22} />, label: 'nav.stock', permission: 'inventory.adjust' },
  { screen: 'transfers', key: 'alt+R', icon: <IconTruckDelivery size={22} />, label: 'nav.transfers', permission: 'transfer.receive' },
  { screen: 'dayClose', key: 'alt+Z', icon: <IconReportMoney size={22} />, label: 'nav.dayClose', permission: 'reports.view' },
  { screen: 'reports', key: 'alt+E', icon: <IconChartBar size={22} />, label: 'reports.nav', permission: 'reports.view' },
  { screen: 'terminals', key: 'alt+T', icon: <IconDevices size={22} />, label: 'nav.terminals', permission: 'terminals.manage' },
  { screen: 'printer', key: 'alt+P', icon: <IconPrinter size={22} />, label: 'nav.printer', permission: 'terminals.manage' },
];

/** A shortcut as shown on its key cap: `alt+M` reads Alt+M. */
function keyLabel(key: string): string {
  return key.replace(/^alt\+/, 'Alt+');
}

export function Shell() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const screen = useAppSelector((s) => s.ui.screen);
  const user = useAppSelector((s) => s.session.user);
  const terminal = useAppSelector((s) => s.setup.terminal);
  const config = useAppSelector((s) => s.catalog.config);
  const shift = useAppSelector((s) => s.register.shift);
  const nav = NAV.filter((n) => !n.permission || (user?.permissions.includes(n.permission) ?? false));

  useEffect(() => {
    void dispatch(loadShift());
  }, [dispatch]);

  const lock = () => dispatch(loggedOut());
  // F-keys work in every field: a cashier's hands stay on the keyboard (tagsToIgnore: none).
  useHotkeys([...nav.map((n) => [n.key, () => dispatch(screenChosen(n.screen))] as [string, () => void]), ['alt+L', lock]], []);

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 132, breakpoint: 0 }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Text fw={800} size="xl" c="blue.7">
              Caja
            </Text>
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text fw={600} truncate="end">
                {config?.name ?? terminal?.storeCode}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {t('shell.terminal', { id: terminal?.terminalId ?? '' })}
                {' · '}
                {shift ? t('shell.registerOpen') : t('shell.registerClosed')}
              </Text>
            </Stack>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SyncIndicator />
            <LanguageSwitch />
            <Badge size="lg" variant="light" style={{ textTransform: 'none' }} aria-label={t('shell.cashier')}>
              {user?.displayName}
            </Badge>
            <Button variant="default" leftSection={<IconLock size={18} />} onClick={lock} h={44} rightSection={<Kbd size="xs">Alt+L</Kbd>}>
              {t('shell.lock')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6}>
        {/* Eight screens for a manager: the rail scrolls on a 768 px high till rather than cut the last ones off. */}
        <ScrollArea component="nav" aria-label={t('nav.label')} type="auto" scrollbarSize={6}>
          <Stack gap={4}>
            {nav.map((n) => (
              <UnstyledButton
                key={n.screen}
                onClick={() => dispatch(screenChosen(n.screen))}
                aria-current={screen === n.screen ? 'page' : undefined}
                className="caja-nav"
                data-active={screen === n.screen || undefined}
              >
                <Stack gap={1} align="center">
                  {n.icon}
                  <Text size="sm" fw={600} ta="center" lh={1.1} style={{ overflowWrap: 'anywhere' }}>
                    {t(n.label)}
                  </Text>
                  <Kbd size="xs">{keyLabel(n.key)}</Kbd>
                </Stack>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main className="caja-main">
        {screen === 'sale' && <SaleView />}
        {screen === 'journal' && <JournalView />}
        {screen === 'returns' && <ReturnsView />}
        {screen === 'register' && <RegisterView />}
        <Suspense fallback={<Center mt="xl"><Loader aria-label={t('common.loading')} /></Center>}>
          {screen === 'dashboard' && nav.some((n) => n.screen === 'dashboard') && <DashboardView />}
          {screen === 'staff' && nav.some((n) => n.screen === 'staff') && <StaffView />}
          {screen === 'stock' && nav.some((n) => n.screen === 'stock') && <StockView />}
          {screen === 'transfers' && nav.some((n) => n.screen === 'transfers') && <TransfersView />}
          {screen === 'dayClose' && nav.some((n) => n.screen === 'dayClose') && <DayCloseView />}
          {screen === 'terminals' && nav.some((n) => n.screen === 'terminals') && <TerminalsView />}
          {screen === 'printer' && nav.some((n) => n.screen === 'printer') && <PrinterView />}
          {screen === 'reports' && nav.some((n) => n.screen === 'reports') && <ReportsView />}
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
