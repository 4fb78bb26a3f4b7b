// The aggregator's Powertools metrics: the same namespace and dimensions as the workers', the
// outcomes of one SQS batch counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregatorMetrics, recordTally } from '../../workers/aggregator/metrics.js';
import { METRICS_NAMESPACE } from '../../workers/core/metrics.js';
import { dimensionsOf, emfProblems } from '../support/emf.js';

test('one SQS batch: a valid EMF document with the started batches and files, in the pipeline namespace', () => {
  const metrics = aggregatorMetrics({ METRICS_PIPELINE: 'shop-dev-pipeline' });
  recordTally(metrics, {
    records: 3,
    unreadable: 1,
    outcomes: [
      { _tag: 'Started', batchId: 'b-1', executionArn: 'arn:x', files: 3 },
      { _tag: 'Started', batchId: 'b-2', executionArn: 'arn:y', files: 2 },
      { _tag: 'Settling', batchId: 'b-3', dueAt: 0 },
    ],
    evaluationFailed: false,
  });
  const doc = metrics.serializeMetrics() as unknown as Record<string, unknown>;
  assert.equal(emfProblems(doc), []);
  assert.is((doc['_aws'] as { CloudWatchMetrics: Array<{ Namespace: string }> }).CloudWatchMetrics[0]!.Namespace, METRICS_NAMESPACE);
  assert.equal(dimensionsOf(doc), { service: 'aggregator', Pipeline: 'shop-dev-pipeline', Stage: 'aggregator' });
  assert.equal(
    [doc['EventsReceived'], doc['EventsUnreadable'], doc['Evaluations'], doc['EvaluationsFailed'], doc['BatchesStarted'], doc['FilesStarted'], doc['BatchesSettling']],
    [3, 1, 1, 0, 2, 5, 1],
  );
});

test('no record of the landing bucket: no evaluation; a failed one counts as failed', () => {
  const none = aggregatorMetrics({});
  recordTally(none, { records: 2, unreadable: 0, outcomes: undefined, evaluationFailed: false });
  const quiet = none.serializeMetrics() as unknown as Record<string, unknown>;
  assert.equal([quiet['Evaluations'], quiet['BatchesStarted'], quiet['Pipeline']], [0, 0, 'local']);
  const failing = aggregatorMetrics({});
  recordTally(failing, { records: 1, unreadable: 0, outcomes: [], evaluationFailed: true });
  assert.is((failing.serializeMetrics() as unknown as Record<string, unknown>)['EvaluationsFailed'], 1);
});

test.run();
