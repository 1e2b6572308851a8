// What the signed-in person may do, from GET /auth/me. Pages and buttons ask `can(...)`; the API checks
// again on every request, so hiding a control is convenience, never the protection.
import type { Permission } from '../../../../../shared/auth/permissions';
import { useMeQuery } from './sessionApi';

export function usePermissions() {
  const { data, isLoading, error } = useMeQuery();
  const held = new Set<string>(data?.permissions ?? []);
  return {
    me: data ?? null,
    loading: isLoading,
    error,
    can: (permission: Permission) => held.has(permission),
  };
}
