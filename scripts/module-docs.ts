// `make docs`: rewrites the module's inputs and outputs tables in README.md from the committed
// terraform/modules/ecommerce-pipeline/main.tf.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { withModuleTables } from '../infra/module-docs.js';

const module = JSON.parse(readFileSync('terraform/modules/ecommerce-pipeline/main.tf.json', 'utf8')) as Parameters<typeof withModuleTables>[1];
writeFileSync('README.md', withModuleTables(readFileSync('README.md', 'utf8'), module));
console.log('README.md: module inputs and outputs tables regenerated');
