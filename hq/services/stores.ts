// Stores and their provisioning (design "Provisioning and auth"): pending -> sync token -> relay redeems it
// once -> active with a store credential; revoke suspends; a new token re-provisions.
import { randomBytes } from 'node:crypto';
import { matchesHash, sha256 } from '../../server-kit/secretHash';
import type { CouchHandle } from '../../server-kit/couch';
import { setSecurity } from '../../server-kit/couch';
import { getDoc, listByPrefix, updateDoc, putDoc } from '../../server-kit/docs';
import type { Logger } from '../../server-kit/log';
import { badRequest, conflict, forbidden, gone, notFound, unauthorized } from '../../server-kit/errors';
import { deployDesignDocs, warmDatabase } from '../../design-docs/deploy';
import type { StoreConfig } from '../../shared/model/types';
import { CURRENT_SCHEMA } from '../../shared/model/types';
import { money } from '../../shared/money';
import { decodeSyncToken, encodeSyncToken } from '../../shared/sync/syncToken';
import type { StoreCreateBody, StoreUpdateBody } from '../../shared/api/bodies';
import { isTimeZone } from '../../shared/api/parse';
import { CouchRequestError } from '../../server-kit/couch';
import { CONFIG_ID, isStoreCode, priceId, productId } from '../../shared/model/ids';
import { apiError } from '../../shared/api/errors';
import type { BulkPriceAnswer, BulkPriceLine, StoreConfigAnswer, StoreConfigPutBody, StorePricesBulkBody } from '../../shared/api/hqRecords';
import type { StorePrice } from '../../shared/model/types';
import { validateDoc } from '../../shared/model/validate';
import { tombstone } from './users';
import { CATALOG_DB, HQ_DB, hqStoreDbName, hqStoreRecordId, PRIVATE_PREFIX, storeCouchRole } from '../../shared/model/names';
import type { StoreRecord } from './model';

const DEFAULT_TOKEN_TTL_H = 24;

const newSecret = () => randomBytes(32).toString('base64url');

/** What a new store is made of: the parsed body of POST /stores (shared/api/bodies.ts). */
export type StoreInput = StoreCreateBody;

/** The public view of a store: never the token or credential hashes. */
export function publicStore(s: StoreRecord) {
  const { syncToken, credential, _rev, ...rest } = s;
  return {
    ...rest,
    id: s.code,
    syncToken: syncToken
      ? { id: syncToken.id, expiresAt: syncToken.expiresAt, createdAt: syncToken.createdAt, usedAt: syncToken.usedAt, revokedAt: syncToken.revokedAt }
      : null,
    hasCredential: Boolean(credential),
  };
}

/** The store's configuration document that travels down to it. */
function storeConfigDoc(s: StoreRecord): StoreConfig {
  return {
    _id: CONFIG_ID,
    type: 'config',
    schema: CURRENT_SCHEMA,
    storeId: s.code,
    code: s.code,
    name: s.name,
    address: s.address,
    timeZone: s.timeZone,
    currency: s.currency,
    locale: s.locale,
    taxMode: s.taxMode,
    cashRounding: money(0),
    varianceAlert: money(500),
    receiptFooter: {
      en: 'Returns within 30 days with this receipt.',
      es: 'Devoluciones dentro de 30 días con este ticket.',
    },
    returnDays: 30,
  };
}

/** The configuration with the fields the store record also holds taken from the record. */
function withStoreFields(cfg: StoreConfig, s: StoreRecord): StoreConfig {
  return { ...cfg, name: s.name, address: s.address, timeZone: s.timeZone, currency: s.currency, locale: s.locale, taxMode: s.taxMode };
}

/**
 * Creates the store's HQ database with its `_security` and design documents (idempotent). Returns whether
 * this call created the database, so a failed store creation can remove what it made and nothing else.
 */
