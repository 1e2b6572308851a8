// The `caja` CLI: one entry for every process and admin verb (design "Processes, ports, commands").
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/log';
import { VERSION } from '../common/version';

const USAGE = `caja ${VERSION}

Usage:
  caja hq                      start HQ (API + console) on HQ_PORT
  caja relay [--token T]       start a store relay on RELAY_PORT (SYNC_TOKEN or --token on first start)
  caja demo                    a whole chain on one machine (what npm start runs)
  caja demo --check            start the demo, put a terminal replica on it, measure price and sale propagation
  caja bench <suite> [--json]  benchmarks: sync | checkout
  caja admin create-user ...   create a staff user (through the HQ API)
  caja store create|token|revoke|list ...
  caja --version

Configuration comes from the environment and .env; see README "Configuration".`;

type Stoppable = { close(): Promise<void> };

/** Runs until SIGINT/SIGTERM, then closes cleanly (servers, databases, LevelDB locks). */
function runUntilSignal(component: Stoppable, log: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutdown', { signal });
    component.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown.failed', { err: err instanceof Error ? err : String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === '--version' || command === 'version') {
    console.log(VERSION);
    return 0;
  }
  const cfg = loadConfig();
  const log = createLogger(command, cfg.logLevel);
  switch (command) {
    case 'hq': {
      const { startHq } = await import('../hq/server');
      const hq = await startHq(cfg, log);
      if (hq.generatedAdminPassword) {
        // Shown this once: only its PBKDF2 hash is stored. Set HQ_ADMIN_PASSWORD to choose it instead.
        console.log(`HQ first start: user "admin", password ${hq.generatedAdminPassword} (shown once; change it after signing in)`);
      }
      console.log(`HQ listening on ${hq.url}`);
      runUntilSignal(hq, log);
      return -1;
    }
    case 'relay': {
      const { values } = parseArgs({ args: rest, options: { token: { type: 'string' } } });
      const { startRelay } = await import('../store-relay/server');
      runUntilSignal(await startRelay(values.token ? { ...cfg, syncToken: values.token } : cfg, log), log);
      return -1;
    }
    case 'demo': {
      if (rest.includes('--check')) {
        const { demoCheck } = await import('./demoCheck');
        return demoCheck(cfg, log);
      }
      const { startDemo } = await import('./demo');
      runUntilSignal(await startDemo(cfg, log), log);
      return -1;
    }
    case 'bench': {
      const { runBench } = await import('./bench/index');
      return runBench(rest);
    }
    case 'admin':
    case 'store': {
      const { runAdmin } = await import('./admin');
      return runAdmin(command, rest, cfg);
    }
    default:
      console.error(`caja: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`caja: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
