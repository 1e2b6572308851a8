// The console's index route: the chain dashboard for people who may see figures, the stores for everyone
// else. Kept apart from the dashboard, which (with its charts) loads only when it is opened.
import { Navigate } from 'react-router';
import { Loading } from '../../components/PageState';
import { usePermissions } from '../session/permissions';

export function HomeRedirect() {
  const { can, loading } = usePermissions();
  if (loading) return <Loading />;
  return <Navigate to={can('reports.view') ? '/dashboard' : '/stores'} replace />;
}
