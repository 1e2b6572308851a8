import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { hmacKey, signToken, verifyToken } from './tokens';

const SECRET = 'a-token-secret-of-thirty-two-bytes-at-least';
const expect401 = (fn: () => unknown, code: string) => {
  try {
    fn();
  } catch (err) {
    expect((err as { status?: number }).status).to.equal(401);
    expect((err as { code?: string }).code).to.equal(code);
    return;
  }
  expect.fail(`expected a 401 ${code}`);
};

describe('tokens: signed and verified with one HMAC key object per secret', () => {
  const spec = { kind: 'terminal' as const, subject: 'S001:T1', audience: 'relay', ttlS: 60, store: 'S001' };
  const expectation = { kind: 'terminal' as const, audience: 'relay', store: 'S001', what: 'terminal token' };

  it('keeps one key object per secret, another for another secret', () => {
    expect(hmacKey(SECRET)).to.equal(hmacKey(SECRET));
    expect(hmacKey(`${SECRET}!`)).to.not.equal(hmacKey(SECRET));
    expect(hmacKey(SECRET).export().toString('utf8')).to.equal(SECRET);
  });

  it('a token signed with the key verifies as one signed with the plain secret does', () => {
    const viaKey = signToken(SECRET, spec);
    expect(verifyToken(SECRET, viaKey, expectation)).to.include({ subject: 'S001:T1', store: 'S001' });
    // jsonwebtoken given the secret string signs the same bytes: tokens of older builds stay valid.
    const viaString = jwt.sign({ typ: 'terminal', sub: 'terminal:S001:T1', store: 'S001' }, SECRET, { algorithm: 'HS256', expiresIn: 60, audience: 'relay' });
    expect(verifyToken(SECRET, viaString, expectation).subject).to.equal('S001:T1');
  });

  it('refuses a token of another secret, another store and an expired one', () => {
    expect401(() => verifyToken(SECRET, signToken(`${SECRET}x`, spec), expectation), 'token_invalid');
    expect401(() => verifyToken(SECRET, signToken(SECRET, { ...spec, store: 'S002' }), expectation), 'token_invalid');
    const expired = jwt.sign({ typ: 'terminal', sub: 'terminal:S001:T1', store: 'S001', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { algorithm: 'HS256', audience: 'relay' });
    expect401(() => verifyToken(SECRET, expired, expectation), 'token_expired');
  });
});
