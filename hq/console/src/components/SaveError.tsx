// What a failed save says inside an editor. A stale edit (409 `stale_edit`: someone saved this record after
// the editor opened) is its own alert, with their version one click away, so nobody overwrites it without
// seeing it; any other refusal is the API's message in the person's language.
import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { SerializedError } from '@reduxjs/toolkit';
import type { ApiError } from '../api/types';
import { useT } from '../i18n/useT';
import { useErrorText } from '../lib/hooks';

/** The current version a 409 `stale_edit` carries, or null for any other outcome. */
export function staleCurrent<T>(error: ApiError | SerializedError | undefined): T | null {
  if (!error || !('code' in error) || error.code !== 'stale_edit' || !('details' in error)) return null;
  const current = error.details?.current;
  return current && typeof current === 'object' ? (current as T) : null;
}

export function SaveError<T>({ error, onLoadTheirs }: { error: ApiError | SerializedError | undefined; onLoadTheirs: (current: T) => void }) {
  const t = useT();
  const errorText = useErrorText();
  if (!error) return null;
  const current = staleCurrent<T>(error);
  if (current) {
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title={t('editor.staleTitle')} role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('admin.staleBody')}</Text>
          <Button variant="white" color="red" onClick={() => onLoadTheirs(current)}>
            {t('admin.loadTheirs')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" icon={<IconAlertTriangle />} role="alert">
      {errorText(error)}
    </Alert>
  );
}
