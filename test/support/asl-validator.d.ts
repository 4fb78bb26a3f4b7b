// asl-validator 4 ships JavaScript without declarations; the one call the tests make.
declare module 'asl-validator' {
  interface Result {
    readonly isValid: boolean;
    readonly errors: unknown[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }): Result;
}
