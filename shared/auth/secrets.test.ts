import { expect } from 'chai';
import {
  DUMMY_PASSWORD_HASH,
  DUMMY_PIN_HASH,
  PIN_ITERATIONS,
  PASSWORD_ITERATIONS,
  base64ToBytes,
  bytesToBase64,
  constantTimeEqual,
  hashPin,
  hashSecret,
  isValidPin,
  needsRehash,
  verifySecret,
} from './secrets';

// Low iteration counts keep the suite fast; the default counts are exercised once each.
const FAST = { iterations: 1000 };

describe('shared/auth/secrets', () => {
  it('verifies the right secret and rejects a wrong one', async () => {
    const h = await hashSecret('correct horse battery staple', FAST);
    expect(h.algorithm).to.equal('PBKDF2-SHA256');
    expect(h.iterations).to.equal(1000);
    expect(await verifySecret('correct horse battery staple', h)).to.equal(true);
    expect(await verifySecret('correct horse battery stapl', h)).to.equal(false);
    expect(await verifySecret('', h)).to.equal(false);
  });

  it('uses a fresh 16-byte salt per hash, so equal secrets give different hashes', async () => {
    const a = await hashSecret('1234', FAST);
    const b = await hashSecret('1234', FAST);
    expect(base64ToBytes(a.salt)).to.have.length(16);
    expect(base64ToBytes(a.hash)).to.have.length(32);
    expect(a.salt).to.not.equal(b.salt);
    expect(a.hash).to.not.equal(b.hash);
    expect(await verifySecret('1234', a)).to.equal(true);
    expect(await verifySecret('1234', b)).to.equal(true);
  });

  it('is reproducible with a fixed salt (fixtures only)', async () => {
    const salt = new Uint8Array(16).fill(7);
    const a = await hashSecret('9999', { ...FAST, salt });
    const b = await hashSecret('9999', { ...FAST, salt });
    expect(a).to.deep.equal(b);
  });

  it('agrees with an independent PBKDF2-SHA256 implementation (node:crypto)', async () => {
    // The RFC 7914 vectors use 4-byte salts, below our 8-byte floor, so cross-check with OpenSSL instead.
    const { pbkdf2Sync } = await import('node:crypto');
    const salt = new Uint8Array(16).fill(1);
    const h = await hashSecret('pässwörd', { iterations: 1000, salt });
    const ref = pbkdf2Sync('pässwörd'.normalize('NFKC'), salt, 1000, 32, 'sha256');
    expect(h.hash).to.equal(ref.toString('base64'));
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const h = await hashSecret('Peña', FAST); // composed ñ
    expect(await verifySecret('Pen\u0303a', h)).to.equal(true);
  });

  it('uses the documented default iteration counts', async () => {
    expect(PASSWORD_ITERATIONS).to.equal(210_000);
    expect(PIN_ITERATIONS).to.equal(100_000);
    const pin = await hashPin('4821');
    expect(pin.iterations).to.equal(PIN_ITERATIONS);
    expect(await verifySecret('4821', pin)).to.equal(true);
    const pw = await hashSecret('s3cret-password');
    expect(pw.iterations).to.equal(PASSWORD_ITERATIONS);
    expect(needsRehash(pin, PASSWORD_ITERATIONS)).to.equal(true);
    expect(needsRehash(pw, PASSWORD_ITERATIONS)).to.equal(false);
  });

  it('accepts only 4-6 digit PINs', async () => {
    expect(isValidPin('1234')).to.equal(true);
    expect(isValidPin('123456')).to.equal(true);
    expect(isValidPin('123')).to.equal(false);
    expect(isValidPin('1234567')).to.equal(false);
    expect(isValidPin('12a4')).to.equal(false);
    let threw = false;
    await hashPin('12').catch(() => (threw = true));
    expect(threw).to.equal(true);
  });

  it('returns false (never throws) for malformed or tampered stored hashes', async () => {
    const h = await hashSecret('1234', FAST);
    expect(await verifySecret('1234', null)).to.equal(false);
    expect(await verifySecret('1234', { ...h, iterations: 10 })).to.equal(false);
    expect(await verifySecret('1234', { ...h, iterations: 1e9 })).to.equal(false);
    expect(await verifySecret('1234', { ...h, iterations: 1000.5 })).to.equal(false);
    expect(await verifySecret('1234', { ...h, salt: 'not base64!' })).to.equal(false);
    expect(await verifySecret('1234', { ...h, hash: h.hash.slice(4) })).to.equal(false);
    const wrongAlgo = { ...h, algorithm: 'MD5' } as unknown as typeof h; // a hostile document, typed loosely on purpose
    expect(await verifySecret('1234', wrongAlgo)).to.equal(false);
    expect(await verifySecret('1234', { ...h, iterations: 1001 })).to.equal(false);
  });

  it('base64 round-trips every length and matches the standard encoding', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      const text = bytesToBase64(bytes);
      expect(text).to.equal(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(text))).to.deep.equal(Array.from(bytes));
    }
    expect(() => base64ToBytes('abc')).to.throw();
    expect(() => base64ToBytes('ab=c')).to.throw();
    expect(() => base64ToBytes('a===')).to.throw();
    expect(() => base64ToBytes('Zm9v\u00e9===')).to.throw();
  });

  it('constantTimeEqual compares contents', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).to.equal(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).to.equal(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).to.equal(false);
  });
});

describe('shared/auth/secrets: dummy hashes for unknown accounts', () => {
  it('are well formed at the real costs, so verifying against them runs a full PBKDF2 (a malformed one would return at once)', async () => {
    for (const [dummy, iterations] of [[DUMMY_PASSWORD_HASH, PASSWORD_ITERATIONS], [DUMMY_PIN_HASH, PIN_ITERATIONS]] as const) {
      expect(dummy.algorithm).to.equal('PBKDF2-SHA256');
      expect(dummy.iterations).to.equal(iterations);
      expect(base64ToBytes(dummy.salt)).to.have.length(16);
      expect(base64ToBytes(dummy.hash)).to.have.length(32);
    }
    const real = await hashPin('1234');
    const t0 = performance.now();
    await verifySecret('1234', real);
    const realMs = performance.now() - t0;
    const t1 = performance.now();
    expect(await verifySecret('1234', DUMMY_PIN_HASH)).to.equal(false);
    const dummyMs = performance.now() - t1;
    // Same work: far closer than the ~100x gap between a PBKDF2 and an early return.
    expect(dummyMs).to.be.greaterThan(realMs / 3);
  });
});
