// PIN login, every start, with or without network: pick who you are, type the PIN (keyboard or the on-screen
// pad). Wrong PINs count towards the lockout, and a locked user is told until when.
import { Alert, Button, Card, Center, Group, PasswordInput, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconBackspace, IconLogin, IconUser } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/format';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { SyncIndicator } from '../sync/SyncIndicator';
import { login, loginErrorCleared, loadUsers, type LoginError } from './sessionSlice';

export function LoginView() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { users, checking, error } = useAppSelector((s) => s.session);
  const config = useAppSelector((s) => s.catalog.config);
  const terminal = useAppSelector((s) => s.setup.terminal);
  const [username, setUsername] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Users arrive with the sync: a new cashier assigned at HQ appears without a restart.
    void dispatch(loadUsers());
  }, [dispatch]);

  const choose = (name: string) => {
    setUsername(name);
    setPin('');
    dispatch(loginErrorCleared());
    setTimeout(() => pinRef.current?.focus(), 0);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!username || !pin) return;
    void dispatch(login(username, pin)).then((ok) => {
      if (!ok) setPin('');
    });
  };

  const chosen = users.find((u) => u.username === username);

  return (
    <Center mih="100vh" p="md" bg="gray.1">
      <Card withBorder shadow="sm" radius="md" p="lg" w={760} maw="100%">
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <div>
            <Title order={2}>{config?.name ?? 'Caja'}</Title>
            <Text c="dimmed">{t('login.terminal', { id: terminal?.terminalId ?? '' })}</Text>
          </div>
          <Group wrap="nowrap">
            <SyncIndicator />
            <LanguageSwitch />
          </Group>
        </Group>
        <Group align="flex-start" grow wrap="nowrap" gap="lg">
          <Stack gap="xs">
            <Title order={3}>{t('login.who')}</Title>
            {users.length === 0 && <Text c="dimmed">{t('login.noUsers')}</Text>}
            <SimpleGrid cols={2} spacing="xs" role="group" aria-label={t('login.users')}>
              {users.map((u) => (
                <UnstyledButton key={u.userId} className="caja-tile" data-active={u.username === username || undefined} onClick={() => choose(u.username)} aria-pressed={u.username === username}>
                  <Group gap={8} wrap="nowrap">
                    <IconUser size={20} />
                    <Text fw={600} truncate="end">
                      {u.displayName}
                    </Text>
                  </Group>
                </UnstyledButton>
              ))}
            </SimpleGrid>
          </Stack>
          <form onSubmit={submit}>
            <Stack gap="xs">
              <Title order={3}>{chosen ? t('login.pinFor', { name: chosen.displayName }) : t('login.pin')}</Title>
              <PasswordInput
                ref={pinRef}
                label={t('login.pin')}
                value={pin}
                onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
                inputMode="numeric"
                autoComplete="off"
                size="lg"
                disabled={!username}
              />
              <PinPad disabled={!username} onDigit={(d) => setPin((p) => (p + d).slice(0, 12))} onBack={() => setPin((p) => p.slice(0, -1))} />
              {error && <LoginErrorAlert error={error} />}
              <Button type="submit" size="lg" leftSection={<IconLogin />} loading={checking} disabled={!username || !pin}>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Group>
      </Card>
    </Center>
  );
}

function PinPad({ onDigit, onBack, disabled }: { onDigit: (d: string) => void; onBack: () => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={3} spacing={6} role="group" aria-label={t('login.keypad')}>
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
        <Button key={d} variant="default" h={52} fz="xl" onClick={() => onDigit(d)} disabled={disabled} tabIndex={-1}>
          {d}
        </Button>
      ))}
      <span />
      <Button variant="default" h={52} fz="xl" onClick={() => onDigit('0')} disabled={disabled} tabIndex={-1}>
        0
      </Button>
      <Button variant="default" h={52} onClick={onBack} disabled={disabled} aria-label={t('login.backspace')} tabIndex={-1}>
        <IconBackspace />
      </Button>
    </SimpleGrid>
  );
}

function LoginErrorAlert({ error }: { error: LoginError }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  let text: string;
  if (error.reason === 'locked') text = error.lockedUntil ? t('login.lockedUntil', { time: fmt.time(new Date(error.lockedUntil).toISOString()) }) : t('login.locked');
  else if (error.reason === 'inactive') text = t('login.inactive');
  else text = t('login.wrongPin', { count: error.failuresLeft });
  return (
    <Alert color={error.reason === 'locked' ? 'red' : 'orange'} role="alert" title={error.reason === 'locked' ? t('login.lockedTitle') : t('login.refusedTitle')}>
      {text}
    </Alert>
  );
}
