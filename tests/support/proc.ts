// Test support: `caja hq` and `caja relay` as real child processes (what an operator runs), so a test can kill
// one with SIGKILL mid-write and restart it on the same ports and data folder. Configuration is by
// environment only, exactly as in production; the test waits for the health endpoint, never for a fixed time.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server-kit/ports';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(REPO, 'bin', 'caja.js');

export { freePort };

// Children are killed when the test runner exits for any reason (mocha --exit, a crash), so a failed run
// never leaves servers holding ports and LevelDB locks.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface CajaProcessOptions {
  /** `hq` or `relay` (the CLI verb). */
  command: 'hq' | 'relay';
  /** A label for logs and errors. */
  name: string;
  /** Environment of the process (added to a minimal base: PATH, HOME). */
  env: Record<string, string>;
  /** The process's own API base URL; `/api/v1/health` answering 200 means it is up. */
  url: string;
  /** Where the process's stdout/stderr are appended (kept across restarts, for diagnosis). */
  logFile: string;
  /** Extra Node options (e.g. `--cpu-prof` when profiling a scenario; NODE_OPTIONS refuses some). */
  nodeArgs?: string[];
}

/** One `node bin/caja.js <command>` child process that can be started, killed and restarted. */
export class CajaProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private log: WriteStream | null = null;
  /** How many times the process was started (restarts included). */
  starts = 0;

  constructor(readonly opts: CajaProcessOptions) {}

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the process printed (for assertion messages). */
  recentOutput(lines = 40): string {
    return this.tail.slice(-lines).join('\n');
  }

  /** Spawns the process and resolves once its health endpoint answers 200; throws if it exits first. */
  async start(opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<void> {
    if (this.child) throw new Error(`${this.opts.name} is already running`);
    await mkdir(path.dirname(this.opts.logFile), { recursive: true });
    this.log ??= createWriteStream(this.opts.logFile, { flags: 'a' });
    this.log.write(`--- start ${this.starts + 1} at ${new Date().toISOString()}\n`);
    // No inherited environment: a developer's .env or shell variables must not change what the test runs.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.opts.env, ...opts.env };
    const child = spawn(process.execPath, [...(this.opts.nodeArgs ?? []), CLI, this.opts.command], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts += 1;
    live.add(child);
    const onData = (chunk: Buffer) => {
      this.log?.write(chunk);
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.tail.length > 400) this.tail.splice(0, this.tail.length - 400);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    let exitInfo: string | null = null;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = `exit code ${String(code)} signal ${String(signal)}`;
        live.delete(child);
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      if (exitInfo) throw new Error(`${this.opts.name} exited while starting (${exitInfo}):\n${this.recentOutput()}`);
      const ok = await fetch(`${this.opts.url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.opts.name} did not become healthy at ${this.opts.url}:\n${this.recentOutput()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends `signal` (SIGKILL by default: no shutdown code runs) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.log?.write(`--- ${signal} at ${new Date().toISOString()}\n`);
    child.kill(signal);
    await this.exited;
  }

  /** A clean stop (SIGTERM: servers and LevelDB closed), falling back to SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  /** Stops the process if running and closes its log file. */
  async dispose(): Promise<void> {
    await this.stop();
    const log = this.log;
    this.log = null;
    if (log) await new Promise<void>((resolve) => log.end(() => resolve()));
  }
}
