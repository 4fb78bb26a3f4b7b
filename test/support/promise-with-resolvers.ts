// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 lacks it. Import first.
type Resolvers<T> = { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
    return { promise, resolve, reject };
  };
}
export {};
