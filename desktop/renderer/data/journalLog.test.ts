// The sale journal's file (journalLog.ts) under power cuts: a handle over an array of bytes that keeps what was
// flushed apart from what was only written, and a cut that keeps any part of the unflushed writes.
import { expect } from 'chai';
import fc from 'fast-check';
import { encodeRecord, openFileJournal, readRecords, type SyncHandle } from './journalLog';

type Doc = { _id: string } & Record<string, unknown>;

/** A file: `disk` is what a power cut cannot take; `pending` the writes since the last flush, in order. */
class MemoryFile implements SyncHandle {
  disk: Uint8Array = new Uint8Array(0);
  pending: { at: number; bytes: Uint8Array }[] = [];
  flushes = 0;
  private view(): Uint8Array {
    const out = new Uint8Array(this.size);
    out.set(this.disk.subarray(0, Math.min(this.disk.length, this.size)));
    for (const w of this.pending) out.set(w.bytes.subarray(0, Math.max(0, Math.min(w.bytes.length, this.size - w.at))), w.at);
    return out;
  }
  private size = 0;
  read(buffer: Uint8Array, { at }: { at: number }): number {
    const bytes = this.view().subarray(at, at + buffer.length);
    buffer.set(bytes);
    return bytes.length;
  }
  write(buffer: Uint8Array, { at }: { at: number }): number {
    if (at + buffer.length > this.size) this.size = at + buffer.length;
    this.pending.push({ at, bytes: buffer.slice() });
    return buffer.length;
  }
  /** Flushes too (the journal flushes right after each of its truncates). */
  truncate(size: number): void {
    const keep = this.view().subarray(0, size);
    this.size = size;
    this.disk = new Uint8Array(size);
    this.disk.set(keep);
    this.pending = [];
  }
  getSize(): number {
    return this.size;
  }
  flush(): void {
    this.disk = this.view();
    this.pending = [];
    this.flushes += 1;
  }
  /** A power cut: each unflushed write reached the disk whole, not at all, or only its first `keep[i]` bytes. */
  cut(keep: number[]): MemoryFile {
    const after = new MemoryFile();
    after.size = this.size;
    after.disk = this.disk.slice();
    this.pending.forEach((w, i) => after.disk.set(w.bytes.subarray(0, Math.min(w.bytes.length, keep[i % keep.length] ?? 0)), w.at));
    return after;
  }
}

const sale = (n: number, lines = 3): Doc => ({ _id: `sale:S001-T01-${String(n).padStart(6, '0')}`, type: 'sale', total: 1250 * n, note: 'Señor Núñez €', lines: Array.from({ length: lines }, (_, i) => ({ sku: `sku-${i}`, qty: 1 })) });

describe('sale journal file (journalLog)', () => {
  it('reads back every live sale, skips removed ones, and stops at a torn, altered or foreign record', () => {
    const a = encodeRecord(sale(1));
    const b = encodeRecord(sale(2));
    const c = encodeRecord(sale(3));
    const file = new Uint8Array(a.length + b.length + c.length + 64);
    file.set(a, 0);
    file.set(b, a.length);
    file.set(c, a.length + b.length);
    expect(readRecords(file).records.map((r) => [r.doc._id, r.live])).to.deep.equal([[sale(1)._id, true], [sale(2)._id, true], [sale(3)._id, true]]);
    expect(readRecords(file).end).to.equal(a.length + b.length + c.length);
    expect(readRecords(file).records[0]?.doc).to.deep.equal(sale(1));

    const removed = file.slice();
    removed[a.length + 4] = 0; // b's state byte
    expect(readRecords(removed).records.map((r) => r.live)).to.deep.equal([true, false, true]);

    const torn = file.slice(0, a.length + b.length + Math.floor(c.length / 2));
    expect(readRecords(torn).records).to.have.length(2);

    const altered = file.slice();
    altered[a.length + 20] = (altered[a.length + 20] ?? 0) ^ 0x01; // a byte of b's payload
    expect(readRecords(altered).records).to.have.length(1);

    const badState = file.slice();
    badState[a.length + 4] = 7;
    expect(readRecords(badState).records).to.have.length(1);

    expect(readRecords(new Uint8Array(1024)).records).to.deep.equal([]);
    expect(readRecords(new TextEncoder().encode('{"_id":"sale:x"}')).records).to.deep.equal([]);
  });

  it('flushes once per put and never for a removal; once empty it writes from the start again', () => {
    const file = new MemoryFile();
    const journal = openFileJournal(file);
    const opened = file.flushes;
    journal.put(sale(1));
    journal.put(sale(2));
    expect(file.flushes - opened).to.equal(2);
    expect(journal.remove(sale(1)._id)).to.equal(true);
    expect(journal.remove(sale(1)._id)).to.equal(false);
    expect(file.flushes - opened).to.equal(2);
    expect(journal.list().map((d) => d._id)).to.deep.equal([sale(2)._id]);
    journal.remove(sale(2)._id);
    journal.put(sale(3));
    // Sale 3 overwrote sale 1 at offset 0; sales 1 and 2 are not read back.
    expect(journal.list().map((d) => d._id)).to.deep.equal([sale(3)._id]);
    expect(openFileJournal(file).list().map((d) => d._id)).to.deep.equal([sale(3)._id]);
  });

  it('grows the file for a sale bigger than it, and keeps the sales before it', () => {
    const file = new MemoryFile();
    const journal = openFileJournal(file);
    const size = file.getSize();
    journal.put(sale(1));
    journal.put(sale(2, 6000)); // about 130 kB
    journal.put(sale(3, 6000));
    expect(file.getSize()).to.be.greaterThan(size);
    expect(openFileJournal(file.cut([0])).list().map((d) => d._id)).to.deep.equal([sale(1)._id, sale(2)._id, sale(3)._id]);
  });

  it('after any power cut, a start lists every sale that was put and not taken out, and no sale that was never put', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), n: fc.integer({ min: 1, max: 12 }), lines: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), n: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('cut' as const), keep: fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let file = new MemoryFile();
        let journal = openFileJournal(file);
        const kept = new Set<string>(); // put, and not taken out: must survive any cut
        const ever = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'put') {
            journal.put(sale(o.n, o.lines));
            kept.add(sale(o.n)._id);
            ever.add(sale(o.n)._id);
          } else if (o.kind === 'remove') {
            journal.remove(sale(o.n)._id);
            kept.delete(sale(o.n)._id);
          } else {
            file = file.cut(o.keep);
            journal = openFileJournal(file);
            const listed = journal.list().map((d) => d._id);
            for (const id of kept) expect(listed).to.include(id);
            for (const id of listed) expect(ever.has(id)).to.equal(true);
            expect(new Set(listed).size).to.equal(listed.length);
            // A removal the cut lost brings its sale back: the start's replay takes it out again.
            for (const id of listed) kept.add(id);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
