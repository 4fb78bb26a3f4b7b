// `make lambda-zip`: node --import tsx scripts/lambda-zip.ts OUT.zip FILE[=NAME]...
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deterministicZip } from '../workers/local/lambda-zip.js';

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error('usage: lambda-zip.ts OUT.zip FILE[=NAME]...');
  process.exit(2);
}
const entries = files.map((spec) => {
  const [path, name] = spec.split('=');
  return { name: name ?? basename(path!), data: new Uint8Array(readFileSync(path!)) };
});
writeFileSync(out, await deterministicZip(entries));
console.log(`wrote ${out} (${entries.map((e) => e.name).join(', ')})`);
