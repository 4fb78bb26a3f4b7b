// No Docker engine here: the Dockerfile is checked against what `make build` produces and what the
// task definitions run, and its file set is run the way the container would run it (from /app with
// nothing but the copied bundles).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_COMMAND } from '../infra/workers.js';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = dockerfile.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
const copies = instructions.filter((l) => l.startsWith('COPY '));
/** Sources of every COPY: the words between the flags and the destination. */
const copied = copies.flatMap((l) => l.split(/\s+/).slice(1).filter((w) => !w.startsWith('--')).slice(0, -1));
const workers = Object.keys(WORKER_COMMAND);
const expectedFiles = ['dist/package.json', ...workers.flatMap((w) => [`dist/${w}.js`, `dist/${w}.js.map`])];

test('node 22 slim base image', () => {
  assert.is(instructions[0], 'FROM node:22-slim');
});

test('copies the worker bundles and nothing else', () => {
  assert.equal([...copied].sort(), [...expectedFiles].sort());
  const allowed = readFileSync('.dockerignore', 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  assert.equal(allowed.sort(), [...expectedFiles].sort());
  assert.ok(readFileSync('.dockerignore', 'utf8').split('\n').includes('*'), 'the build context must exclude everything else');
});

test('runs as a non-root user, set after the files are in place', () => {
  const users = instructions.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('USER '));
  assert.ok(users.length > 0, 'no USER');
  const [last, index] = users[users.length - 1]!;
  assert.not.match(last, /^USER\s+(root|0)(:|$)/);
  assert.ok(index > instructions.indexOf(copies[copies.length - 1]!));
});

test('the documented entry points are the commands the task definitions run', () => {
  for (const command of Object.values(WORKER_COMMAND)) assert.ok(dockerfile.includes(`#   ${command.join(' ')}`), command.join(' '));
});

test('make build produces every copied bundle (scripts/build.mjs: workers/<name>/main.ts → dist/<name>.js)', () => {
  for (const worker of workers) {
    assert.ok(existsSync(join('workers', worker, 'main.ts')), `workers/${worker}/main.ts missing: make build would not produce dist/${worker}.js`);
    for (const file of [`dist/${worker}.js`, `dist/${worker}.js.map`]) assert.ok(existsSync(file), `${file} missing after make build`);
  }
});

test('the copied files alone run each entry point (as in the container: /app, no node_modules)', () => {
  const app = mkdtempSync(join(tmpdir(), 'image-'));
  try {
    mkdirSync(join(app, 'dist'));
    for (const file of expectedFiles) cpSync(file, join(app, file));
    for (const command of Object.values(WORKER_COMMAND)) {
      const [node, ...args] = command;
      const run = spawnSync(node === 'node' ? process.execPath : node!, [...args, '--help'], {
        cwd: app,
        env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.is(run.status, 0, `${command.join(' ')} --help: ${run.stderr}`);
      assert.ok(run.stdout.length > 0, `${command.join(' ')} --help printed nothing`);
    }
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});

test.run();