export async function prepareStoreDb(couch: CouchHandle, code: string): Promise<{ created: boolean }> {
  const db = hqStoreDbName(code);
  let created = true;
  try {
    await couch.request(`/${encodeURIComponent(db)}`, { method: 'PUT' });
  } catch (err) {
    // 412: it exists (a store database outlives nothing else, but an earlier interrupted attempt may have left it).
    if (!(err instanceof CouchRequestError && err.statusCode === 412)) throw err;
    created = false;
  }
  // Only this store's credential (and HQ staff) may read it; writes are further checked by validate_doc_update.
  // Only the store's own role: HQ staff reach store data through the API, never with a CouchDB credential.
  await setSecurity(couch, db, [storeCouchRole(code)]);
  // Warm (design-docs/deploy.ts): a database an earlier attempt left may hold documents already; a new one is
  // empty, so its views cost nothing to build on first use.
  await deployDesignDocs(couch.url, db, 'hq-store', couch.authHeader);
  if (!created) await warmDatabase(couch.url, db, 'hq-store', couch.authHeader);
  return { created };
}

export async function listStores(couch: CouchHandle): Promise<StoreRecord[]> {
  return listByPrefix<StoreRecord>(couch, HQ_DB, PRIVATE_PREFIX.hqStore);
}

export async function getStore(couch: CouchHandle, code: string): Promise<StoreRecord> {
  const store = await getDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code));
  if (!store) throw notFound('store_not_found', `No store with code ${code}.`);
  return store;
}

/**
 * Creates a store in status `pending`, with its database and configuration document. The input is parsed
 * (shape and limits) by the route; here the store's own rules are checked before anything is written, and
 * a failure after the first write undoes what was written: a store either exists whole or not at all (a
 * half-made store could neither be retried, "exists", nor deleted).
 */
export async function createStore(couch: CouchHandle, input: StoreInput, log?: Logger): Promise<StoreRecord> {
  const code = input.code.trim().toUpperCase();
  if (!isStoreCode(code)) throw badRequest('invalid_store_code', 'A store code is 2 to 12 letters A-Z or digits, e.g. S001.');
  const name = input.name.trim();
  if (!name) throw badRequest('invalid_store_name', 'A store needs a name.');
  const timeZone = input.timeZone ?? 'America/Mexico_City';
  if (!isTimeZone(timeZone)) throw badRequest('invalid_time_zone', `"${timeZone}" is not an IANA time zone.`);
  if (await getDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code))) throw conflict('store_exists', `A store with code ${code} already exists.`);
  const now = new Date().toISOString();
  const record: StoreRecord = {
    _id: hqStoreRecordId(code),
    type: 'store',
    code,
    name,
    address: input.address ?? '',
    timeZone,
    currency: input.currency ?? 'MXN',
    locale: input.locale ?? 'es',
    taxMode: input.taxMode ?? 'inclusive',
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
    suspendedAt: null,
    syncToken: null,
    credential: null,
  };
  let saved: StoreRecord;
  try {
    // The record first: its deterministic id is the claim on the code, so two concurrent creations of one
    // store cannot both go on to prepare (and later undo) the same database.
    saved = await putDoc(couch, HQ_DB, record);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 409) throw conflict('store_exists', `A store with code ${code} already exists.`);
    throw err;
  }
  let createdDb = false;
  try {
    createdDb = (await prepareStoreDb(couch, code)).created;
    await updateDoc<StoreConfig>(couch, hqStoreDbName(code), CONFIG_ID, () => storeConfigDoc(saved));
  } catch (err) {
    await undoCreateStore(couch, saved, createdDb).catch((undoErr: unknown) =>
      log?.error('store.create_undo_failed', { store: code, err: undoErr instanceof Error ? undoErr : String(undoErr) }),
    );
    throw err;
  }
  return saved;
}

/** Removes what a failed store creation wrote: its record, and its database when this creation made it. */
async function undoCreateStore(couch: CouchHandle, saved: StoreRecord, createdDb: boolean): Promise<void> {
  if (createdDb) await couch.request(`/${encodeURIComponent(hqStoreDbName(saved.code))}`, { method: 'DELETE' });
  if (saved._rev) await couch.nano.use(HQ_DB).destroy(saved._id, saved._rev);
}

/** The descriptive fields of a store after an update (null when the update changes nothing). */
function updatedStore(s: StoreRecord, input: StoreUpdateBody): StoreRecord | null {
  const next: StoreRecord = {
    ...s,
    name: input.name?.trim() || s.name,
    address: input.address ?? s.address,
    timeZone: input.timeZone ?? s.timeZone,
    currency: input.currency ?? s.currency,
    locale: input.locale ?? s.locale,
    taxMode: input.taxMode ?? s.taxMode,
  };
  const same = (['name', 'address', 'timeZone', 'currency', 'locale', 'taxMode'] as const).every((k) => next[k] === s[k]);
  return same ? null : { ...next, updatedAt: new Date().toISOString() };
}

