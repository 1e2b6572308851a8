// What a page shows while loading, when it failed, or when the person may not see it.
import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useT } from '../i18n/useT';
import { Link, useRouteError } from 'react-router';
import type { SerializedError } from '@reduxjs/toolkit';
import type { Permission } from '../../../../shared/auth/permissions';
import { permissionLabel } from '../../../../shared/auth/permissions';
import type { ApiError } from '../api/types';
import { useErrorText, useLang } from '../lib/hooks';

export function Loading() {
  const t = useT();
  return (
    <Center p="xl" role="status">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

export function LoadError({ error, onRetry }: { error: ApiError | SerializedError | undefined; onRetry?: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  return (
    <Alert color="red" icon={<IconAlertTriangle />} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text>{errorText(error)}</Text>
        {onRetry && (
          <Button variant="white" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function Forbidden({ permission }: { permission: Permission }) {
  const t = useT();
  const lang = useLang();
  return (
    <Stack align="center" p="xl" gap="md">
      <IconLock size={48} stroke={1.5} aria-hidden />
      <Title order={1}>{t('page.forbidden')}</Title>
      <Text>{t('page.forbiddenBody', { permission: permissionLabel(permission, lang) })}</Text>
    </Stack>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <Stack align="center" p="xl" gap="md">
      <Title order={1}>{t('page.notFound')}</Title>
      <Text>{t('page.notFoundBody')}</Text>
      <Button component={Link} to="/stores">
        {t('page.goHome')}
      </Button>
    </Stack>
  );
}

/** A screen that crashed: said plainly, with a way back, instead of the router's developer page. */
export function RouteError() {
  const t = useT();
  const error = useRouteError();
  return (
    <Stack align="center" p="xl" gap="md" role="alert">
      <IconAlertTriangle size={48} stroke={1.5} aria-hidden />
      <Title order={1}>{t('page.crashed')}</Title>
      <Text c="dimmed" ff="monospace" size="sm">
        {error instanceof Error ? error.message : String(error)}
      </Text>
      <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>
    </Stack>
  );
}
