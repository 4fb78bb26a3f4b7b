// Bundles every workers/<name>/main.ts into dist/<name>.js: one CommonJS file per entry point,
// node20 syntax, source maps. CommonJS because Lambda loads `aggregator.handler` from a plain .js
// file, and dist/package.json pins that type so the package's own "type": "module" does not leak in.
import { build } from 'esbuild';
import { readdirSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const entries = readdirSync('workers', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join('workers', d.name, 'main.ts')))
  .map((d) => d.name)
  .sort();

mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
await Promise.all(
  entries.map((name) =>
    build({
      entryPoints: [join('workers', name, 'main.ts')],
      outfile: join('dist', `${name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      // The Lambda bundles have a size budget (< 1 MB, DESIGN §11); the SDK clients alone exceed it
      // unminified. Source maps keep their stack traces readable.
      minify: name === 'aggregator' || name === 'generator-lambda',
      legalComments: 'none',
      // A native addon (devDependency, the demo's stand-in for Athena): loaded from node_modules.
      external: ['@duckdb/node-api'],
      // CommonJS has no import.meta: the bundle's own URL stands in (validate's check threads
      // start on the bundle itself, see workers/validate/threads/pool.ts).
      define: { 'import.meta.url': 'importMetaUrl' },
      inject: ['scripts/build/import-meta-url.js'],
      logLevel: 'warning',
    }),
  ),
);
console.log(`built ${entries.map((e) => `dist/${e}.js`).join(' ')}`);
