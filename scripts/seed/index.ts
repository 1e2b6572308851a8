// Seed data for demos, tests and benchmarks (Node only; the generators themselves do no I/O).
export { generateCatalog } from './catalog';
export { generateStoreDocs } from './store';
