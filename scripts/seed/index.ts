// Seed data for demos, tests and benchmarks (Node only; the generators themselves do no I/O).
export { generateCatalog, BASE_CURRENCY, DEFAULT_AS_OF, type Catalog, type CatalogOptions } from './catalog';
export { generateStoreDocs, DEMO_PINS, type DemoLogin, type StoreDocs, type StoreOptions } from './store';
export { createRng, seedOf, shuffle, type Rng } from './prng';
