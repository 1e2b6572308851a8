// The traffic light of a store, from its provisioning status and HQ's heartbeat verdict
// (hq/services/monitoring.ts: connected = a heartbeat within 3 of the relay's intervals).
import type { DashboardRow, Job, Store } from '../../api/types';

export type Light = 'connected' | 'disconnected' | 'pending' | 'suspended';

export function lightOf(store: Pick<Store, 'status'>, row: Pick<DashboardRow, 'connected' | 'store'> | undefined): Light {
  // The dashboard is polled more often than the store list: its status is the fresher one.
  const status = row?.store.status ?? store.status;
  if (status === 'pending') return 'pending';
  if (status === 'suspended') return 'suspended';
  return row?.connected ? 'connected' : 'disconnected';
}

export const LIGHT_COLOR: Record<Light, string> = {
  connected: 'green',
  disconnected: 'red',
  pending: 'gray',
  suspended: 'orange',
};

/** A job's colour: red when it is retrying or its last attempt failed after its last success. */
export function jobColor(job: Job): string {
  if (job.state === 'retrying') return 'red';
  if (job.lastError && (!job.lastSuccessAt || job.lastError.at > job.lastSuccessAt)) return 'red';
  if (job.state === 'stopped') return 'gray';
  if (job.state === 'starting' || job.state === 'active') return 'blue';
  return 'green';
}

const KNOWN_STATES = ['starting', 'active', 'idle', 'retrying', 'stopped'] as const;
export type KnownState = (typeof KNOWN_STATES)[number];
export const isKnownState = (s: string): s is KnownState => (KNOWN_STATES as readonly string[]).includes(s);

const KNOWN_JOBS = ['catalog-down', 'store-down', 'transactions-up'] as const;
export type KnownJob = (typeof KNOWN_JOBS)[number];
export const isKnownJob = (id: string): id is KnownJob => (KNOWN_JOBS as readonly string[]).includes(id);
