// HQ or a store relay in its own process, for `caja bench sync` (issue #14: "HQ, relay and terminal as separate
// processes, as they are deployed"). This file, forked with CAJA_BENCH_SERVER, starts the server with the
// configuration it is given and answers the parent over IPC: the relay's replication jobs (their status, stop,
// start) and stop. The parent signs its own CouchDB admin tokens with the secret it gave (connectCouch), so
// loads and checks go straight to the server's CouchDB, as they do in the one-process bench.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server-kit/config';
import { connectCouch } from '../../server-kit/couch';
import type { CouchHandle } from '../../server-kit/couch';
import type { CajaConfig } from '../../server-kit/config';
import { createLogger, memoryLogger } from '../../server-kit/log';
import type { Logger } from '../../server-kit/log';
import type { JobStatus, ReplicationJob } from '../../server-kit/replication/job';
import { COUCH_ADMIN_SUBJECT } from '../../shared/model/names';
import { startHq } from '../../hq/server';
import { startRelay } from '../../store-relay/server';

const SELF = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(SELF), '../..');
const CHILD_ENV = 'CAJA_BENCH_SERVER';

export interface ServerSpec {
  role: 'hq' | 'relay';
  dataDir: string;
  adminPassword: string;
  /** The CouchDB JWT secret the server uses; the parent signs its admin tokens with it. */
  couchSecret: string;
  syncToken?: string;
}

type ToChild = { type: 'jobs' | 'stopJobs' | 'startJobs'; id: number } | { type: 'stop' };
type FromChild =
  | { type: 'ready'; url: string; couchUrl: string; startingAt: number }
  | { type: 'failed'; message: string }
  | { type: 'answer'; id: number; jobs?: JobStatus[] };

/** What a bench needs of a server, wherever it runs. */
export interface BenchServer {
  url: string;
  /** An admin handle on the server's CouchDB (in this process: the parent's own, with the same secret). */
  couch: CouchHandle;
  /** Wall-clock ms (Date.now) when the server began to start. */
  startingAt: number;
  /** The relay's replication jobs (none for HQ). */
  jobs(): Promise<JobStatus[]>;
  stopJobs(): Promise<void>;
  startJobs(): Promise<void>;
  close(): Promise<void>;
}

/** Forks a server process and resolves once it listens. */
export async function startServerProcess(spec: ServerSpec): Promise<BenchServer> {
  const child: ChildProcess = fork(SELF, [], {
    cwd: repoRoot,
    // CAJA_BENCH_SERVER_PROFILE=<folder>: each server writes a V8 CPU profile there when it stops.
    execArgv: ['--import', 'tsx', ...(process.env.CAJA_BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CAJA_BENCH_SERVER_PROFILE}`] : [])],
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(spec) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const last: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      last.push(line.slice(0, 300));
      if (last.length > 5) last.shift();
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, (m: Extract<FromChild, { type: 'answer' }>) => void>();
  const ready = await new Promise<Extract<FromChild, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (m: FromChild) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'failed') reject(new Error(`${spec.role} did not start: ${m.message}`));
      else waiting.get(m.id)?.(m);
    });
    child.once('exit', (code) => reject(new Error(`${spec.role} exited with ${String(code)} before it was ready: ${last.join(' | ')}`)));
  });
  let nextId = 0;
  const ask = (type: 'jobs' | 'stopJobs' | 'startJobs') =>
    new Promise<Extract<FromChild, { type: 'answer' }>>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`${spec.role} did not answer ${type}: ${last.join(' | ')}`)), 60_000);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(answer);
      });
      child.send({ type, id } satisfies ToChild);
    });
  const subject = spec.role === 'hq' ? COUCH_ADMIN_SUBJECT.hq : COUCH_ADMIN_SUBJECT.relay;
  return {
    url: ready.url,
    couch: connectCouch(ready.couchUrl, spec.couchSecret, subject),
    startingAt: ready.startingAt,
    jobs: async () => (await ask('jobs')).jobs ?? [],
    stopJobs: async () => void (await ask('stopJobs')),
    startJobs: async () => void (await ask('startJobs')),
    close: () => stopChild(child, exited),
  };
}

/**
 * In a bench child (this file's or scale.ts's): exits when the parent goes, however it went (a crash, Ctrl-C, a
 * `timeout` kill). Without it a server left behind keeps its jobs running and loads the next run's cores. The exit
 * is a normal one, so `--cpu-prof` still writes its profile.
 */
export function exitWithParent(): void {
  process.once('disconnect', () => process.exit(0));
}

/** Asks a bench child (this file's or scale.ts's) to stop, and kills it if it has not exited within a minute. */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null) return;
  child.send({ type: 'stop' });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(killer);
}

/** A server's configuration: free loopback ports, its data folder, the given secrets, quiet logs. */
function serverConfig(spec: ServerSpec): CajaConfig {
  return loadConfig(
      {
        hqPort: 0,
        relayPort: 0,
        couchdbPort: 0,
        couchdbUrl: null,
        dataDir: spec.dataDir,
        jwtSecret: null,
        couchJwtSecret: spec.couchSecret,
        syncToken: spec.syncToken ?? null,
        hqAdminPassword: spec.adminPassword,
      logLevel: 'warn',
    },
    {},
  );
}

/** Starts HQ or a relay in this process; `startingAt` is taken just before. */
async function startHere(spec: ServerSpec, log: Logger) {
  const cfg = serverConfig(spec);
  const startingAt = Date.now();
  const server = spec.role === 'hq' ? await startHq(cfg, log) : await startRelay(cfg, log);
  const jobs = (): ReplicationJob[] => ('jobs' in server ? server.jobs() : []);
  return {
    server,
    startingAt,
    jobs: () => jobs().map((j) => j.snapshot()),
    stopJobs: async () => void (await Promise.all(jobs().map((j) => j.stop()))),
    startJobs: () => jobs().forEach((j) => j.start()),
  };
}

/** The server in this very process (the one-process bench): every hop's CPU on one thread. */
export async function startServerHere(spec: ServerSpec): Promise<BenchServer> {
  const here = await startHere(spec, memoryLogger('bench'));
  return {
    url: here.server.url,
    couch: here.server.couch,
    startingAt: here.startingAt,
    jobs: async () => here.jobs(),
    stopJobs: here.stopJobs,
    startJobs: async () => here.startJobs(),
    close: () => here.server.close(),
  };
}

/** The child's side: starts the server and answers the parent until told to stop. */
async function serverProcessMain(spec: ServerSpec): Promise<void> {
  const send = (m: FromChild) => process.send?.(m);
  exitWithParent();
  try {
    const here = await startHere(spec, createLogger(spec.role, 'warn', (line) => process.stderr.write(line + '\n')));
    process.on('message', (m: ToChild) => {
      void (async () => {
        if (m.type === 'jobs') send({ type: 'answer', id: m.id, jobs: here.jobs() });
        else if (m.type === 'stopJobs') {
          await here.stopJobs();
          send({ type: 'answer', id: m.id });
        } else if (m.type === 'startJobs') {
          here.startJobs();
          send({ type: 'answer', id: m.id });
        } else {
          await here.server.close().catch(() => undefined);
          process.exit(0);
        }
      })().catch((err: unknown) => process.stderr.write(`bench server: ${err instanceof Error ? err.message : String(err)}\n`));
    });
    send({ type: 'ready', url: here.server.url, couchUrl: here.server.couch.url, startingAt: here.startingAt });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

const childSpec = process.env[CHILD_ENV];
if (childSpec && process.send) void serverProcessMain(JSON.parse(childSpec) as ServerSpec);
