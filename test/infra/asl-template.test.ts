import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeholderNames, renderForTerraform, resolvePlaceholders, type Json } from '../../infra/asl-template.js';

const template: Json = {
  Comment: 'cost ${not a placeholder} and 100%{x}',
  Table: '${lock_table}',
  Subnets: '${subnet_ids}',
  Lease: '${lease}',
  Nested: [{ Again: '${lock_table}' }, 'prefix-${lock_table}'],
};

test('placeholders are whole strings, listed once, sorted', () => {
  assert.equal(placeholderNames(template), ['lease', 'lock_table', 'subnet_ids']);
});

test('resolving replaces each placeholder by a JSON value of any type', () => {
  assert.equal(resolvePlaceholders(template, { lock_table: 't', subnet_ids: ['a', 'b'], lease: 60 }), {
    Comment: 'cost ${not a placeholder} and 100%{x}',
    Table: 't',
    Subnets: ['a', 'b'],
    Lease: 60,
    Nested: [{ Again: 't' }, 'prefix-${lock_table}'],
  });
});

test('a missing value is an error that names it', () => {
  assert.throws(() => resolvePlaceholders(template, { lock_table: 't' }), /lease, subnet_ids/);
  assert.throws(() => renderForTerraform(template, { lock_table: '"t"' }), /lease, subnet_ids/);
});

test('rendering for Terraform splices raw text and escapes every other interpolation', () => {
  const text = renderForTerraform(template, { lock_table: '"${aws_x.y.name}"', subnet_ids: '${jsonencode(var.s)}', lease: '${var.l}' });
  assert.ok(text.includes('"Table": "${aws_x.y.name}"'));
  assert.ok(text.includes('"Subnets": ${jsonencode(var.s)}'));
  assert.ok(text.includes('"Lease": ${var.l}'));
  assert.ok(text.includes('cost $${not a placeholder} and 100%%{x}'));
  assert.ok(text.includes('"prefix-$${lock_table}"'));
});

test.run();
