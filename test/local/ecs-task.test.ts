import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { localArgv, mergeEnvironment } from '../../workers/local/ecs-task.js';

test('the container command runs here: node is this node, bundles come from dist', () => {
  assert.equal(localArgv({ command: ['node', 'dist/validate.js'] }, undefined, '/repo/dist', '/usr/bin/node20'), ['/usr/bin/node20', '/repo/dist/validate.js']);
  assert.equal(localArgv({ entryPoint: ['node'], command: ['/app/dist/transform.js', '--x'] }, undefined, '/r/dist', 'N'), ['N', '/r/dist/transform.js', '--x']);
  assert.equal(localArgv({ command: ['dist/validate.js'] }, undefined, '/r/dist', 'N'), ['N', '/r/dist/validate.js']);
  assert.equal(localArgv({ command: ['node', 'dist/a.js'] }, ['node', 'dist/b.js', '--y'], '/r/dist', 'N'), ['N', '/r/dist/b.js', '--y']);
  assert.throws(() => localArgv({}, undefined, '/r/dist'), /no command/);
});

test('environment: base < task definition < container overrides', () => {
  const env = mergeEnvironment(
    { A: 'base', B: 'base', C: 'base' },
    [{ name: 'B', value: 'task' }, { name: 'C', value: 'task' }],
    [{ Name: 'C', Value: 'override' }],
  );
  assert.equal(env, { A: 'base', B: 'task', C: 'override' });
});

test.run();