/**
 * Updates a store's descriptive fields (not its code or status) and its downstream config document. An
 * update that changes nothing writes nothing (a new config revision would travel to every till); when the
 * config cannot be written, the store record is put back as it was.
 */
export async function updateStore(couch: CouchHandle, code: string, input: StoreUpdateBody): Promise<StoreRecord> {
  if (input.timeZone && !isTimeZone(input.timeZone)) throw badRequest('invalid_time_zone', `"${input.timeZone}" is not an IANA time zone.`);
  let previous: StoreRecord | null = null;
  const saved = await updateDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code), (s) => {
    if (!s) throw notFound('store_not_found', `No store with code ${code}.`);
    previous = s;
    return updatedStore(s, input);
  });
  const store = saved as StoreRecord;
  const before = previous as StoreRecord | null;
  if (!before || store._rev === before._rev) return store;
  try {
    // Only the fields the store record owns: what PUT /stores/:id/config set (rounding, footer...) stays.
    await updateDoc<StoreConfig>(couch, hqStoreDbName(code), CONFIG_ID, (cur) => withStoreFields(cur ?? storeConfigDoc(store), store));
  } catch (err) {
    const { _rev: _old, ...content } = before;
    await putDoc(couch, HQ_DB, { ...content, _rev: store._rev }).catch(() => undefined);
    throw err;
  }
  return store;
}

/**
 * Issues a new one-time sync token and returns it (the only time it is ever shown). Any earlier token is
 * revoked by being replaced: HQ keeps a hash of the current token only.
 */
export async function issueSyncToken(couch: CouchHandle, code: string, hqUrl: string, ttlHours = DEFAULT_TOKEN_TTL_H) {
  if (!(ttlHours > 0 && ttlHours <= 24 * 30)) throw badRequest('invalid_ttl', 'A token lives between a moment and 30 days.');
  const id = randomBytes(9).toString('base64url');
  const secret = newSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  await updateDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code), (s) => {
    if (!s) throw notFound('store_not_found', `No store with code ${code}.`);
    return {
      ...s,
      syncToken: { id, secretHash: sha256(secret), expiresAt, createdAt: now.toISOString(), usedAt: null, revokedAt: null },
      updatedAt: now.toISOString(),
    };
  });
  return { token: encodeSyncToken({ store: code, hq: hqUrl, id, secret }), tokenId: id, expiresAt };
}

/** Suspends a store: its credential can no longer refresh replication tokens; an unused token is revoked. */
export async function revokeStore(couch: CouchHandle, code: string): Promise<StoreRecord> {
  const now = new Date().toISOString();
  const saved = await updateDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code), (s) => {
    if (!s) throw notFound('store_not_found', `No store with code ${code}.`);
    return {
      ...s,
      status: 'suspended',
      suspendedAt: now,
      credential: null,
      syncToken: s.syncToken && !s.syncToken.usedAt ? { ...s.syncToken, revokedAt: now } : s.syncToken,
      updatedAt: now,
    };
  });
  return saved as StoreRecord;
}

export interface StoreCredential {
  storeCode: string;
  credentialId: string;
  secret: string;
}

/**
 * Redeems a sync token for a store credential. Each refusal has its own code so the relay can tell the
 * person what to do: malformed (copy again), unknown/revoked (a newer token exists), used, expired.
 */
export async function redeemSyncToken(couch: CouchHandle, token: string): Promise<{ credential: StoreCredential; store: StoreRecord }> {
  const payload = decodeSyncToken(token);
  if (!payload) throw badRequest('token_malformed', 'This is not a Caja sync token; copy it again from the HQ console.');
  const secret = newSecret();
  const credentialId = randomBytes(9).toString('base64url');
  const now = new Date().toISOString();
  const saved = await updateDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(payload.store), (s) => {
    if (!s) throw unauthorized('token_unknown', `Store ${payload.store} does not exist at this HQ.`);
    const t = s.syncToken;
    if (!t || t.id !== payload.id) throw unauthorized('token_revoked', 'This sync token was revoked: a newer token was generated for the store.');
    if (!matchesHash(payload.secret, t.secretHash)) throw unauthorized('token_invalid', 'This sync token is not valid.');
    if (t.revokedAt) throw unauthorized('token_revoked', 'This sync token was revoked at HQ.');
    if (t.usedAt) throw gone('token_used', `This sync token was already used (${t.usedAt}); generate a new one at HQ.`);
    if (Date.parse(t.expiresAt) <= Date.now()) throw unauthorized('token_expired', `This sync token expired at ${t.expiresAt}; generate a new one at HQ.`);
    return {
      ...s,
      status: 'active',
      activatedAt: now,
      suspendedAt: null,
      syncToken: { ...t, usedAt: now },
      credential: { id: credentialId, secretHash: sha256(secret), issuedAt: now },
      updatedAt: now,
    };
  });
  const store = saved as StoreRecord;
  return { credential: { storeCode: store.code, credentialId, secret }, store };
}

