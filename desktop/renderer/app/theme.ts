// The till's Mantine theme: readable at arm's length (larger base text), touch-sized controls by default.
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  fontFamilyMonospace: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  defaultRadius: 'md',
  fontSizes: { xs: '0.8rem', sm: '0.9rem', md: '1rem', lg: '1.15rem', xl: '1.3rem' },
  components: {
    Button: { defaultProps: { size: 'md' } },
    // Dialog titles are the dialog's heading (an h2): sized like one, so no heading is nested inside it.
    // Every text field is a touch target: 44 px high whatever its size.
    Input: { styles: { input: { minHeight: 44 } } },
    // Segmented choices (language, refund method, cash in/out) are touch targets too: 44 px high.
    SegmentedControl: { styles: { label: { minHeight: 44, display: 'flex', alignItems: 'center', justifyContent: 'center' } } },
    Modal: { styles: { title: { fontSize: 'var(--mantine-font-size-xl)', fontWeight: 700 } } },
  },
});
