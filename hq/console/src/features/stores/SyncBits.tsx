// Small pieces the dashboard and the store page share: the sync light, a job's badge, a job's words.
import { Badge, Box, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useT } from '../../i18n/useT';
import type { Job } from '../../api/types';
import { useFormat } from '../../lib/hooks';
import type { Light } from './syncState';
import { LIGHT_COLOR, isKnownJob, isKnownState, jobColor } from './syncState';

/** Green/red/grey light with its word: colour is never the only signal. */
export function SyncLight({ light }: { light: Light }) {
  const t = useT();
  return (
    <Badge
      color={LIGHT_COLOR[light]}
      variant="light"
      size="lg"
      radius="sm"
      leftSection={<Box component="span" aria-hidden w={10} h={10} style={{ borderRadius: '50%', display: 'inline-block', background: `var(--mantine-color-${LIGHT_COLOR[light]}-filled)` }} />}
      data-light={light}
      style={{ textTransform: 'none', overflow: 'visible' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`stores.light.${light}`)}
    </Badge>
  );
}

export function useJobWords() {
  const t = useT();
  return {
    name: (job: Pick<Job, 'id'>) => (isKnownJob(job.id) ? t(`job.name.${job.id}`) : job.id),
    state: (job: Pick<Job, 'state'>) => (isKnownState(job.state) ? t(`job.state.${job.state}`) : job.state),
  };
}

/** A job's badge; `stale` (the store is not connected) greys it: its state is only the last one reported. */
export function JobBadge({ job, now, timeZone, stale = false }: { job: Job; now: number; timeZone: string; stale?: boolean }) {
  const t = useT();
  const f = useFormat();
  const words = useJobWords();
  const summary = t('job.summary', {
    name: words.name(job),
    state: words.state(job),
    read: f.count(job.docsRead),
    written: f.count(job.docsWritten),
    success: job.lastSuccessAt ? f.relative(job.lastSuccessAt, now) : t('common.never'),
  });
  return (
    <Tooltip label={job.lastSuccessAt ? `${summary} (${f.dateTime(job.lastSuccessAt, timeZone)})` : summary} multiline maw={320} withArrow>
      <Badge
        color={stale ? 'gray' : jobColor(job)}
        variant="light"
        radius="sm"
        tabIndex={0}
        aria-label={summary}
        leftSection={job.direction === 'push' ? <IconArrowUp size={12} aria-hidden /> : <IconArrowDown size={12} aria-hidden />}
        style={{ textTransform: 'none', maxWidth: 'none' }}
        styles={{ label: { overflow: 'visible' } }}
      >
        {words.name(job)}
      </Badge>
    </Tooltip>
  );
}
