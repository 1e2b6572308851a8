// Generated store days for the report tests (issue #13). The generator lives in scripts/seed/ledger.ts, where
// the reports bench (scripts/bench/reports.ts) uses it too (scripts never import tests/); this keeps the
// tests' import path.
export { generateChainDocs, utcOf, type ChainData, type LedgerDoc, type StoreSpec } from '../../scripts/seed/ledger';