/** Checks a store credential; only an active store with the current credential passes. */
export async function authenticateStore(couch: CouchHandle, storeCode: string, credentialId: string, secret: string): Promise<StoreRecord> {
  // A code no store can have is answered like a wrong secret (and never reaches CouchDB as a document id).
  const store = isStoreCode(storeCode) ? await getDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(storeCode)) : null;
  const cred = store?.credential;
  if (!store || !cred || cred.id !== credentialId || !matchesHash(String(secret), cred.secretHash)) {
    throw unauthorized('store_credential_invalid', 'The store credential is not valid (revoked or re-provisioned).');
  }
  if (store.status !== 'active') throw forbidden('store_suspended', `Store ${store.code} is ${store.status}.`);
  return store;
}

// ---------- store configuration (GET/PUT /stores/:id/config) ----------

function configAnswer(config: StoreConfig): StoreConfigAnswer {
  return { config, receiptHeader: { name: config.name, address: config.address }, receiptFooter: config.receiptFooter };
}

async function currentConfig(couch: CouchHandle, code: string): Promise<StoreConfig> {
  await getStore(couch, code);
  const config = await getDoc<StoreConfig>(couch, hqStoreDbName(code), CONFIG_ID);
  if (!config) throw notFound('store_not_found', `Store ${code} has no configuration document.`);
  return config;
}

/** The configuration document of a store, as its tills receive it. */
export async function getStoreConfig(couch: CouchHandle, code: string): Promise<StoreConfigAnswer> {
  return configAnswer(await currentConfig(couch, code));
}

const staleConfig = (c: StoreConfig) => apiError('stale_edit', `The configuration of store ${c.storeId} was changed after you opened it.`, { details: { current: configAnswer(c) } });

/**
 * Replaces a store's configuration, made on revision `_rev` (409 stale_edit with the current one otherwise).
 * The fields the store record also holds (name, address, zone, currency, language, tax mode) are written back
 * to it, so the stores list and a later PATCH /stores/:id agree with what the tills have.
 */
export async function putStoreConfig(couch: CouchHandle, code: string, body: StoreConfigPutBody): Promise<{ answer: StoreConfigAnswer; changed: boolean }> {
  const cur = await currentConfig(couch, code);
  if (cur._rev !== body._rev) throw staleConfig(cur);
  const next: StoreConfig = {
    ...cur,
    timeZone: body.timeZone,
    currency: body.currency,
    locale: body.locale,
    taxMode: body.taxMode,
    cashRounding: body.cashRounding,
    varianceAlert: body.varianceAlert ?? cur.varianceAlert,
    returnDays: body.returnDays ?? cur.returnDays,
    name: body.receiptHeader.name,
    address: body.receiptHeader.address,
    receiptFooter: { en: body.receiptFooter.en, es: body.receiptFooter.es },
  };
  // The same configuration again writes nothing (every till of the store would download it).
  if (JSON.stringify(next) === JSON.stringify(cur)) return { answer: configAnswer(cur), changed: false };
  const errors = validateDoc(next);
  if (errors.length) throw badRequest('invalid_document', errors.join('; '), { errors });
  let saved: StoreConfig;
  try {
    saved = await putDoc(couch, hqStoreDbName(code), next);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    throw staleConfig(await currentConfig(couch, code));
  }
  await updateDoc<StoreRecord>(couch, HQ_DB, hqStoreRecordId(code), (s) => {
    if (!s) return null;
    const same = s.name === next.name && s.address === next.address && s.timeZone === next.timeZone && s.currency === next.currency && s.locale === next.locale && s.taxMode === next.taxMode;
    return same ? null : { ...s, name: next.name, address: next.address, timeZone: next.timeZone, currency: next.currency, locale: next.locale, taxMode: next.taxMode, updatedAt: new Date().toISOString() };
  });
  return { answer: configAnswer(saved), changed: true };
}

