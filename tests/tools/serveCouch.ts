// Runs an embedded server in its own process for tests that must kill it (durability under kill -9).
// Usage: node --import tsx tests/tools/serveCouch.ts <dataDir> <jwtSecret>; prints {"url": …} once listening.
import { startEmbeddedCouch } from '../../couchdb/index';

const [dataDir, jwtSecret] = process.argv.slice(2);
if (!dataDir || !jwtSecret) throw new Error('usage: serve.ts <dataDir> <jwtSecret>');
const server = await startEmbeddedCouch({ port: 0, dataDir, jwtSecret });
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
