// Where a quarantined row was: array indexes in a JSON array, physical lines elsewhere
// (docs/validation-semantics.md). The readers decide, before the first row.
export { positionKindOf } from '../io/readers/index.js';