// ---------- store prices in bulk (PUT /store-prices/:store) ----------

type PriceLine = StorePricesBulkBody['prices'][number];
type Planned = { line: PriceLine; doc: object | null; result: BulkPriceLine['result'] };

/** Every line checked (one line per SKU, the product exists, the document valid) before anything is written. */
async function planPrices(couch: CouchHandle, code: string, lines: PriceLine[]): Promise<Planned[]> {
  const problems: Array<{ index: number; sku: string; error: string }> = [];
  const seen = new Map<string, number>();
  lines.forEach((l, index) => {
    if (seen.has(l.sku)) problems.push({ index, sku: l.sku, error: `repeats line ${seen.get(l.sku)}` });
    seen.set(l.sku, index);
  });
  const products = await couch.request<{ rows: Array<{ key: string; value?: { deleted?: boolean }; error?: string }> }>(`/${CATALOG_DB}/_all_docs`, {
    method: 'POST',
    body: { keys: lines.map((l) => productId(l.sku)) },
  });
  products.rows.forEach((r, index) => {
    if (r.error || !r.value || r.value.deleted) problems.push({ index, sku: (lines[index] as PriceLine).sku, error: 'no such product' });
  });
  const prices = await couch.request<{ rows: Array<{ doc?: StorePrice | null }> }>(`/${encodeURIComponent(hqStoreDbName(code))}/_all_docs?include_docs=true`, {
    method: 'POST',
    body: { keys: lines.map((l) => priceId(l.sku)) },
  });
  const now = new Date().toISOString();
  const planned = lines.map((line, index): Planned => {
    const cur = prices.rows[index]?.doc ?? null;
    if (line.price === null) return cur ? { line, doc: tombstone(cur), result: 'removed' } : { line, doc: null, result: 'unchanged' };
    if (cur && cur.price === line.price) return { line, doc: null, result: 'unchanged' };
    const doc: StorePrice = { _id: priceId(line.sku), ...(cur?._rev ? { _rev: cur._rev } : {}), type: 'price', schema: CURRENT_SCHEMA, storeId: code, sku: line.sku, price: money(line.price), updatedAt: now };
    const errors = validateDoc(doc);
    if (errors.length) problems.push({ index, sku: line.sku, error: errors.join('; ') });
    return { line, doc, result: 'set' };
  });
  if (problems.length) {
    problems.sort((a, b) => a.index - b.index);
    throw apiError('invalid_lines', `${problems.length} line(s) are not valid, nothing was written; first: prices[${problems[0]?.index}] ${problems[0]?.sku}: ${problems[0]?.error}.`, { details: { lines: problems.slice(0, 100) } });
  }
  return planned;
}

/** Sets or removes many price overrides of one store in one `_bulk_docs`, answering line by line. */
export async function setStorePrices(couch: CouchHandle, code: string, lines: PriceLine[]): Promise<BulkPriceAnswer> {
  await getStore(couch, code);
  const planned = await planPrices(couch, code, lines);
  const writes = planned.filter((p) => p.doc);
  const res = writes.length
    ? await couch.request<Array<{ id: string; rev?: string; error?: string; reason?: string }>>(`/${encodeURIComponent(hqStoreDbName(code))}/_bulk_docs`, { method: 'POST', body: { docs: writes.map((w) => w.doc) } })
    : [];
  const outcome = new Map(writes.map((w, i) => [w.line.sku, res[i]]));
  const out: BulkPriceLine[] = planned.map((p) => {
    const r = outcome.get(p.line.sku);
    if (!p.doc || !r) return { sku: p.line.sku, result: p.result, price: p.line.price };
    if (r.error) return { sku: p.line.sku, result: 'error', price: p.line.price, error: `${r.error}: ${r.reason ?? ''}`.trim() };
    return { sku: p.line.sku, result: p.result, price: p.line.price, ...(r.rev ? { rev: r.rev } : {}) };
  });
  const counts = { set: 0, removed: 0, unchanged: 0, error: 0 };
  for (const l of out) counts[l.result]++;
  return { store: code, counts, lines: out };
}
