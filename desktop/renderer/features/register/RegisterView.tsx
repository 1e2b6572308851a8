// The register: open it with a counted float; while open, cash in and out with a reason, the X report (the
// shift's figures now, changing nothing) and the close, counting the drawer by denomination against what the
// figures expect.
import { Alert, Button, Group, NumberInput, Paper, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCashRegister, IconLockOpen, IconReportAnalytics } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { money } from '../../../../shared/money';
import { useErrorText } from '../../app/errorText';
import { useFormat } from '../../app/format';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { countedTotal } from './register';
import { closeShift, loadShift, loadX, moveCash, openShift, type XReport } from './registerSlice';

/** Notes and coins of a currency, in minor units, largest first (what a drawer count lists). */
const DENOMINATIONS: Record<string, number[]> = {
  MXN: [100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50],
  USD: [10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1],
  EUR: [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
};
const DEFAULT_DENOMINATIONS = [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1];

export function RegisterView() {
  const dispatch = useAppDispatch();
  const errorText = useErrorText();
  const { shift, error, lastClose } = useAppSelector((s) => s.register);

  useEffect(() => {
    void dispatch(loadShift()).then(() => dispatch(loadX()));
  }, [dispatch]);

  return (
    <Stack gap="sm" className="caja-register">
      {error && error.code !== 'approval_pending' && (
        <Alert color="red" role="alert">
          {errorText(error)}
        </Alert>
      )}
      {shift ? <OpenRegister /> : <ClosedRegister />}
      {!shift && lastClose && <CloseResult />}
    </Stack>
  );
}

function ClosedRegister() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const busy = useAppSelector((s) => s.register.busy);
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const float = fmt.parseMoney(text || '0');
    if (float === null || float < 0) return setBad(true);
    setBad(false);
    void dispatch(openShift(float));
  };
  return (
    <Paper withBorder p="lg" maw={520} component="section" aria-label={t('register.openTitle')}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={2}>{t('register.closedTitle')}</Title>
          <Text c="dimmed">{t('register.closedHelp')}</Text>
          <TextInput label={t('register.float')} value={text} onChange={(e) => setText(e.currentTarget.value)} inputMode="decimal" size="xl" error={bad ? t('register.amountInvalid') : undefined} data-autofocus />
          <Button type="submit" size="lg" h={56} leftSection={<IconLockOpen />} loading={busy}>
            {t('register.open')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function OpenRegister() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const { shift, x, busy } = useAppSelector((s) => s.register);
  if (!shift) return null;
  return (
    <>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t('register.openTitle')}</Title>
          <Text c="dimmed">{t('register.openedAt', { time: fmt.dateTime(shift.openedAt), float: fmt.money(shift.openingFloat) })}</Text>
        </div>
        <Button h={48} variant="default" leftSection={<IconReportAnalytics />} onClick={() => void dispatch(loadX())} loading={busy}>
          {t('register.xReport')}
        </Button>
      </Group>
      <div className="caja-register-grid">
        <Paper withBorder p="sm" component="section" aria-label={t('register.xReport')}>
          <Title order={3}>{t('register.xTitle')}</Title>
          {x ? <XFigures x={x} /> : <Text c="dimmed">{t('common.loading')}</Text>}
        </Paper>
        <Stack gap="sm">
          <CashMovementForm />
          <CloseForm />
        </Stack>
      </div>
    </>
  );
}

function XFigures({ x }: { x: XReport }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useAppSelector((s) => s.ui.lang);
  const tenders = useAppSelector((s) => s.catalog.tenders);
  const f = x.figures;
  const tenderName = (id: string) => tenders.find((tt) => tt._id === id)?.name[lang] ?? id;
  const rows: Array<[string, string]> = [
    [t('register.fig.sales', { count: f.salesCount }), fmt.money(f.salesTotal)],
    [t('register.fig.gross'), fmt.money(f.grossSales)],
    [t('register.fig.discounts'), fmt.money(f.discounts)],
    [t('register.fig.tax'), fmt.money(f.taxTotal)],
    ...f.tenders.map((tt): [string, string] => [`${tenderName(tt.tenderId)} (${tt.count})`, fmt.money(tt.amount)]),
    [t('register.fig.returns', { count: f.returnsCount }), fmt.money(f.returnsTotal)],
    [t('register.fig.voids', { count: f.voidsCount }), fmt.money(f.voidsTotal)],
    [t('register.fig.float'), fmt.money(f.openingFloat)],
    [t('register.fig.cashIn'), fmt.money(f.cashIn)],
    [t('register.fig.cashOut'), fmt.money(f.cashOut)],
  ];
  return (
    <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto">
      <Table verticalSpacing={4} aria-label={t('register.xTitle')}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td>{label}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {value}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td fw={700}>{t('register.fig.expectedCash')}</Table.Td>
            <Table.Td ta="right" fw={800} fz="lg" aria-label={t('register.fig.expectedCash')}>
              {fmt.money(f.expectedCash)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('register.xAt', { time: fmt.dateTime(x.at) })}
      </Text>
    </ScrollArea.Autosize>
  );
}

