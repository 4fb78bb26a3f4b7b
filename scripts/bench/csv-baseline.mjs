// The benchmark's baseline: csv-parser over the given CSV files, one after another, parse only
// (rows counted in a 'data' listener, nothing else done with them). Prints the row count.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import csv from 'csv-parser';

let rows = 0;
for (const file of process.argv.slice(2)) {
  const parser = csv();
  parser.on('data', () => {
    rows++;
  });
  await pipeline(createReadStream(file), parser);
}
process.stdout.write(`${rows}\n`);
