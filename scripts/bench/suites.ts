// The benchmark suites `caja bench` knows. Each loads lazily, so running one suite does not load another's code.
import { registerSuite } from './index';

registerSuite('checkout', async () => (await import('./checkout')).checkoutSuite);
registerSuite('sync', async () => (await import('./sync')).default);
registerSuite('terminal', async () => (await import('./terminal')).default);
registerSuite('hq', async () => (await import('./hq')).default);
registerSuite('reports', async () => (await import('./reports')).default);
registerSuite('durability', async () => (await import('./durability')).default);
registerSuite('scale', async () => (await import('./scale')).default);
