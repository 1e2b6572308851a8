// Sign in with an HQ account (POST /auth/login). The tokens go into the session; a person who followed a deep
// link (RequireSession kept it as `from`) lands back there, anyone else on `/`, the dashboard, which sends
// them to the first page their permissions show.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconLogin2 } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useErrorText } from '../../lib/hooks';
import { LanguageSwitch } from '../prefs/LanguageSwitch';
import { useLoginMutation } from './sessionApi';
import { sessionFrom, signedIn } from './sessionSlice';

/** Where to go once signed in: the deep link kept, when it is a page of this console, else `/`. */
function landing(from: unknown): string {
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export function LoginView() {
  const t = useT();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const location = useLocation();
  const errorText = useErrorText();
  const session = useAppSelector((s) => s.session);
  const [login, { isLoading, error }] = useLoginMutation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const from = landing((location.state as { from?: unknown } | null)?.from);

  if (session.current) return <Navigate to={from} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim();
    const result = await login({ username: name, password });
    if ('data' in result && result.data) {
      dispatch(signedIn(sessionFrom(name, result.data, Date.now())));
      void navigate(from, { replace: true });
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={420}>
        <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2" id="login-title">
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('login.subtitle')}
              </Text>
            </div>
            {session.endedBecause === 'expired' && !error && (
              <Alert color="yellow" icon={<IconAlertCircle />} role="status">
                {t('login.expired')}
              </Alert>
            )}
            {error && (
              <Alert color="red" icon={<IconAlertCircle />} role="alert">
                {errorText(error)}
              </Alert>
            )}
            <TextInput label={t('login.username')} autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={isLoading} leftSection={<IconLogin2 size={18} />} fullWidth>
              {t('login.submit')}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
