// Row validation collects every reason, not the first: an Either whose left side is a non-empty
// list of reasons, combined with the validation applicative (left sides concatenate).
import * as E from 'fp-ts/lib/Either.js';
import * as RNEA from 'fp-ts/lib/ReadonlyNonEmptyArray.js';
import { sequenceS } from 'fp-ts/lib/Apply.js';
import type { RowReason, RowReasonCode } from './reasons.js';

export type Reasons = RNEA.ReadonlyNonEmptyArray<RowReason>;
export type Checked<A> = E.Either<Reasons, A>;

export const RowValidation = E.getApplicativeValidation(RNEA.getSemigroup<RowReason>());
/** Checks a record of independent fields, collecting the reasons of every failing one. */
export const checkAll = sequenceS(RowValidation);

export const reject = <A = never>(code: RowReasonCode, field: string | undefined, message: string): Checked<A> =>
  E.left(RNEA.of(field === undefined ? { code, message } : { code, field, message }));

export const accept: <A>(a: A) => Checked<A> = E.right;

/** Reasons of a check that yields nothing when it passes. */
export const unit: Checked<undefined> = E.right(undefined);
