// Preloaded into every measured process (NODE_OPTIONS=--require): at exit it appends the process's
// peak resident set size (getrusage(2) ru_maxrss, KiB, as Node reports it) and its user and system
// CPU time (µs) to BENCH_RSS_FILE.
// Exact (the kernel's own high-water mark), no sampling; children of the measured process inherit
// NODE_OPTIONS and append their own line, so the harness sees every process of the measurement.
'use strict';
const { appendFileSync } = require('node:fs');
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, `${process.pid} ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
  });
}
