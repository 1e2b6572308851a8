// Tasks the hosting process runs next to the embedded server (the relay's replications between two
// CouchDB URLs), shown through CouchDB's own admin endpoints so an operator reads the same fields on the
// embedded server as on a real CouchDB 3: GET /_active_tasks and GET /_scheduler/jobs.

/** CouchDB 3's replication entry in `_active_tasks`. */
export interface ActiveTask {
  type: 'replication' | 'indexer' | string;
  replication_id?: string;
  doc_id?: string | null;
  database?: string | null;
  user?: string | null;
  source: string;
  target: string;
  continuous: boolean;
  docs_read: number;
  docs_written: number;
  doc_write_failures: number;
  revisions_checked?: number;
  missing_revisions_found?: number;
  changes_pending: number | null;
  checkpointed_source_seq: string | number;
  source_seq?: string | number;
  through_seq?: string | number;
  checkpoint_interval?: number;
  /** Unix seconds. */
  started_on: number;
  /** Unix seconds. */
  updated_on: number;
  pid: string;
  node: string;
  [extra: string]: unknown;
}

export interface TaskRegistry {
  /** Registers (or replaces) a task; `snapshot` is called on every read so figures are current. */
  register(id: string, snapshot: () => ActiveTask): void;
  unregister(id: string): void;
  /** Current snapshots, skipping any whose snapshot function throws. */
  list(): ActiveTask[];
}

export function createTaskRegistry(onSnapshotError?: (id: string, err: unknown) => void): TaskRegistry {
  const tasks = new Map<string, () => ActiveTask>();
  return {
    register(id, snapshot) {
      tasks.set(id, snapshot);
    },
    unregister(id) {
      tasks.delete(id);
    },
    list() {
      const out: ActiveTask[] = [];
      for (const [id, snapshot] of tasks) {
        try {
          out.push(snapshot());
        } catch (err) {
          onSnapshotError?.(id, err);
        }
      }
      return out;
    },
  };
}

/** CouchDB 3's `/_scheduler/jobs` entry for a replication task. */
export function schedulerJob(task: ActiveTask): Record<string, unknown> {
  const startIso = new Date(task.started_on * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    database: task.database ?? null,
    id: task.replication_id ?? null,
    pid: task.pid,
    source: task.source,
    target: task.target,
    user: task.user ?? null,
    doc_id: task.doc_id ?? null,
    info: {
      revisions_checked: task.revisions_checked ?? task.docs_read,
      missing_revisions_found: task.missing_revisions_found ?? task.docs_read,
      docs_read: task.docs_read,
      docs_written: task.docs_written,
      changes_pending: task.changes_pending,
      doc_write_failures: task.doc_write_failures,
      checkpointed_source_seq: task.checkpointed_source_seq,
      source_seq: task.source_seq ?? null,
      through_seq: task.through_seq ?? null,
    },
    history: [
      { timestamp: startIso, type: 'started' },
      { timestamp: startIso, type: 'added' },
    ],
    node: task.node,
    start_time: startIso,
  };
}
