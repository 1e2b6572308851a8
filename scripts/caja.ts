// The `caja` CLI: one entry for every process and admin verb (design "Processes, ports, commands").
import { parseArgs } from 'node:util';
import { loadConfig } from '../server-kit/config';
import type { CajaConfig } from '../server-kit/config';
import { publicUrl } from '../server-kit/couch';
import { createLogger } from '../server-kit/log';
import type { Logger } from '../server-kit/log';
import { VERSION } from '../server-kit/version';

const USAGE = `caja ${VERSION}

Usage:
  caja hq                              start HQ (API + console) on HQ_PORT
  caja relay [--token T]               start a store relay on RELAY_PORT (SYNC_TOKEN or --token on first start)
  caja relay provision --token T       re-provision the relay running on this machine (uses DATA_DIR/setup-code)
  caja relay unlock-pin --user U       lift a PIN lockout at the relay on this machine
  caja demo                            a whole chain on one machine (what npm start runs)
  caja demo --check                    start the demo, put a terminal replica on it, measure price and sale propagation
  caja bench <suite> [--json] [--quick]   benchmarks: sync | checkout; exit 1 when a target is missed
  caja admin create-user --new-username U ...   create a staff user (through the HQ API)
  caja admin reset-password [--user U]  on HQ's machine: set a password without the old one
  caja store create|token|revoke|list ...
  caja couch-url                       the embedded CouchDB's URL and a curl line with a short-lived admin token
  caja --version

Run "caja admin help" for every admin and store flag. Configuration comes from the environment and .env;
see README "Configuration"; operators locked out: README "Operator recovery".`;

type Stoppable = { close(): Promise<void> };

/** Runs until SIGINT/SIGTERM, then closes cleanly (servers, databases, LevelDB locks). */
function runUntilSignal(component: Stoppable, log: Logger): void {
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

/** The URL to print for people on other machines: HQ_URL, else the listening URL with PUBLIC_HOST. */
function reachableUrl(cfg: CajaConfig, listening: string): string {
  return cfg.hqUrl ?? publicUrl(listening, cfg.publicHost);
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
        // Shown this once: only its PBKDF2 hash is stored. Set HQ_ADMIN_PASSWORD to choose it instead (honoured
        // at every start until the admin first signs in).
        console.log(`HQ first start: user "admin", password ${hq.generatedAdminPassword} (shown once; change it after signing in)`);
      }
      const url = reachableUrl(cfg, hq.url);
      console.log(`HQ listening on ${hq.url}`);
      console.log(`  HQ API  ${url}/api/v1   (health: ${url}/api/v1/health)`);
      runUntilSignal(hq, log);
      return -1;
    }
    case 'relay': {
      const [verb, ...verbArgs] = rest;
      if (verb && !verb.startsWith('-')) {
        const { runRelayVerb } = await import('./admin');
        return runRelayVerb(verb, verbArgs, cfg);
      }
      const { values } = parseArgs({ args: rest, options: { token: { type: 'string' } } });
      if (values.token !== undefined && (!values.token.trim() || values.token.length > 4096)) {
        const { UsageError } = await import('./admin');
        throw new UsageError('--token: give the sync token HQ printed (caja store token --code …)');
      }
      const { startRelay } = await import('../store-relay/server');
      const relay = await startRelay(values.token ? { ...cfg, syncToken: values.token } : cfg, log);
      console.log(`Relay listening on ${relay.url} (${relay.state().provision.state}${relay.state().identity ? `, store ${relay.state().identity?.storeCode}` : ''})`);
      runUntilSignal(relay, log);
      return -1;
    }
    case 'demo': {
      if (rest.includes('--check')) {
        const { demoCheck } = await import('./demoCheck');
        return demoCheck(cfg, log);
      }
      // The first start seeds a catalog and provisions two stores before the banner: say so, so a quiet
      // minute does not look like a hang (the relays log their first-sync progress as `sync.progress`).
      console.error(`Starting the Caja demo in ${cfg.dataDir}/demo: HQ, a seeded catalog, two store relays (the first start takes a minute)...`);
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
    case 'couch-url': {
      const { couchUrlVerb } = await import('./admin');
      return couchUrlVerb(rest, cfg);
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
  async (err: unknown) => {
    const { UsageError, ADMIN_USAGE } = await import('./admin');
    // A mistake in the command line (unknown verb or option, a wrong flag value) exits 2, as usage errors do.
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`caja: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof UsageError && /unknown verb/.test(err.message)) console.error(`\n${ADMIN_USAGE}`);
    process.exit(usage ? 2 : 1);
  },
);
