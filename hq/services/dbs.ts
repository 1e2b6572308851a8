// HQ's database names (design "Topology"): the shared catalog, one database per store, and HQ's own.
export const CATALOG_DB = 'caja-catalog';
/** HQ's private database: stores, staff accounts, token hashes. Never replicated to stores. */
export const HQ_DB = 'caja-hq';

/** The HQ database of one store (its downstream and upstream documents). */
export function storeDbName(storeCode: string): string {
  return `caja-store-${storeCode.toLowerCase()}`;
}
