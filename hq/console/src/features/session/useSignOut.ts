// Signing out: HQ is told first (POST /auth/logout deletes the session's refresh token, so a copy of it left
// in this tab or anywhere else renews nothing), then the tab's session is dropped and the login page shown.
// HQ unreachable does not keep anyone signed in: the session ends here all the same, and its refresh token
// runs out at HQ on its own.
import { useNavigate } from 'react-router';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useLogoutMutation } from './sessionApi';
import { signedOut } from './sessionSlice';

export function useSignOut(): { signOut: () => Promise<void>; busy: boolean } {
  const dispatch = useAppDispatch();
  // Re-read on every render, so a renewal that replaced the token is the one sent.
  const refreshToken = useAppSelector((s) => s.session.current?.refreshToken);
  const navigate = useNavigate();
  const [logout, { isLoading }] = useLogoutMutation();
  const signOut = async () => {
    if (refreshToken) await logout({ refreshToken });
    dispatch(signedOut());
    await navigate('/login', { replace: true });
  };
  return { signOut, busy: isLoading };
}
