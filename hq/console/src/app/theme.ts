// One Mantine theme for the console. Controls people press are at least 44 px high (touch targets on a
// tablet at the store's back office), which Mantine's defaults (36-42 px) are not.
import { ActionIcon, Button, CloseButton, createTheme, Input, NavLink, rem, SegmentedControl } from '@mantine/core';

const TOUCH = rem(44);

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
  components: {
    Button: Button.extend({
      defaultProps: { size: 'md' },
      vars: (_theme, props) => ({ root: props.size === 'md' ? { '--button-height': TOUCH } : {} }),
    }),
    Input: Input.extend({
      vars: () => ({ wrapper: { '--input-height': TOUCH } }),
    }),
    ActionIcon: ActionIcon.extend({
      defaultProps: { size: TOUCH },
    }),
    // Dialogs' and drawers' close buttons too (Mantine's xl is 44 px).
    CloseButton: CloseButton.extend({
      defaultProps: { size: 'xl' },
    }),
    NavLink: NavLink.extend({
      styles: { root: { minHeight: TOUCH } },
    }),
    SegmentedControl: SegmentedControl.extend({
      styles: { control: { minHeight: TOUCH }, label: { display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%' } },
    }),
  },
});
