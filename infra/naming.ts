// Every resource is named `<prefix>-<environment>-<what>`; one function so no construct invents
// its own scheme.
import type { Inputs } from './variables.js';

export type Namer = (what: string) => string;

export const namer = (inputs: Pick<Inputs, 'namePrefix' | 'environment'>): Namer => (what) =>
  `${inputs.namePrefix.stringValue}-${inputs.environment.stringValue}-${what}`;
