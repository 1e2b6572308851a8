// Customers at the till: found by name, phone or e-mail in the local replica (every customer reaches every
// terminal), created on the spot when new. A customer is the one document every till may edit; it holds no
// money (store credit is the credit ledger), so a quick-create offline is safe to merge later.
import { customerId, typePrefix } from '../../../../shared/model/ids';
import { CURRENT_SCHEMA, type Customer } from '../../../../shared/model/types';
import { validateDoc } from '../../../../shared/model/validate';
import { docsWithPrefix, type LocalDb } from '../checkout/localDb';

/** Every customer in the replica, by name. */
export async function listCustomers(db: LocalDb): Promise<Customer[]> {
  const all = await docsWithPrefix<Customer>(db, typePrefix('customer'));
  return all.filter((c) => c.type === 'customer').sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Calls `changed` whenever a customer document of the replica changes (one replicated down from another till,
 * or an edit merged), until the returned function is called.
 */
export function onCustomerChanges(db: LocalDb, changed: () => void): () => void {
  const prefix = typePrefix('customer');
  const feed = db.changes({ live: true, since: 'now', include_docs: false });
  feed.on('change', (c) => {
    if (c.id.startsWith(prefix)) changed();
  });
  return () => feed.cancel();
}

/** Lower case without accents, so "jose" finds "José". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Customers whose name (every word typed), phone (digits) or e-mail match `query`; at most `limit`. */
export function matchCustomers(customers: readonly Customer[], query: string, limit = 20): Customer[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return customers.slice(0, limit);
  const digits = query.replace(/\D/g, '');
  const out: Customer[] = [];
  for (const c of customers) {
    const name = fold(c.name);
    const byName = words.every((w) => name.includes(w));
    const byPhone = digits.length >= 3 && (c.phone ?? '').replace(/\D/g, '').includes(digits);
    const byEmail = (c.email ?? '').toLowerCase().includes(query.trim().toLowerCase()) && query.includes('@');
    if (byName || byPhone || byEmail) out.push(c);
    if (out.length >= limit) break;
  }
  return out;
}

export type NewCustomerError = { code: 'missing_name' } | { code: 'invalid_customer'; problems: string[] };

/** A new customer document, validated by the same rules the relay applies; nothing is written. */
export function newCustomer(
  input: { name: string; phone?: string; email?: string },
  now: string,
  uuid: string,
): { ok: true; value: Customer } | { ok: false; error: NewCustomerError } {
  const name = input.name.trim();
  if (!name) return { ok: false, error: { code: 'missing_name' } };
  const doc: Customer = { _id: customerId(uuid), type: 'customer', schema: CURRENT_SCHEMA, name, updatedAt: now };
  const phone = input.phone?.trim();
  const email = input.email?.trim();
  if (phone) doc.phone = phone;
  if (email) doc.email = email;
  const problems = validateDoc(doc);
  return problems.length ? { ok: false, error: { code: 'invalid_customer', problems } } : { ok: true, value: doc };
}

/** Writes a new customer to the replica (it syncs up with the rest). */
export async function saveCustomer(db: LocalDb, customer: Customer): Promise<Customer> {
  const res = await db.put({ ...customer });
  return { ...customer, _rev: res.rev };
}
