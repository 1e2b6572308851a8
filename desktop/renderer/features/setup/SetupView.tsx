// First run: the relay's URL (pre-filled with this page's origin when the relay serves the app) and a manager's
// username and PIN, or a six-digit pairing code; then the first sync's progress until the catalog is in.
import { Alert, Button, Card, Center, Group, Loader, PasswordInput, Progress, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { normaliseRelayUrl, type PairError } from '../../data/pairing';
import { SyncIndicator } from '../sync/SyncIndicator';
import { SecureAddressNotice } from './SecureAddressNotice';
import { pairTerminal } from './setupSlice';

function defaultRelayUrl(): string {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : '';
}

export function SetupView() {
  const phase = useAppSelector((s) => s.setup.phase);
  return (
    <Center mih="100vh" p="md" bg="gray.1">
      <Card withBorder shadow="sm" radius="md" p="xl" w={560} maw="100%">
        <Group justify="space-between" mb="md">
          <Title order={2}>Caja</Title>
          <LanguageSwitch />
        </Group>
        {phase === 'unpaired' ? <PairForm /> : phase === 'starting' ? <Loader /> : <FirstSync />}
      </Card>
    </Center>
  );
}

function PairForm() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { pairing, pairError } = useAppSelector((s) => s.setup);
  const [relay, setRelay] = useState(defaultRelayUrl);
  const [method, setMethod] = useState<'pin' | 'code'>('pin');
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [urlError, setUrlError] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const url = normaliseRelayUrl(relay);
    setUrlError(!url);
    if (!url) return;
    void dispatch(pairTerminal(url, method === 'pin' ? { username: username.trim().toLowerCase(), pin } : { code: code.trim() }, name));
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <div>
          <Title order={3}>{t('setup.title')}</Title>
          <Text c="dimmed">{t('setup.intro')}</Text>
        </div>
        <SecureAddressNotice />
        <TextInput label={t('setup.relayUrl')} description={t('setup.relayUrlHelp')} value={relay} onChange={(e) => setRelay(e.currentTarget.value)} error={urlError ? t('setup.relayUrlInvalid') : undefined} size="md" required />
        <SegmentedControl
          aria-label={t('setup.method')}
          value={method}
          onChange={(v) => setMethod(v === 'code' ? 'code' : 'pin')}
          data={[
            { value: 'pin', label: t('setup.withManager') },
            { value: 'code', label: t('setup.withCode') },
          ]}
          size="md"
        />
        {method === 'pin' ? (
          <Group grow align="flex-start">
            <TextInput label={t('setup.managerUsername')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" autoCapitalize="none" size="md" required />
            <PasswordInput label={t('setup.managerPin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" autoComplete="off" size="md" required />
          </Group>
        ) : (
          <TextInput label={t('setup.pairingCode')} description={t('setup.pairingCodeHelp')} value={code} onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))} inputMode="numeric" size="md" required />
        )}
        <TextInput label={t('setup.terminalName')} description={t('setup.terminalNameHelp')} value={name} onChange={(e) => setName(e.currentTarget.value)} size="md" />
        {pairError && <PairErrorAlert error={pairError} />}
        <Button type="submit" size="lg" leftSection={<IconPlugConnected />} loading={pairing}>
          {t('setup.pair')}
        </Button>
      </Stack>
    </form>
  );
}

const KNOWN_PAIR_ERRORS = ['network', 'invalid_credentials', 'user_locked', 'permission_denied', 'invalid_pairing_code', 'pairing_code_used', 'pairing_code_expired', 'pairing_throttled', 'not_provisioned', 'missing_credentials', 'too_many_terminals'] as const;
type KnownPairError = (typeof KNOWN_PAIR_ERRORS)[number];

function PairErrorAlert({ error }: { error: PairError }) {
  const { t } = useTranslation();
  const known = (KNOWN_PAIR_ERRORS as readonly string[]).includes(error.code) ? (error.code as KnownPairError) : null;
  return (
    <Alert color="red" title={t('setup.pairFailed')} role="alert">
      {known ? t(`setup.error.${known}`) : t('setup.error.other', { reason: error.reason })}
    </Alert>
  );
}

function FirstSync() {
  const { t } = useTranslation();
  const { progress, terminal } = useAppSelector((s) => s.setup);
  const state = useAppSelector((s) => s.sync.status.state);
  const written = progress?.written ?? 0;
  const total = progress?.total ?? null;
  const percent = total ? Math.min(99, Math.floor((written / Math.max(total, 1)) * 100)) : null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>{t('setup.firstSync')}</Title>
        <SyncIndicator />
      </Group>
      <Text>{t('setup.pairedAs', { terminal: terminal?.terminalId ?? '', store: terminal?.storeCode ?? '' })}</Text>
      <Progress value={percent ?? 5} animated size="xl" aria-label={t('setup.progress')} />
      <Text size="lg" fw={600} role="status">
        {percent === null ? t('setup.docsCopied', { count: written }) : t('setup.docsCopiedPercent', { count: written, percent })}
      </Text>
      {state === 'offline' && (
        <Alert color="orange" title={t('setup.waitingRelay')}>
          {t('setup.waitingRelayHelp')}
        </Alert>
      )}
      <Text c="dimmed" size="sm">
        {t('setup.firstSyncHelp')}
      </Text>
    </Stack>
  );
}
