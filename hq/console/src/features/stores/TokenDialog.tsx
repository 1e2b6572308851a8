// The one moment a sync token is visible. HQ keeps only a hash of its secret and the console keeps it only
// in this dialog's props (never in Redux, storage or the URL), so closing the dialog or reloading the page
// loses it for good: the warning says so, and the copy button makes copying it right the easy path.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import type { IssuedToken } from '../../api/types';
import { useFormat } from '../../lib/hooks';

export function TokenDialog({ code, issued, timeZone, onClose }: { code: string; issued: IssuedToken; timeZone: string; onClose: () => void }) {
  const t = useT();
  const f = useFormat();
  return (
    <Modal
      opened
      onClose={onClose}
      title={<Text fw={700} size="lg">{t('provision.tokenDialogTitle', { code })}</Text>}
      size="lg"
      // Closing by a stray click outside would lose the token: only the buttons close this dialog.
      closeOnClickOutside={false}
    >
      <Stack gap="md">
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={t('provision.tokenWarningTitle')} role="alert">
          {t('provision.tokenWarning')}
        </Alert>
        <Textarea
          label={t('provision.tokenLabel')}
          value={issued.token}
          readOnly
          autosize
          minRows={3}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, wordBreak: 'break-all' } }}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Text size="sm" c="dimmed">
          {t('provision.tokenExpires', { time: f.dateTime(issued.expiresAt, timeZone) })} {t('provision.tokenUsage')} <Code style={{ whiteSpace: 'nowrap' }}>caja relay --token …</Code>
        </Text>
        <Group justify="space-between">
          <CopyButton value={issued.token} timeout={4000}>
            {({ copied, copy }) => (
              <Button color={copied ? 'teal' : 'blue'} leftSection={copied ? <IconCheck size={18} /> : <IconCopy size={18} />} onClick={copy}>
                {copied ? t('provision.copied') : t('provision.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={onClose}>
            {t('provision.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
