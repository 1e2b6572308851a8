// Manager mode's screens that go through the store server: the day close (Z) with its preview, the period
// close (ZZ), and the paired terminals with pairing codes. Each opens a relay session with the manager's PIN
// first; with the store server down they say so, and selling goes on.
import { Alert, Badge, Button, Group, Modal, Paper, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceDesktop, IconLock, IconPlugConnectedX, IconReportMoney } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegisterFigures } from '../../../../shared/pos/register';
import { businessDate } from '../../../../shared/pos/clock';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { closeDay, issuePairingCode, loadDay, loadTerminals, loadZZ, signInToStoreServer, unpairTerminal } from './storeServerSlice';

/** Asks for the manager's PIN when there is no relay session, then shows its children. */
export function StoreServerGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { session, busy } = useAppSelector((s) => s.storeServer);
  const username = useAppSelector((s) => s.session.user?.username ?? '');
  const [pin, setPin] = useState('');
  if (session && session.username === username) return <>{children}</>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void dispatch(signInToStoreServer(pin)).then(() => setPin(''));
  };
  return (
    <Paper withBorder p="md" maw={520} component="section" aria-label={t('storeServer.signIn')}>
      <form onSubmit={submit}>
        <Stack>
          <Group gap="xs">
            <IconLock />
            <Title order={2} size="h3">
              {t('storeServer.signIn')}
            </Title>
          </Group>
          <Text c="dimmed">{t('storeServer.signInHelp', { username })}</Text>
          <PasswordInput label={t('storeServer.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" size="lg" data-autofocus autoComplete="off" />
          <ErrorLine />
          <Button type="submit" h={48} loading={busy} disabled={pin.length < 4}>
            {t('storeServer.continue')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function ErrorLine() {
  const lang = useAppSelector((s) => s.ui.lang);
  const error = useAppSelector((s) => s.storeServer.error);
  if (!error || error.code === 'no_session') return null;
  return (
    <Alert color="red" role="alert" icon={error.code === 'network' ? <IconPlugConnectedX /> : undefined}>
      {error.message[lang]}
    </Alert>
  );
}

/** The figures of an X/Z/ZZ: sales, tax, tenders, returns, voids and the cash. */
function Figures({ figures, label, extra = [] }: { figures: RegisterFigures; label: string; extra?: Array<[string, string]> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useAppSelector((s) => s.ui.lang);
  const tenders = useAppSelector((s) => s.catalog.tenders);
  const tenderName = (id: string) => tenders.find((x) => x._id === id)?.name[lang] ?? id;
  const rows: Array<[string, string]> = [
    [t('register.fig.sales', { count: figures.salesCount }), fmt.money(figures.salesTotal)],
    [t('register.fig.gross'), fmt.money(figures.grossSales)],
    [t('register.fig.discounts'), fmt.money(figures.discounts)],
    ...figures.taxes.map((x): [string, string] => [`${t('register.fig.tax')} ${x.code} (${fmt.money(x.basis)})`, fmt.money(x.amount)]),
    ...figures.tenders.map((x): [string, string] => [`${tenderName(x.tenderId)} (${x.count})`, fmt.money(x.amount)]),
    [t('register.fig.returns', { count: figures.returnsCount }), fmt.money(figures.returnsTotal)],
    [t('register.fig.voids', { count: figures.voidsCount }), fmt.money(figures.voidsTotal)],
    [t('register.fig.float'), fmt.money(figures.openingFloat)],
    [t('register.fig.cashIn'), fmt.money(figures.cashIn)],
    [t('register.fig.cashOut'), fmt.money(figures.cashOut)],
    [t('register.fig.expectedCash'), fmt.money(figures.expectedCash)],
    ...extra,
  ];
  return (
    <Table verticalSpacing={4} aria-label={label}>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Td>{name}</Table.Td>
            <Table.Td ta="right" fw={600}>
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function DayCloseView() {
  return (
    <div className="caja-scroll-page">
      <StoreServerGate>
        <DayClose />
      </StoreServerGate>
    </div>
  );
}

function DayClose() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const timeZone = useAppSelector((s) => s.catalog.config?.timeZone ?? 'UTC');
  const { day, zz, busy } = useAppSelector((s) => s.storeServer);
  const today = businessDate(new Date(), timeZone);
  const [date, setDate] = useState(today);
  const [from, setFrom] = useState(today.slice(0, 8) + '01');
  const [to, setTo] = useState(today);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    void dispatch(loadDay(today));
  }, [dispatch, today]);

  const z = day?.closed ? (day.zreport.totals as unknown as RegisterFigures & { countedCash: number; variance: number }) : null;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
      <Paper withBorder p="sm" component="section" aria-label={t('dayClose.title')}>
        <Stack gap="xs">
          <Group justify="space-between" align="flex-end">
            <Title order={2}>{t('dayClose.title')}</Title>
            <Group gap="xs" align="flex-end">
              <TextInput label={t('dayClose.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} w={150} size="md" />
              <Button variant="default" h={44} onClick={() => void dispatch(loadDay(date))} loading={busy}>
                {t('dayClose.show')}
              </Button>
            </Group>
          </Group>
          <ErrorLine />
          {day && !day.closed && (
            <>
              <Badge color="orange" size="lg" style={{ textTransform: 'none' }}>
                {t('dayClose.open', { date: day.businessDate, count: day.preview.openShiftIds.length })}
              </Badge>
              <Figures figures={day.preview.figures as unknown as RegisterFigures} label={t('dayClose.preview')} />
              <Button color="red" h={52} leftSection={<IconReportMoney />} onClick={() => setConfirming(true)}>
                {t('dayClose.close', { date: day.businessDate })}
              </Button>
            </>
          )}
          {day?.closed && z && (
            <>
              <Badge color="green" size="lg" style={{ textTransform: 'none' }}>
                {t('dayClose.closed', { date: day.businessDate, time: fmt.dateTime(day.zreport.createdAt) })}
              </Badge>
              <Figures
                figures={z}
                label={t('dayClose.z')}
                extra={[
                  [t('dayClose.counted'), fmt.money(z.countedCash)],
                  [t('dayClose.variance'), fmt.money(z.variance)],
                ]}
              />
            </>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-label={t('dayClose.zzTitle')}>
        <Stack gap="xs">
          <Title order={2}>{t('dayClose.zzTitle')}</Title>
          <Group align="flex-end" gap="xs">
            <TextInput label={t('dayClose.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={150} size="md" />
            <TextInput label={t('dayClose.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} w={150} size="md" />
            <Button variant="default" h={44} onClick={() => void dispatch(loadZZ(from, to))} loading={busy}>
              {t('dayClose.zzShow')}
            </Button>
          </Group>
          {zz && (
            <>
              <Text c="dimmed">{t('dayClose.zzDays', { count: zz.days, from: zz.from ?? from, to: zz.to ?? to })}</Text>
              <Figures
                figures={zz.figures as unknown as RegisterFigures}
                label={t('dayClose.zzTitle')}
                extra={[
                  [t('dayClose.counted'), fmt.money(zz.countedCash)],
                  [t('dayClose.variance'), fmt.money(zz.variance)],
                ]}
              />
            </>
          )}
        </Stack>
      </Paper>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('dayClose.confirmTitle')} centered closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
        <Stack>
          <Text>{t('dayClose.confirmText', { date: day?.businessDate ?? date })}</Text>
          <Group grow>
            <Button variant="default" h={48} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              h={48}
              loading={busy}
              onClick={() => void dispatch(closeDay(day?.businessDate ?? date)).then(() => setConfirming(false))}
            >
              {t('dayClose.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SimpleGrid>
  );
}

export function TerminalsView() {
  return (
    <div className="caja-scroll-page">
      <StoreServerGate>
        <Terminals />
      </StoreServerGate>
    </div>
  );
}

function Terminals() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const { terminals, pairingCode, busy } = useAppSelector((s) => s.storeServer);
  const self = useAppSelector((s) => s.setup.terminal?.terminalId ?? null);
  const [unpairing, setUnpairing] = useState<string | null>(null);

  useEffect(() => {
    void dispatch(loadTerminals());
  }, [dispatch]);

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('terminals.title')}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2}>{t('terminals.title')}</Title>
          <Button h={44} leftSection={<IconDeviceDesktop size={18} />} onClick={() => void dispatch(issuePairingCode())} loading={busy}>
            {t('terminals.newCode')}
          </Button>
        </Group>
        <ErrorLine />
        {pairingCode && (
          <Alert color="blue" title={t('terminals.codeTitle')}>
            <Text fz={40} fw={800} ff="monospace" lts={6} aria-label={t('terminals.codeTitle')}>
              {pairingCode.code}
            </Text>
            <Text size="sm">{t('terminals.codeHelp', { time: fmt.time(pairingCode.expiresAt) })}</Text>
          </Alert>
        )}
        <Table verticalSpacing="sm" aria-label={t('terminals.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('terminals.id')}</Table.Th>
              <Table.Th>{t('terminals.name')}</Table.Th>
              <Table.Th>{t('terminals.pairedAt')}</Table.Th>
              <Table.Th>{t('terminals.state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {terminals.map((x) => (
              <Table.Tr key={x.terminalId}>
                <Table.Td fw={600}>{x.terminalId}</Table.Td>
                <Table.Td>
                  {x.name} {x.terminalId === self && <Badge variant="light">{t('terminals.thisOne')}</Badge>}
                </Table.Td>
                <Table.Td>{fmt.dateTime(x.pairedAt)}</Table.Td>
                <Table.Td>{x.active ? <Badge color="green">{t('terminals.active')}</Badge> : <Badge color="gray">{t('terminals.unpaired')}</Badge>}</Table.Td>
                <Table.Td ta="right">
                  {x.active && x.terminalId !== self && (
                    <Button variant="light" color="red" h={44} onClick={() => setUnpairing(x.terminalId)}>
                      {t('terminals.unpair')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <Modal opened={unpairing !== null} onClose={() => setUnpairing(null)} title={t('terminals.unpairTitle')} centered closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
        <Stack>
          <Text>{t('terminals.unpairText', { id: unpairing ?? '' })}</Text>
          <Group grow>
            <Button variant="default" h={48} onClick={() => setUnpairing(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" h={48} loading={busy} onClick={() => unpairing && void dispatch(unpairTerminal(unpairing)).then(() => setUnpairing(null))}>
              {t('terminals.unpair')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
