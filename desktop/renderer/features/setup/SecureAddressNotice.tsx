// A till opened from the relay over plain http on the store LAN is not a "secure context" to the browser,
// which then withholds what working offline needs: the service worker (the app opening with the relay
// unreachable), persistent storage and installing the app. Loopback and the Electron shell are exempt. This
// notice says so, in the cashier's language, with the relay's HTTPS address when it serves one (its health
// answer gives the port: server-kit/tls.ts) and where to get the store certificate a device must trust first.
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Whether this page lacks a secure context (plain http to a LAN address). */
export function insecureOrigin(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext === false;
}

/** The relay's HTTPS address for this page, read from its health answer (null: none, or unknown yet). */
function useSecureAddress(enabled: boolean): string | null {
  const [address, setAddress] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    fetch(`${location.origin}/api/v1/health`, { signal: abort.signal })
      .then((res) => res.json() as Promise<{ httpsPort?: number | null }>)
      .then((body) => {
        if (typeof body.httpsPort === 'number') setAddress(`https://${location.hostname}:${body.httpsPort}${location.pathname}`);
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [enabled]);
  return address;
}

export function SecureAddressNotice({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const insecure = insecureOrigin();
  const secure = useSecureAddress(insecure);
  if (!insecure) return null;
  const body = (
    <Stack gap={4}>
      <Text size="sm">{t('setup.insecure')}</Text>
      {secure && (
        <>
          <Text size="sm">
            {t('setup.insecureOpen')}{' '}
            <Anchor href={secure} fw={700}>
              {secure}
            </Anchor>
          </Text>
          <Text size="sm">
            {t('setup.insecureCertificate')}{' '}
            <Anchor href={`${location.origin}/store-ca.crt`} download>
              {t('setup.insecureCertificateLink')}
            </Anchor>
          </Text>
        </>
      )}
    </Stack>
  );
  if (compact) return body;
  return (
    <Alert color="orange" variant="light" icon={<IconLockOpen />} title={t('setup.insecureTitle')} role="note">
      {body}
    </Alert>
  );
}
