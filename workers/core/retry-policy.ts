// Retry of DynamoDB BatchWrite leftovers (DESIGN §6): exponential backoff with full jitter
// (AWS Architecture Blog, "Exponential Backoff And Jitter"): sleep = random(0, min(cap, base·2^n)).
// Pure: the random draw is an argument, so the policy is tested without clocks or luck.

export interface RetryPolicy {
  /** Retries after the first attempt; DYNAMODB_MAX_RETRIES. */
  readonly maxRetries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 8, baseMs: 50, capMs: 5_000 };

export type RetryDecision =
  | { readonly _tag: 'Done' }
  | { readonly _tag: 'Retry'; readonly delayMs: number }
  | { readonly _tag: 'GiveUp'; readonly reason: string };

/** The backoff ceiling before retry number `retry` (0-based). */
export const backoffCeilingMs = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.capMs, policy.baseMs * 2 ** retry);

/**
 * What to do after attempt number `attempt` (0 = the first request) left `leftover` items
 * unprocessed. `random` is a draw from [0, 1).
 */
export const nextStep = (policy: RetryPolicy, attempt: number, leftover: number, random: number): RetryDecision => {
  if (leftover === 0) return { _tag: 'Done' };
  if (attempt >= policy.maxRetries)
    return { _tag: 'GiveUp', reason: `${leftover} item(s) still unprocessed after ${policy.maxRetries} retries` };
  return { _tag: 'Retry', delayMs: Math.floor(random * backoffCeilingMs(policy, attempt)) };
};
