// A titled block of a page (a chart on the dashboard, a part of a report): a bordered section named by its
// title for screen readers, with an optional line of help under the title.
import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function TitledSection({ title, help, children, testId, className }: { title: string; help?: string | undefined; children: ReactNode; testId?: string | undefined; className?: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title} data-testid={testId} className={className}>
      <Stack gap="xs">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          {help && (
            <Text size="sm" c="dimmed">
              {help}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}
