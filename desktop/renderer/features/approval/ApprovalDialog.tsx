// A manager approves at the till with their PIN: what needs approving, who may approve it (users holding the
// permission), the PIN. Checked offline; the Approval is recorded on the document the action writes.
import { Alert, Button, Group, Modal, PasswordInput, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconShieldCheck, IconUser } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { permissionLabel } from '../../../../shared/auth/permissions';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { approvalCancelled } from './approvalSlice';
import { approveWithPin } from './approve';

export function ApprovalDialog() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { request, checking, error } = useAppSelector((s) => s.approval);
  const users = useAppSelector((s) => s.session.users);
  const lang = useAppSelector((s) => s.ui.lang);
  const [username, setUsername] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  if (!request) return null;
  const approvers = users.filter((u) => u.permissions.includes(request.action));
  const close = () => {
    setPin('');
    setUsername(null);
    dispatch(approvalCancelled());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!username || !pin) return;
    void dispatch(approveWithPin(username, pin)).then((ok) => {
      setPin('');
      if (ok) setUsername(null);
    });
  };
  return (
    <Modal opened onClose={close} title={t('approval.title')} centered size={620} closeButtonProps={{ 'aria-label': t('common.close'), size: 'xl' }}>
      <form onSubmit={submit}>
        <Stack>
          <Alert color="blue" icon={<IconShieldCheck />}>
            <Text fw={600}>{permissionLabel(request.action, lang)}</Text>
            {request.requestedBp !== undefined && <Text size="sm">{t('approval.discount', { percent: request.requestedBp / 100 })}</Text>}
          </Alert>
          <Text fw={600}>{t('approval.who')}</Text>
          {approvers.length === 0 && <Text c="dimmed">{t('approval.noApprovers')}</Text>}
          <SimpleGrid cols={2} spacing="xs" role="group" aria-label={t('approval.managers')}>
            {approvers.map((u) => (
              <UnstyledButton key={u.userId} className="caja-tile" data-active={u.username === username || undefined} aria-pressed={u.username === username} onClick={() => setUsername(u.username)}>
                <Group gap={8} wrap="nowrap">
                  <IconUser size={20} />
                  <Text fw={600} truncate="end">
                    {u.displayName}
                  </Text>
                </Group>
              </UnstyledButton>
            ))}
          </SimpleGrid>
          <PasswordInput label={t('approval.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))} inputMode="numeric" autoComplete="off" size="lg" disabled={!username} />
          {error && (
            <Alert color="red" role="alert">
              {t(`approval.error.${error}`)}
            </Alert>
          )}
          <Group grow>
            <Button variant="default" size="lg" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" size="lg" loading={checking} disabled={!username || !pin}>
              {t('approval.approve')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
