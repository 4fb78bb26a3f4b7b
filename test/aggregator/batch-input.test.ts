// The execution input against ECS's override limit: the overrides the state machine renders from
// it (statemachine.asl.json's own Parameters, read from the file) stay within 8,192 characters for
// the largest manifest kept inline, and every larger manifest travels as an s3:// pointer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { asl } from '../support/asl.js';
import { ECS_OVERRIDES_MAX_CHARS, overridesLength } from '../../workers/core/ecs-limits.js';
import { batchIdOf, type BatchManifest } from '../../workers/core/manifest.js';
import {
  INLINE_MANIFEST_MAX_CHARS,
  inlineLength,
  keysOfManifestText,
  manifestObjectKey,
  manifestPointerOf,
  planExecutionInput,
} from '../../workers/aggregator/batch-input.js';
import { checkRunTask } from '../../workers/local/ecs-task.js';

const LAKE = 'ecommerce-pipeline-dev-lake-123456789012';

/** Resolves `"<key>.$": "$.<field>"` paths of a Parameters block against the input, as Step Functions does. */
const render = (value: unknown, input: Record<string, unknown>): unknown => {
  if (Array.isArray(value)) return value.map((v) => render(v, input));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (!k.endsWith('.$')) return [k, render(v, input)];
      const path = /^\$\.([a-z_]+)$/.exec(String(v));
      if (!path) throw new Error(`only $.field paths are rendered here, not ${String(v)}`);
      return [k.slice(0, -2), input[path[1]!]];
    }),
  );
};

const overridesOf = (state: 'Validate' | 'Transform', input: string) =>
  render(asl().States[state]!.Parameters!.Overrides, JSON.parse(input) as Record<string, unknown>);

const manifestOf = (n: number, keyLength: number): BatchManifest => {
  const files = Array.from({ length: n }, (_, i) => ({
    key: `order_items/${String(i).padStart(6, '0')}-${'x'.repeat(Math.max(0, keyLength - 19))}.csv.gz`,
    etag: 'd41d8cd98f00b204e9800998ecf8427e-12',
    size: 5_000_000_000 + i,
  }));
  return { batch_id: batchIdOf(files), files };
};

/** The largest manifest of n-file steps that still goes inline. */
const largestInline = (keyLength: number): BatchManifest => {
  let n = 1;
  while (inlineLength(JSON.stringify(manifestOf(n + 1, keyLength))) <= INLINE_MANIFEST_MAX_CHARS) n += 1;
  return manifestOf(n, keyLength);
};

test('the largest inline manifest renders Validate overrides within the ECS limit; one file more is a pointer', () => {
  for (const keyLength of [20, 60, 200]) {
    const biggest = largestInline(keyLength);
    const planned = planExecutionInput(biggest, LAKE);
    assert.is(planned.upload, undefined, 'inline');
    const overrides = overridesOf('Validate', planned.input);
    const length = overridesLength(overrides);
    assert.ok(length <= ECS_OVERRIDES_MAX_CHARS, `${biggest.files.length} files of ${keyLength}-char keys: ${length} chars`);
    assert.ok(length > ECS_OVERRIDES_MAX_CHARS - 1500, `the budget is used, not wasted (${length})`);
    checkRunTask({ TaskDefinition: 'validate', Overrides: overrides as never });
    const next = planExecutionInput(manifestOf(biggest.files.length + 1, keyLength), LAKE);
    assert.ok(next.upload, 'one more file goes to the lake');
  }
});

test('any manifest: the rendered overrides of both tasks pass what RunTask accepts', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 20, max: 300 }), (n, keyLength) => {
      const planned = planExecutionInput(manifestOf(n, keyLength), LAKE);
      for (const state of ['Validate', 'Transform'] as const) {
        assert.ok(overridesLength(overridesOf(state, planned.input)) <= ECS_OVERRIDES_MAX_CHARS);
      }
    }),
    { numRuns: 60 },
  );
});

test('a 200-part manifest is a pointer to manifests/<batch>.json holding the manifest', () => {
  const manifest = manifestOf(200, 40);
  const planned = planExecutionInput(manifest, LAKE);
  assert.equal(planned.upload?.key, manifestObjectKey(manifest.batch_id));
  const input = JSON.parse(planned.input) as { batch_id: string; manifest: string };
  assert.is(input.manifest, `s3://${LAKE}/manifests/${manifest.batch_id}.json`);
  assert.equal(manifestPointerOf(planned.input), E.right({ bucket: LAKE, key: `manifests/${manifest.batch_id}.json` }));
  assert.equal(keysOfManifestText(planned.upload!.body), E.right(manifest.files.map((f) => f.key)));
  // the 8,192 characters the inline form would need
  assert.ok(overridesLength(overridesOf('Validate', JSON.stringify({ batch_id: manifest.batch_id, manifest: JSON.stringify(manifest) }))) > ECS_OVERRIDES_MAX_CHARS);
});

test('only the validate task gets BATCH_MANIFEST: the transform reads its batch record', () => {
  const names = (state: string) =>
    (asl().States[state]!.Parameters!.Overrides as { ContainerOverrides: Array<{ Environment: Array<{ Name: string }> }> })
      .ContainerOverrides.flatMap((c) => c.Environment.map((e) => e.Name));
  assert.ok(names('Validate').includes('BATCH_MANIFEST'));
  assert.not.ok(names('Transform').includes('BATCH_MANIFEST'));
});

test('the local RunTask refuses overrides over 8,192 characters, as ECS does', () => {
  const big = { ContainerOverrides: [{ Name: 'validate', Environment: [{ Name: 'BATCH_MANIFEST', Value: 'x'.repeat(8200) }] }] };
  assert.throws(() => checkRunTask({ TaskDefinition: 'validate', Overrides: big }), (e: Error) => e.name === 'ECS.InvalidParameterException');
});

test.run();