function CashMovementForm() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const busy = useAppSelector((s) => s.register.busy);
  const last = useAppSelector((s) => s.register.lastMovement);
  const [direction, setDirection] = useState<'in' | 'out'>('out');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = fmt.parseMoney(amount);
    if (m === null || m <= 0 || !reason.trim()) return setBad(true);
    setBad(false);
    void dispatch(moveCash(direction, m, reason.trim())).then((ok) => {
      if (ok) {
        setAmount('');
        setReason('');
      }
    });
  };
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('register.cashTitle')}>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3}>{t('register.cashTitle')}</Title>
          <SegmentedControl
            aria-label={t('register.direction')}
            value={direction}
            onChange={(v) => setDirection(v === 'in' ? 'in' : 'out')}
            data={[
              { value: 'out', label: t('register.cashOut') },
              { value: 'in', label: t('register.cashIn') },
            ]}
            size="sm"
          />
          <Group align="flex-end" wrap="nowrap" gap="xs">
            <TextInput label={t('register.amount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} inputMode="decimal" size="sm" w={120} error={bad ? t('register.amountInvalid') : undefined} />
            <TextInput label={t('register.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} size="sm" style={{ flex: 1 }} />
            <Button type="submit" h={44} leftSection={<IconCashRegister size={18} />} loading={busy}>
              {t('register.recordCash')}
            </Button>
          </Group>
          {last && (
            <Text size="sm" c="dimmed" role="status">
              {t(last.direction === 'in' ? 'register.cashInDone' : 'register.cashOutDone', { amount: fmt.money(last.amount), reason: last.reason })}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function CloseForm() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const fmt = useFormat();
  const currency = useAppSelector((s) => s.catalog.config?.currency ?? 'MXN');
  const { x, busy } = useAppSelector((s) => s.register);
  const denominations = DENOMINATIONS[currency] ?? DEFAULT_DENOMINATIONS;
  const [counts, setCounts] = useState<Record<string, number>>({});
  const total = countedTotal(counts);
  const expected = x?.figures.expectedCash ?? money(0);
  const variance = total - expected;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const counted = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    void dispatch(closeShift(counted));
  };
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('register.closeTitle')}>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3}>{t('register.closeTitle')}</Title>
          <SimpleGrid cols={4} spacing={6} verticalSpacing={4}>
            {denominations.map((d) => (
              <NumberInput
                key={d}
                label={fmt.money(d)}
                aria-label={t('register.countOf', { denomination: fmt.money(d) })}
                value={counts[String(d)] ?? ''}
                min={0}
                step={1}
                allowDecimal={false}
                allowNegative={false}
                size="sm"
                styles={{ label: { fontSize: 'var(--mantine-font-size-xs)' } }}
                hideControls
                onChange={(v) => setCounts((c) => ({ ...c, [String(d)]: typeof v === 'number' ? v : Number(v) || 0 }))}
              />
            ))}
          </SimpleGrid>
          <Group justify="space-between" wrap="nowrap" align="center">
            <Stack gap={0}>
              <Group gap="xs">
                <Text size="sm">{t('register.counted')}</Text>
                <Text fw={700} aria-label={t('register.counted')}>
                  {fmt.money(total)}
                </Text>
              </Group>
              <Group gap="xs">
                <Text size="sm">{t('register.variance')}</Text>
                <Text fw={700} c={variance === 0 ? 'green.8' : 'red.8'} aria-label={t('register.variance')}>
                  {fmt.money(variance)}
                </Text>
              </Group>
            </Stack>
            <Button type="submit" h={48} color="red" loading={busy}>
              {t('register.close')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function CloseResult() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const close = useAppSelector((s) => s.register.lastClose);
  if (!close) return null;
  return (
    <Alert color={close.alert ? 'red' : 'green'} title={t('register.closedDone')} role="status" maw={520}>
      <Text>{t('register.closeSummary', { counted: fmt.money(close.countedCash), expected: fmt.money(close.expectedCash), variance: fmt.money(close.variance) })}</Text>
      {close.alert && <Text fw={700}>{t('register.varianceAlert')}</Text>}
    </Alert>
  );
}
