// Measures what validate_doc_update costs per document in the design-document sandbox, with the real
// caja_validate design document of a relay store and sale fixtures, in batches the way replication sends
// them. Usage: node --import tsx tests/tools/benchSandbox.ts [docsPerBatch] [batches]
import { compileDesignDocs } from '../../design-docs/deploy';
import * as fx from '../../scripts/seed/documents';
import { Sandbox, type DesignDoc } from '../../couchdb/sandbox';

const perBatch = Number(process.argv[2] ?? 500);
const batches = Number(process.argv[3] ?? 20);

const ddocs = await compileDesignDocs('relay-store');
const validate = ddocs.find((d) => d._id === '_design/caja_validate');
if (!validate?.validate_doc_update) throw new Error('no caja_validate design document');
const ddoc = { ...validate, _rev: '1-bench' } as unknown as DesignDoc;
const userCtx = { db: 'caja-store-s001', name: 'terminal:S001:T1', roles: ['caja-terminal', 'store:S001', 'terminal:S001:T1'] };
const sec = { admins: { names: [], roles: [] }, members: { names: [], roles: ['store:S001'] } };
const argLists = Array.from({ length: perBatch }, (_, i) => [fx.sale(i + 1), null, userCtx, sec]);

const sandbox = await Sandbox.create();
let refused = 0;
const t0 = process.hrtime.bigint();
sandbox.callEach(ddoc, 'validate_doc_update', validate.validate_doc_update, argLists.slice(0, 1));
const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
const t1 = process.hrtime.bigint();
for (let b = 0; b < batches; b++) {
  refused += sandbox.callEach(ddoc, 'validate_doc_update', validate.validate_doc_update, argLists).filter((r) => !r.ok).length;
}
const perDocUs = Number(process.hrtime.bigint() - t1) / 1e3 / (perBatch * batches);
console.log(JSON.stringify({ engine: 'quickjs', firstCallMs: +firstMs.toFixed(1), perDocUs: +perDocUs.toFixed(1), docs: perBatch * batches, refused }));
sandbox.close();
