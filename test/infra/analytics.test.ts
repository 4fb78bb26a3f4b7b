// The synthesized analytics lake: Glue tables matching the Parquet columns, partition projection
// instead of a crawler, an enforced and encrypted Athena workgroup, the named queries' text from
// infra/queries/, and an analyst policy that grants reading analytics/ and nothing else of the lake.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATASET_COLUMNS } from '../../workers/core/analytics-columns.js';
import { namedQueryText, NAMED_QUERIES } from '../../infra/analytics.js';
import { dataSource, resources, synthesized } from '../support/synth.js';

const table = (dataset: string) => resources('aws_glue_catalog_table').find(([, r]) => r['name'] === dataset)?.[1];

test('one Glue table per dataset, columns and types as the Parquet writer emits them', () => {
  for (const [dataset, columns] of Object.entries(DATASET_COLUMNS)) {
    const t = table(dataset);
    assert.ok(t, dataset);
    const sd = t['storage_descriptor'] as { columns: Array<{ name: string; type: string }>; location: string; ser_de_info: { serialization_library: string } };
    assert.equal(sd.columns.map((c) => `${c.name}:${c.type}`), columns.map((c) => `${c.name}:${c.type}`), dataset);
    assert.is(sd.location, `s3://\${aws_s3_bucket.lake.bucket}/analytics/${dataset}/`);
    assert.match(sd.ser_de_info.serialization_library, /ParquetHiveSerDe/);
  }
});

test('dated tables: partition projection on order_date (date, yyyy-MM-dd, range from a variable, location template)', () => {
  for (const dataset of ['orders', 'order_items', 'order_kpis', 'category_kpis']) {
    const t = table(dataset)!;
    assert.equal(t['partition_keys'], [{ name: 'order_date', type: 'date' }]);
    const p = t['parameters'] as Record<string, string>;
    assert.is(p['projection.enabled'], 'true');
    assert.is(p['projection.order_date.type'], 'date');
    assert.is(p['projection.order_date.format'], 'yyyy-MM-dd');
    assert.is(p['projection.order_date.range'], '${var.analytics_date_range}');
    // `$${…}` is how Terraform JSON spells a literal `${…}`: Athena gets `${order_date}`.
    assert.is(p['storage.location.template'], `s3://\${aws_s3_bucket.lake.bucket}/analytics/${dataset}/order_date=$\${order_date}/`);
  }
  assert.equal(table('products')!['partition_keys'], []);
  assert.is(resources('aws_glue_crawler').length, 0);
});

test('workgroup: results under athena-results/ of the lake, SSE, enforced, bytes-scanned cutoff from a variable', () => {
  const [[, wg]] = resources('aws_athena_workgroup') as [[string, Record<string, unknown>]];
  const c = wg['configuration'] as Record<string, unknown>;
  assert.is(c['enforce_workgroup_configuration'], true);
  assert.is(c['bytes_scanned_cutoff_per_query'], '${var.athena_bytes_scanned_cutoff}');
  const rc = c['result_configuration'] as { output_location: string; encryption_configuration: { encryption_option: string } };
  assert.is(rc.output_location, 's3://${aws_s3_bucket.lake.bucket}/athena-results/');
  assert.is(rc.encryption_configuration.encryption_option, 'SSE_S3');
});

test('named queries: both KPI tables and two analyst examples, text from infra/queries/', () => {
  const queries = resources('aws_athena_named_query').map(([, r]) => r);
  assert.equal(queries.map((q) => q['name']).sort(), Object.keys(NAMED_QUERIES).sort());
  for (const q of queries) assert.is(q['query'], namedQueryText(q['name'] as keyof typeof NAMED_QUERIES));
});

test('analyst policy: lake reads only under analytics/, writes only under athena-results/, one workgroup', () => {
  const doc = dataSource('aws_iam_policy_document', 'analyst_policy');
  const statements = doc['statement'] as Array<{ actions: string[]; resources: string[] }>;
  const s3 = statements.filter((s) => s.actions.some((a) => a.startsWith('s3:')));
  for (const s of s3)
    for (const a of s.actions.filter((x) => x === 's3:GetObject' || x === 's3:PutObject'))
      for (const r of s.resources) assert.ok(/\/(analytics|athena-results)\/\*$/.test(r) && (a !== 's3:PutObject' || r.endsWith('/athena-results/*')), `${a} on ${r}`);
  const athena = statements.filter((s) => s.actions.some((a) => a.startsWith('athena:')));
  assert.equal(athena.flatMap((s) => s.resources), ['${aws_athena_workgroup.athena_analytics_workgroup.arn}']);
  assert.ok(statements.every((s) => s.actions.every((a) => !a.endsWith('*'))), 'no wildcard actions');
  assert.ok('analyst_policy_json' in (synthesized().json['output'] as Record<string, unknown>));
});

test.run();
