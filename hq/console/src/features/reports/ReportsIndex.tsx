// The reports index (route /reports): every report with a one-line description, each a link to its page.
import { Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import { REPORT_NAMES } from '../../../../../shared/api/reports';
import { useT } from '../../i18n/useT';
import type { TKey } from '../../i18n/useT';
import { reportKey } from './defs';

export function ReportsIndex() {
  const t = useT();
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('reports.title')}</Title>
        <Text c="dimmed">{t('reports.description')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('reports.title')}>
        {REPORT_NAMES.map((name) => (
          <li key={name}>
            <UnstyledButton component={Link} to={`/reports/${name}`} w="100%" h="100%" data-report={name}>
              <Paper withBorder p="md" radius="md" h="100%" mih={44} className="report-card">
                <Stack gap={4}>
                  <Text fw={700} c="blue.8" style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
                    {t(`reports.names.${reportKey(name)}` as TKey)}
                    <IconChevronRight size={16} aria-hidden />
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t(`reports.about.${reportKey(name)}` as TKey)}
                  </Text>
                </Stack>
              </Paper>
            </UnstyledButton>
          </li>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
