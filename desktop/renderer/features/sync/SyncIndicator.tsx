// Always on screen: is the till connected to its relay, syncing or offline; how many documents wait to go up;
// when it last synced; the reason the relay gave for the latest document it refused; and, in the details, every
// warning that needs a manager (refused documents, storage the browser may evict, a quota running out, a page
// opened over plain http on the LAN, where the browser withholds working offline). Reasons
// are said in the till's language by their code (data/refusals.ts, shared/api/errors.ts); the relay's own English
// text shows only for a code this build does not know. Selling never waits for any of it.
import { Badge, Group, List, Popover, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconCloudCheck, IconCloudOff, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ERRORS, isErrorCode } from '../../../../shared/api/errors';
import type { Refusal, SyncStatus } from '../../data/syncService';
import type { RefusalCode } from '../../data/refusals';
import { useFormat } from '../../app/format';
import { useAppSelector } from '../../app/store';
import type { Lang } from '../../app/uiSlice';
import { QUOTA_WARNING } from './syncSlice';
import { SecureAddressNotice, insecureOrigin } from '../setup/SecureAddressNotice';

/** Why a document was refused, in the till's language (the relay's text only for an unknown code). */
function useRefusalText(): (r: Refusal) => string {
  const { t } = useTranslation();
  // The key is typed (a code of data/refusals.ts); its parameters come with the refusal at run time.
  const byCode = t as unknown as (key: `sync.refusal.${RefusalCode}`, options: Record<string, string>) => string;
  return (r) => (r.code ? byCode(`sync.refusal.${r.code}`, r.params) : r.reason);
}

/** Why the relay refuses this terminal: the error table's message for its code, else the relay's text. */
function relayErrorText(status: SyncStatus, lang: Lang): string {
  if (status.errorCode && isErrorCode(status.errorCode)) return ERRORS[status.errorCode].message[lang].replace(/\.$/, '');
  return status.error ?? '';
}

export function SyncIndicator() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const refusalText = useRefusalText();
  const { status, refused, storage } = useAppSelector((s) => s.sync);
  const color = status.state === 'connected' ? 'green' : status.state === 'syncing' || status.state === 'connecting' ? 'blue' : status.state === 'offline' ? 'orange' : 'red';
  const icon = status.state === 'connected' ? <IconCloudCheck size={20} /> : status.state === 'offline' || status.state === 'error' ? <IconCloudOff size={20} /> : <IconRefresh size={20} />;
  const quotaLow = storage.usage !== null && storage.quota ? storage.usage / storage.quota > QUOTA_WARNING : false;
  const insecure = insecureOrigin();
  const warnings = refused.length > 0 || storage.persisted === false || quotaLow || status.error !== null || insecure;
  const label = t(`sync.state.${status.state}`);
  const pending = status.pendingUp ?? 0;
  const latestRefusal = refused[0] ?? null;
  const latestReason = latestRefusal ? refusalText(latestRefusal) : '';

  return (
    <div role="status" aria-label={t('sync.label')} aria-live="polite">
      <Popover width={340} position="bottom-end" shadow="md" withArrow>
        <Popover.Target>
          <UnstyledButton aria-label={t('sync.details')} aria-haspopup="dialog" className="caja-sync" data-state={status.state}>
            <Group gap={6} wrap="nowrap">
              <ThemeIcon color={color} variant="light" size={32} radius="xl">
                {icon}
              </ThemeIcon>
              <Stack gap={0}>
                <Text size="sm" fw={700} c={`${color}.8`} lh={1.2}>
                  {label}
                </Text>
                {latestRefusal ? (
                  // The reason in the header itself, not only behind the popover: a refused sale never reaches
                  // HQ, and whoever looks at the till should see why without knowing where to click. It takes the
                  // place of the pending count and last sync time (both stay in the details) to fit 1024 px.
                  <Text size="xs" c="red.8" fw={600} lh={1.2} maw={210} lineClamp={2} title={latestReason}>
                    {t('sync.refusedShort', { count: refused.length, reason: latestReason })}
                  </Text>
                ) : (
                  <Text size="xs" c="dimmed" lh={1.2}>
                    {pending > 0 ? t('sync.pending', { count: pending }) : status.lastSyncAt ? t('sync.lastSync', { time: fmt.time(status.lastSyncAt) }) : t('sync.never')}
                  </Text>
                )}
              </Stack>
              {warnings && (
                <ThemeIcon color="red" variant="filled" size={24} radius="xl" aria-label={t('sync.warnings')}>
                  <IconAlertTriangle size={16} />
                </ThemeIcon>
              )}
            </Group>
          </UnstyledButton>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Text fw={700}>{label}</Text>
            <Text size="sm">{t('sync.pendingLong', { count: pending })}</Text>
            <Text size="sm">{status.lastSyncAt ? t('sync.lastSyncLong', { time: fmt.dateTime(status.lastSyncAt) }) : t('sync.never')}</Text>
            {status.error && (
              <Text size="sm" c="red">
                {t('sync.relayRefuses', { reason: relayErrorText(status, fmt.lang) })}
              </Text>
            )}
            <SecureAddressNotice compact />
            {storage.persisted === false && (
              <Badge color="orange" variant="light" size="lg" radius="sm" py={4} style={{ textTransform: 'none', height: 'auto' }} styles={{ label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' } }}>
                {t('sync.persistDenied')}
              </Badge>
            )}
            {quotaLow && (
              <Text size="sm" c="red">
                {t('sync.quotaLow', { percent: Math.round(((storage.usage ?? 0) / (storage.quota ?? 1)) * 100) })}
              </Text>
            )}
            {refused.length > 0 && (
              <>
                <Text size="sm" fw={700} c="red">
                  {t('sync.refused', { count: refused.length })}
                </Text>
                <List size="sm" spacing={2}>
                  {refused.slice(0, 5).map((r) => (
                    <List.Item key={r.id}>
                      <Text size="xs" ff="monospace">
                        {r.id}
                      </Text>
                      <Text size="xs">{refusalText(r)}</Text>
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </div>
  );
}
