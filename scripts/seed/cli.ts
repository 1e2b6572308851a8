// Prints seed documents as NDJSON (one document per line), ready for CouchDB's _bulk_docs or a diff.
//   npx tsx scripts/seed/cli.ts [--products 2000] [--seed caja] [--store S001 ...] > seed.ndjson
// Each store's documents follow the catalog (they carry storeId); its demo logins are printed on stderr.
import { parseArgs } from 'node:util';
import { BASE_CURRENCY, generateCatalog } from './catalog';
import { generateStoreDocs } from './store';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '2000' },
      seed: { type: 'string', default: 'caja' },
      store: { type: 'string', multiple: true, default: [] },
      'time-zone': { type: 'string', default: 'America/Mexico_City' },
      currency: { type: 'string', default: BASE_CURRENCY },
      locale: { type: 'string', default: 'es' },
    },
  });
  const products = Number(values.products);
  if (!Number.isSafeInteger(products) || products < 0) throw new Error(`--products must be a non-negative integer`);
  const locale = values.locale === 'en' ? 'en' : 'es';
  const catalog = generateCatalog({ products, seed: values.seed });
  const out: string[] = catalog.docs.map((d) => JSON.stringify(d));
  for (const code of values.store) {
    const store = await generateStoreDocs(code, {
      timeZone: values['time-zone'], currency: values.currency, locale, products: catalog.products, seed: values.seed,
    });
    for (const d of store.docs) out.push(JSON.stringify(d));
    for (const l of store.logins) process.stderr.write(`${code}: ${l.username} (${l.role}) PIN ${l.pin}\n`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`seed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
