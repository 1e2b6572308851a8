// The compile-time link between the document interfaces (types.ts DocTypes) and their validators: each
// `@ts-expect-error` below asserts that the line after it does not compile, so `tsc` fails if one ever does.
import { expect } from 'chai';
import type { Check, DocRules, Spec, Validator } from './checks';
import { int, money, optional, qty, ref, str, validatorOf } from './checks';
import type { DocType, DocTypes, ReturnLine, Sale, SaleLine } from './types';
import { lineTaxes } from './specs/parts';
import { SALE, VOID } from './specs/ledger';
import { VALIDATORS } from './validate';

/** 'ok' when every entry of DocTypes is keyed by its own `type` string. */
type KeyIsType = { [K in DocType]: [DocTypes[K]['type'], K] extends [K, DocTypes[K]['type']] ? true : false }[DocType];
const keysAreTypes: [KeyIsType] extends [true] ? 'ok' : 'a DocTypes key differs from its type' = 'ok';

// A spec missing a field (`restock`) is not a spec of its type: adding a field to ReturnLine without a check fails here.
// @ts-expect-error -- restock has no check
const missingField: Spec<ReturnLine> = { lineNo: int(1), productId: ref('product'), sku: str, qty: qty('pos'), amount: money('nonneg'), taxes: lineTaxes };

// A check of the wrong type for a field does not compile either (a string check for an amount).
// @ts-expect-error -- amount is Money, str checks a string
const wrongType: Check<SaleLine['netAmount'], SaleLine> = str;

// An optional field's check must say so: a plain `str` would refuse documents without the field.
// @ts-expect-error -- salesRepId is optional: optional(str)
const notOptional: Check<SaleLine['salesRepId'], SaleLine> = str;
const optionalOk: Check<SaleLine['salesRepId'], SaleLine> = optional(str);

// The validator of one type cannot stand in for another's.
// @ts-expect-error -- VOID's rules make a Validator<Void>
const otherType: Validator<Sale> = validatorOf(VOID);
const saleValidator: Validator<Sale> = validatorOf(SALE);

// Every document type needs its validator.
// @ts-expect-error -- every DocType but sale is missing
const someValidators: { [K in DocType]: Validator<DocTypes[K]> } = { sale: saleValidator };

// Rules of a type are checked against that type's fields.
// @ts-expect-error -- a void has no seq
const wrongRules: DocRules<Sale> = VOID;

describe('shared/model document specs (compile-time link)', () => {
  it('keys DocTypes by each document type string, and has a validator for each', () => {
    expect(keysAreTypes).to.equal('ok');
    expect(Object.keys(VALIDATORS)).to.have.length(25);
  });

  it('the specs refused by the compiler above still run (the errors are type errors only)', () => {
    const checks: unknown[] = [missingField, wrongType, notOptional, optionalOk, otherType, someValidators, wrongRules];
    expect(checks.every((c) => c !== undefined)).to.equal(true);
  });

  it('a validator built from a spec reports every field in spec order', () => {
    expect(saleValidator({ storeId: 'S001' }).slice(0, 3)).to.deep.equal([
      'terminalId: must be a terminal id (T1..T9999)',
      'seq: must be an integer from 1 to 99999999',
      'businessDate: must be a YYYY-MM-DD business date',
    ]);
  });
});
