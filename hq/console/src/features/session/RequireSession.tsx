// Routes behind sign-in: without a session the person is sent to the login page, and comes back to the
// page they asked for afterwards.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAppSelector } from '../../app/hooks';

export function RequireSession({ children }: { children: ReactNode }) {
  const signedIn = useAppSelector((s) => s.session.current !== null);
  const location = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}
