// Where a quarantined row was: array indexes in a JSON array, physical lines elsewhere
// (docs/validation-semantics.md).
import { formatOf, type PositionKind } from '../io/readers/index.js';

export const positionKindOf = (key: string): PositionKind => (formatOf(key)?.format === 'json' ? 'index' : 'line');
