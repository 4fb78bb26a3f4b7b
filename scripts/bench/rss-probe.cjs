// Preloaded into every measured process (NODE_OPTIONS=--require): at exit it appends the process's
// peak resident set size, getrusage(2) ru_maxrss in KiB as Node reports it, to BENCH_RSS_FILE.
// Exact (the kernel's own high-water mark), no sampling; children of the measured process inherit
// NODE_OPTIONS and append their own line, so the harness sees every process of the measurement.
'use strict';
const { appendFileSync } = require('node:fs');
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
  });
}
