// Customers at the till: search by name without accents, by phone digits, by e-mail; a quick-create is
// validated as the relay would, and lands in the replica.
import { expect } from 'chai';
import { PouchDB } from '../../../../server-kit/replication/pouch';
import type { Customer } from '../../../../shared/model/types';
import type { LocalDb } from '../checkout/localDb';
import { listCustomers, matchCustomers, newCustomer, saveCustomer } from './customers';

const NOW = '2025-03-14T18:00:00.000Z';
const c = (uuid: string, name: string, extra: Partial<Customer> = {}): Customer => ({ _id: `customer:${uuid}`, type: 'customer', schema: 1, name, updatedAt: NOW, ...extra });

describe('till customers (issue 11)', () => {
  const list = [c('a', 'José Pérez', { phone: '+52 55 1234 5678' }), c('b', 'Ana López', { email: 'ana@example.com' }), c('d', 'Josefina Ruiz')];

  it('matches every typed word of the name, accents ignored', () => {
    expect(matchCustomers(list, 'jose').map((x) => x.name)).to.deep.equal(['José Pérez', 'Josefina Ruiz']);
    expect(matchCustomers(list, 'jose perez').map((x) => x.name)).to.deep.equal(['José Pérez']);
  });

  it('matches phone digits whatever the spacing, and e-mail addresses', () => {
    expect(matchCustomers(list, '1234 5678').map((x) => x.name)).to.deep.equal(['José Pérez']);
    expect(matchCustomers(list, 'ana@exa').map((x) => x.name)).to.deep.equal(['Ana López']);
    expect(matchCustomers(list, 'zzz')).to.deep.equal([]);
  });

  it('refuses a customer without a name, and writes a valid one to the replica', async () => {
    expect(newCustomer({ name: '  ' }, NOW, 'u1')).to.deep.equal({ ok: false, error: { code: 'missing_name' } });
    const built = newCustomer({ name: ' Luis Torres ', phone: '555 0101', email: '' }, NOW, 'u2');
    if (!built.ok) throw new Error(JSON.stringify(built.error));
    expect(built.value).to.deep.include({ _id: 'customer:u2', name: 'Luis Torres', phone: '555 0101' });
    expect(built.value).to.not.have.property('email');
    const db = new PouchDB(`customers-${Math.random()}`, { adapter: 'memory' });
    try {
      const saved = await saveCustomer(db, built.value);
      expect(saved._rev).to.match(/^1-/);
      expect((await listCustomers(db as unknown as LocalDb)).map((x) => x.name)).to.deep.equal(['Luis Torres']);
    } finally {
      await db.destroy();
    }
  });
});
