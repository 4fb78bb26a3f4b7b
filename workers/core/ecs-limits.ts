// Limits of ECS RunTask that moto does not enforce, in one place: the aggregator sizes the
// execution input by them and the local ECS binding refuses what AWS would refuse.

/**
 * "A total of 8192 characters are allowed for overrides. This limit includes the JSON formatting
 * characters of the override structure" (ECS RunTask, `overrides`).
 */
export const ECS_OVERRIDES_MAX_CHARS = 8192;

/** The length ECS counts: the overrides as JSON text (escapes included). */
export const overridesLength = (overrides: unknown): number => JSON.stringify(overrides ?? {}).length;
