// The receipt printer's settings (manager mode): where it is (network, USB, a Windows printer), paper width,
// code page, cash drawer, paper-status check and timeout; find printers, print a test page before saving.
// Only the Electron shell drives a printer: in a browser the page says receipts go through the print dialog.
import { Alert, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPrinter, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_PRINTER_SETTINGS, RECEIPT_CODEPAGES, type DiscoveredPrinter, type HardwareError, type PrinterConnection, type PrinterSettings,
} from '../../../shared/ipc';
import { useServices } from '../../app/servicesContext';
import { useAppSelector } from '../../app/store';

type Transport = 'none' | PrinterConnection['transport'];

function connectionLabel(c: PrinterConnection): string {
  if (c.transport === 'network') return `${c.host}:${c.port}`;
  if (c.transport === 'usb') return `USB ${c.vendorId.toString(16).padStart(4, '0')}:${c.productId.toString(16).padStart(4, '0')}${c.serialNumber ? ` (${c.serialNumber})` : ''}`;
  return c.name;
}

export function PrinterView() {
  const { t } = useTranslation();
  const lang = useAppSelector((s) => s.ui.lang);
  const api = useServices().preload;
  const [settings, setSettings] = useState<PrinterSettings>(DEFAULT_PRINTER_SETTINGS);
  const [found, setFound] = useState<DiscoveredPrinter[]>([]);
  const [problem, setProblem] = useState<HardwareError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'scan' | 'test' | 'save'>(null);

  useEffect(() => {
    if (!api) return;
    void api.getPrinterSettings().then((r) => (r.ok ? setSettings(r.value) : setProblem(r.error)));
  }, [api]);

  if (!api) {
    return (
      <Paper withBorder p="md" maw={720} component="section" aria-label={t('printer.title')}>
        <Title order={2}>{t('printer.title')}</Title>
        <Alert mt="md" color="blue" title={t('printer.browserTitle')}>
          {t('printer.browserHelp')}
        </Alert>
      </Paper>
    );
  }

  const transport: Transport = settings.connection?.transport ?? 'none';
  const setTransport = (value: string) => {
    const next: PrinterConnection | null =
      value === 'network' ? { transport: 'network', host: '', port: 9100 } : value === 'none' ? null : (found.find((p) => p.connection.transport === value)?.connection ?? null);
    setSettings({ ...settings, connection: next });
  };
  const run = async <T,>(what: 'scan' | 'test' | 'save', call: () => Promise<{ ok: true; value: T } | { ok: false; error: HardwareError }>, done: (v: T) => void) => {
    setBusy(what);
    setProblem(null);
    setNotice(null);
    try {
      const r = await call();
      if (r.ok) done(r.value);
      else setProblem(r.error);
    } finally {
      setBusy(null);
    }
  };
  const probe = settings.connection?.transport === 'network' && settings.connection.host ? { probe: { host: settings.connection.host, port: settings.connection.port } } : {};

  return (
    <Paper withBorder p="md" maw={820} component="section" aria-label={t('printer.title')} className="caja-scroll-page">
      <Stack>
        <Title order={2}>{t('printer.title')}</Title>
        <SegmentedControl
          size="md"
          value={transport}
          onChange={setTransport}
          aria-label={t('printer.connection')}
          data={[
            { value: 'none', label: t('printer.none') },
            { value: 'network', label: t('printer.network') },
            { value: 'usb', label: 'USB' },
            { value: 'windows', label: 'Windows' },
          ]}
        />
        {settings.connection?.transport === 'network' && (
          <Group grow>
            <TextInput
              label={t('printer.host')}
              size="md"
              value={settings.connection.host}
              onChange={(e) => setSettings({ ...settings, connection: { transport: 'network', host: e.currentTarget.value.trim(), port: settings.connection?.transport === 'network' ? settings.connection.port : 9100 } })}
            />
            <NumberInput
              label={t('printer.port')}
              size="md"
              min={1}
              max={65535}
              value={settings.connection.port}
              onChange={(v) => settings.connection?.transport === 'network' && setSettings({ ...settings, connection: { ...settings.connection, port: Number(v) || 9100 } })}
            />
          </Group>
        )}
        <Group>
          <Button variant="default" h={44} leftSection={<IconSearch size={18} />} loading={busy === 'scan'} onClick={() => void run('scan', () => api.listPrinters(probe), (v) => setFound(v.printers))}>
            {t('printer.find')}
          </Button>
          {found.length > 0 && (
            <Select
              aria-label={t('printer.found')}
              placeholder={t('printer.found')}
              size="md"
              w={360}
              data={found.map((p, i) => ({ value: String(i), label: `${p.label} — ${connectionLabel(p.connection)}` }))}
              onChange={(v) => {
                const p = v === null ? undefined : found[Number(v)];
                if (p) setSettings({ ...settings, connection: p.connection });
              }}
            />
          )}
        </Group>
        {settings.connection && settings.connection.transport !== 'network' && (
          <Text>
            {t('printer.chosen')}: <b>{connectionLabel(settings.connection)}</b>
          </Text>
        )}
        <Group grow align="flex-start">
          <Select
            label={t('printer.paper')}
            size="md"
            value={String(settings.columns)}
            allowDeselect={false}
            data={[
              { value: '48', label: t('printer.paper80') },
              { value: '32', label: t('printer.paper58') },
            ]}
            onChange={(v) => setSettings({ ...settings, columns: v === '32' ? 32 : 48 })}
          />
          <Select
            label={t('printer.codepage')}
            size="md"
            value={settings.codepage}
            allowDeselect={false}
            data={RECEIPT_CODEPAGES.map((c) => ({ value: c, label: c === 'auto' ? t('printer.codepageAuto') : c }))}
            onChange={(v) => v && setSettings({ ...settings, codepage: v })}
          />
          <NumberInput label={t('printer.timeout')} size="md" min={500} max={30000} step={500} value={settings.timeoutMs} onChange={(v) => setSettings({ ...settings, timeoutMs: Number(v) || 3000 })} />
        </Group>
        <Checkbox size="md" label={t('printer.statusCheck')} checked={settings.statusCheck} onChange={(e) => setSettings({ ...settings, statusCheck: e.currentTarget.checked })} />
        <Group>
          <Checkbox size="md" label={t('printer.drawer')} checked={settings.drawer.enabled} onChange={(e) => setSettings({ ...settings, drawer: { ...settings.drawer, enabled: e.currentTarget.checked } })} />
          <SegmentedControl
            value={String(settings.drawer.pin)}
            onChange={(v) => setSettings({ ...settings, drawer: { ...settings.drawer, pin: v === '5' ? 5 : 2 } })}
            disabled={!settings.drawer.enabled}
            aria-label={t('printer.drawerPin')}
            data={[
              { value: '2', label: t('printer.pin', { n: 2 }) },
              { value: '5', label: t('printer.pin', { n: 5 }) },
            ]}
          />
        </Group>
        {problem && (
          <Alert color="red" role="alert" title={problem.message[lang]}>
            <Text size="sm" ff="monospace">
              {problem.code}: {problem.detail}
            </Text>
          </Alert>
        )}
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button
            variant="default"
            h={48}
            leftSection={<IconPrinter size={18} />}
            loading={busy === 'test'}
            disabled={!settings.connection}
            onClick={() => void run('test', () => api.testPrint({ settings, lang }), (v) => setNotice(t('printer.tested', { paper: t(`printer.paperStatus.${v.paper}`) })))}
          >
            {t('printer.test')}
          </Button>
          <Button h={48} loading={busy === 'save'} onClick={() => void run('save', () => api.setPrinterSettings(settings), (v) => (setSettings(v), setNotice(t('printer.saved'))))}>
            {t('printer.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
