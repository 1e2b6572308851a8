// A touch button that also shows its keyboard shortcut, stacked under the label so narrow tills (1024 px wide)
// keep both readable.
import { Button, Kbd, Stack, Text, type ButtonProps } from '@mantine/core';
import type { ReactNode } from 'react';

export function KeyButton({ label, shortcut, icon, onClick, ...props }: ButtonProps & { label: string; shortcut?: string; icon?: ReactNode; onClick?: () => void }) {
  return (
    <Button variant="default" h="auto" mih={56} py={4} px={6} onClick={onClick} {...props} aria-keyshortcuts={shortcut} styles={{ label: { overflow: 'visible', whiteSpace: 'normal' } }}>
      <Stack gap={2} align="center">
        <Text span size="sm" fw={600} lh={1.15} ta="center" style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'center', gap: 4 }}>
          {icon}
          {label}
        </Text>
        {shortcut && <Kbd size="xs">{shortcut}</Kbd>}
      </Stack>
    </Button>
  );
}
