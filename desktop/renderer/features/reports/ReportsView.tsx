// Manager mode's Reports screen (issue #13 in the till, issue #11 item 3): the store's 14 reports, answered by
// the store server from its roll-ups (store-relay/reports.ts) through the manager's relay session (the PIN gate
// of the day close). A list of the reports, and one screen per report with its date range, grouping and
// filters, the figures against the previous period, a chart, CSV export and print. With the store server
// unreachable the screen says so; the rest of the till goes on selling.
import { Group, Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChartBar, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportName } from '../../../../shared/api/reports';
import { StoreServerGate } from '../manager/StoreServerViews';
import { REPORTS } from './reportCatalog';
import { ReportScreen } from './ReportScreen';
import { useReportText } from './reportText';
import './reports.css';

export function ReportsView() {
  const [open, setOpen] = useState<ReportName | null>(null);
  return (
    <div className="caja-scroll-page caja-reports">
      <StoreServerGate>{open ? <ReportScreen key={open} name={open} onBack={() => setOpen(null)} /> : <ReportList onOpen={setOpen} />}</StoreServerGate>
    </div>
  );
}

function ReportList({ onOpen }: { onOpen(name: ReportName): void }) {
  const { t } = useTranslation();
  const text = useReportText();
  return (
    <Stack gap="sm" component="section" aria-label={t('reports.title')}>
      <Group gap="xs">
        <IconChartBar />
        <Title order={2}>{t('reports.title')}</Title>
      </Group>
      <Text c="dimmed">{t('reports.help')}</Text>
      <SimpleGrid cols={{ base: 2, xl: 3 }} spacing="sm" role="list" aria-label={t('reports.list')}>
        {REPORTS.map((r) => (
          <Paper key={r.name} withBorder radius="md" role="listitem">
            <UnstyledButton onClick={() => onOpen(r.name)} className="caja-report-link" aria-label={text.title(r.name)} data-report={r.name}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div>
                  <Text fw={700}>{text.title(r.name)}</Text>
                  <Text size="sm" c="dimmed">
                    {text.what(r.name)}
                  </Text>
                </div>
                <IconChevronRight size={20} />
              </Group>
            </UnstyledButton>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
